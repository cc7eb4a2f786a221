/**
 * `tessera replay --latency-ms N --tokens-per-s N [--policy tessera|fixed350|cancel75] [--debounce-ms N]
 *  [--prefetch true|false] [--local true|false] [--fim-template qwen|…] [--prompt tessera|plain]`
 * Reads a whole typing trace (JSON Lines: a header {"language","final"}, then one line per keystroke
 * {"t","text","offset"} or {"t","accept":true}), replays it through the extension's scheduler and pipeline on a
 * virtual clock against a simulated perfect model, and writes one summary line:
 * {"keystrokes","requests","cancelled","cacheHits","typedAheadHits","pauses","pausesWithGhost","pauseToGhostP50",
 *  "pauseToGhostP95","generatedTokens","prefillTokens"}
 * `--prompt plain`: `prefillTokens` counts a plain nearest-lines FIM prompt of the same budget on the same requests
 * (the baseline Tessera's prompt layout is compared with), instead of Tessera's prompt.
 */
import * as readline from 'node:readline';
import { FIM_FAMILIES, type FimFamily } from '../../core/prompt/templates';
import { POLICIES } from '../../sim/policies';
import { replay } from '../../sim/replay';
import { parseTrace } from '../../sim/trace';
import type { LineHandler } from '../jsonl';

function numberArg(args: Map<string, string>, name: string, fallback?: number): number {
  const raw = args.get(name);
  if (raw === undefined) {
    if (fallback === undefined) throw new Error(`replay needs --${name} N`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function booleanArg(args: Map<string, string>, name: string, fallback: boolean): boolean {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`--${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

async function readAll(input: NodeJS.ReadableStream): Promise<unknown[]> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const out: unknown[] = [];
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch (err) {
      throw new Error(`line ${n}: not JSON (${(err as Error).message})`, { cause: err });
    }
  }
  return out;
}

/**
 * The trace is one unit, so this command consumes stdin itself and prints the summary before the per-line
 * runner starts (which then finds stdin at its end and writes nothing more).
 */
export async function replayCommand(args: Map<string, string>): Promise<LineHandler> {
  const latencyMs = numberArg(args, 'latency-ms');
  const tokensPerS = numberArg(args, 'tokens-per-s');
  if (tokensPerS <= 0) throw new Error('--tokens-per-s must be greater than 0');
  const policyName = args.get('policy') ?? 'tessera';
  const policy = POLICIES[policyName];
  if (!policy) throw new Error(`--policy must be one of ${Object.keys(POLICIES).join(', ')}`);
  const debounceMs = args.has('debounce-ms') ? numberArg(args, 'debounce-ms') : undefined;
  const prefetch = booleanArg(args, 'prefetch', true);
  const local = booleanArg(args, 'local', true);
  const fimTemplate = (args.get('fim-template') ?? 'qwen') as FimFamily;
  if (!FIM_FAMILIES.includes(fimTemplate)) throw new Error(`--fim-template must be one of ${FIM_FAMILIES.join(', ')}`);
  const prompt = args.get('prompt') ?? 'tessera';
  if (prompt !== 'tessera' && prompt !== 'plain') throw new Error(`--prompt must be tessera or plain, got "${prompt}"`);
  try {
    const { header, events } = parseTrace(await readAll(process.stdin));
    const { summary } = await replay(header, events, {
      latencyMs,
      tokensPerS,
      policy,
      debounceMs,
      prefetch,
      local,
      fimTemplate,
      prompt,
    });
    process.stdout.write(JSON.stringify(summary) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }) + '\n');
    process.exitCode = 1;
  }
  return async () => ({ error: 'replay reads the whole trace at once' });
}
