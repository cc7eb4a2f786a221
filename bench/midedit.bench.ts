/**
 * Post-filter on documents being edited: the replay benchmark's typing traces (same files, same seeds as
 * bench/replay.bench.ts), judged at every keystroke. At each document state the completion a perfect model gives
 * (the final file's text after the cursor, shaped as the scheduler would ask for it; `length` when the request's
 * token cap cut it, else `stop`) goes through the post-filter;
 * the table reports how often that correct completion comes back whole, cut shorter, or rejected (by reason).
 *
 * With TESSERA_MIDEDIT_WRITE=<dir> the rejected and shortened cases are also written as golden fixtures
 * (`█` format, a window of the document around the cursor) — the source of test/fixtures/postfilter/midedit.
 *
 * Numbers only; never pass/fail.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postfilter } from '../src/core/postfilter';
import { perfectAnswer } from '../src/sim/perfectModel';
import { decideShape } from '../src/core/scheduling/shape';
import { rng } from '../src/sim/random';
import { generateTrace } from '../src/sim/tracegen';
import { REPLAY_FILES } from './replay-files';

const FILES = REPLAY_FILES;

interface MidEditCase {
  file: string;
  language: string;
  prefix: string;
  suffix: string;
  completion: string;
  multiline: boolean;
  /** The answer was cut at the request's token cap (`length`), or is the whole unit the model would end (`stop`). */
  finish: 'stop' | 'length';
}

/** Every keystroke state of the replay traces with a non-empty perfect answer (deduplicated). */
function midEditCases(): MidEditCase[] {
  const r = rng(7);
  const out: MidEditCase[] = [];
  const seen = new Set<string>();
  for (const f of FILES) {
    if (!existsSync(f.path)) continue;
    const text = readFileSync(f.path, 'utf8').split('\n').slice(0, 220).join('\n');
    const lines = text.split('\n').length;
    for (let k = 0; k < 2; k++) {
      const startLine = 20 + Math.floor(r() * Math.max(1, lines - 60));
      const { header, events } = generateTrace(text, f.language, { seed: Math.floor(r() * 1e9), startLine, lines: 28 });
      for (const ev of events) {
        if (!('text' in ev)) continue;
        const prefix = ev.text.slice(0, ev.offset);
        const suffix = ev.text.slice(ev.offset);
        const shape = decideShape(prefix, suffix, { maxTokens: 128, stop: [] });
        const completion = perfectAnswer(header.final, prefix, suffix, shape.multiline, shape.maxTokens * 4);
        if (completion.trim() === '') continue;
        const finish =
          perfectAnswer(header.final, prefix, suffix, shape.multiline, Infinity).length > completion.length
            ? 'length'
            : 'stop';
        const key = `${ev.offset}\u0000${completion}\u0000${ev.text.length}\u0000${prefix.slice(-200)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          file: f.path,
          language: f.language,
          prefix,
          suffix,
          completion,
          multiline: shape.multiline,
          finish,
        });
      }
    }
  }
  return out;
}

/** A window of the document around the cursor for a fixture: whole lines, `before`/`after` lines each side. */
function fixtureText(
  c: MidEditCase,
  description: string,
  expected: string,
  before = Infinity,
  after = Infinity,
): string {
  const pre = c.prefix.split('\n');
  const post = c.suffix.split('\n');
  const prefix = pre.slice(Math.max(0, pre.length - before)).join('\n');
  const suffix = post.slice(0, after).join('\n');
  return [
    `language: ${c.language}`,
    `description: ${description}`,
    `multiline: ${c.multiline}`,
    ...(c.finish === 'length' ? ['finish: length'] : []),
    '--- document',
    prefix + '█' + suffix,
    '--- completion',
    c.completion,
    '--- expected',
    expected,
    '',
  ].join('\n');
}

async function main() {
  const cases = midEditCases();
  const writeDir = process.env.TESSERA_MIDEDIT_WRITE;
  if (writeDir) mkdirSync(writeDir, { recursive: true });
  const byReason = new Map<string, number>();
  let whole = 0;
  let shorter = 0;
  let other = 0;
  const ms: number[] = [];
  let written = 0;
  for (const c of cases) {
    const t0 = performance.now();
    const res = await postfilter({
      language: c.language,
      prefix: c.prefix,
      suffix: c.suffix,
      completion: c.completion,
      multiline: c.multiline,
      finish: c.finish,
    });
    ms.push(performance.now() - t0);
    const want = c.completion.replace(/\s+$/, '');
    let bad: string | undefined;
    if (res.kind !== 'ok') {
      byReason.set(res.reason, (byReason.get(res.reason) ?? 0) + 1);
      bad = `rejected as ${res.reason}`;
    } else if (res.completion === want && res.replaceSuffix === 0) whole++;
    else if (want.startsWith(res.completion) && res.replaceSuffix === 0) {
      shorter++;
      if (res.completion.trim() === '') bad = 'cut to nothing';
    } else other++;
    if (writeDir && bad && res.kind !== 'ok' && res.reason === 'parse-error') {
      const base = c.file
        .split('/')
        .slice(-2)
        .join('-')
        .replace(/\.\w+$/, '');
      const name = `${base}-${String(++written).padStart(3, '0')}.txt`;
      writeFileSync(
        join(writeDir, name),
        fixtureText(c, `mid-edit (${c.file}): the correct completion was ${bad}`, want),
      );
    }
  }
  const n = cases.length;
  const pct = (x: number) => `${((100 * x) / Math.max(1, n)).toFixed(1)}%`;
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]?.toFixed(1);
  console.log(
    `${n} keystroke states with a correct (perfect-model) completion, replay traces of ${FILES.length} files`,
  );
  console.log(`  shown whole:        ${whole} (${pct(whole)})`);
  console.log(`  shown cut shorter:  ${shorter} (${pct(shorter)})`);
  console.log(`  shown otherwise:    ${other} (${pct(other)})`);
  const rejected = [...byReason.values()].reduce((a, b) => a + b, 0);
  console.log(`  rejected:           ${rejected} (${pct(rejected)})`);
  for (const [reason, k] of [...byReason].sort((a, b) => b[1] - a[1]))
    console.log(`    ${reason.padEnd(18)}${k} (${pct(k)})`);
  console.log(`  ms per call: p50 ${q(50)}, p95 ${q(95)}, max ${ms[ms.length - 1]?.toFixed(1)}`);
  if (writeDir) console.log(`  wrote ${written} parse-error cases to ${writeDir}`);
}

void main();
