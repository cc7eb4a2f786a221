/**
 * JSON Lines plumbing of the CLI: one output line per input line, in order, each with "ms".
 * A malformed line yields {"error": "..."} and the command goes on.
 */
import * as readline from 'node:readline';

export type LineHandler = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export function requireString(input: Record<string, unknown>, key: string, optional = false): string {
  const v = input[key];
  if (v === undefined && optional) return '';
  if (typeof v !== 'string') throw new Error(`"${key}" must be a string`);
  return v;
}

export function requireNumber(input: Record<string, unknown>, key: string): number {
  const v = input[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`"${key}" must be a number`);
  return v;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs `handler` over every line of `input`, writing one JSON line per input line. */
export async function runJsonLines(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  handler: LineHandler,
): Promise<void> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const started = performance.now();
    let result: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('each line must be a JSON object');
      result = await handler(parsed as Record<string, unknown>);
    } catch (err) {
      result = { error: errorMessage(err) };
    }
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    output.write(JSON.stringify({ ...result, ms: typeof result.ms === 'number' ? result.ms : ms }) + '\n');
  }
}
