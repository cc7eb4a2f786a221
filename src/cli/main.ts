/**
 * `tessera` CLI: the same core as the extension over JSON Lines (see DESIGN.md, "The CLI contract").
 *   node dist/cli.js postfilter|context|complete [--backend <json>] < in.jsonl > out.jsonl
 */
import { completeCommand } from './commands/complete';
import { contextCommand } from './commands/context';
import { postfilterCommand } from './commands/postfilter';
import { replayCommand } from './commands/replay';
import { runJsonLines, type LineHandler } from './jsonl';

type CommandFactory = (args: Map<string, string>) => LineHandler | Promise<LineHandler>;

const COMMANDS: Record<string, CommandFactory> = {
  postfilter: postfilterCommand,
  context: contextCommand,
  complete: completeCommand,
  replay: replayCommand,
};

/** Registers a command (used by modules that add commands, e.g. replay). */
export function registerCommand(name: string, factory: CommandFactory): void {
  COMMANDS[name] = factory;
}

function parseArgs(argv: string[]): { command: string | undefined; args: Map<string, string> } {
  const args = new Map<string, string>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) args.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args.set(a.slice(2), argv[++i]);
      else args.set(a.slice(2), 'true');
    } else if (!command) command = a;
  }
  return { command, args };
}

export async function main(argv: string[]): Promise<number> {
  const { command, args } = parseArgs(argv);
  const factory = command ? COMMANDS[command] : undefined;
  if (!factory) {
    process.stderr.write(`usage: tessera <${Object.keys(COMMANDS).join('|')}> [options] < input.jsonl\n`);
    return 2;
  }
  let handler: LineHandler;
  try {
    handler = await factory(args);
  } catch (err) {
    process.stderr.write(`tessera ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  await runJsonLines(process.stdin, process.stdout, handler);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`tessera: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
