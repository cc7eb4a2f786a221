/**
 * Request economy and what requests cost a server: replays human-like typing over real files (node_modules
 * sources, this machine's Python standard library) through the extension's scheduler and pipeline (virtual
 * clock, simulated perfect model), for Tessera and the simplest baseline on the same traces.
 *
 * Two kinds of traces (fixed files and seeds):
 *   accept-heavy — lines typed with pauses, and a Tab on what a perfect model shows after a third of the pauses;
 *   type-through — whole functions typed character by character (the user types what they already know):
 *                  editor auto-indent and auto-close, pauses after Enter and mid-line, the rest of a line accepted
 *                  now and then, rarely a whole suggestion, other names typed and deleted (src/sim/typeThrough.ts);
 *   auto-indent — eight short Python functions typed the plainest way (src/sim/autoIndentTyping.ts): Enter brings
 *                  the editor's auto-indent and no whitespace is ever typed or deleted, so from the first line the
 *                  file indents less, what is typed disagrees with what the simulated model answers.
 * Two backends: a local server (250 ms to the first token, 40 tokens/s; prefetch on, the local default) and a
 * cloud API (450 ms, 120 tokens/s; prefetch off, the paid default).
 * Policies: tessera; fixed350 — a fixed 350 ms debounce, no cache, no reuse (superseded requests run to their end).
 * Prompt cost: prefill = prompt tokens a server with a prefix cache processes again (after the prefix shared with
 * the previous prompt, Qwen2.5-Coder's FIM template, the project's token estimate); "plain" is the same measure, on
 * the same requests, for a plain FIM prompt of the nearest lines within the same budget, sliding with the cursor.
 * VS Code's own 50 ms delay before calling the provider is part of every policy. Numbers, never pass/fail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { POLICIES } from '../src/sim/policies';
import { replay, type ReplayDetail, type ReplaySummary } from '../src/sim/replay';
import { rng } from '../src/sim/random';
import type { Trace } from '../src/sim/trace';
import { generateTrace } from '../src/sim/tracegen';
import { functionRegions, generateTypeThroughTrace } from '../src/sim/typeThrough';
import { generateAutoIndentTrace } from '../src/sim/autoIndentTyping';
import { pct } from './stats';
import { REPLAY_FILES } from './replay-files';

const PYTHON_LIB = ['/usr/lib/python3.11', '/root/.pyenv/versions/3.11.7/lib/python3.11'].find((d) =>
  existsSync(`${d}/textwrap.py`),
);

/** Files whose functions the type-through traces type (two functions each, whole files up to MAX_LINES). */
const TYPE_THROUGH_FILES: { path: string; language: string }[] = [
  ...['textwrap', 'shlex', 'fnmatch', 'posixpath', 'glob', 'heapq', 'csv', 'json/encoder'].map((m) => ({
    path: `${PYTHON_LIB}/${m}.py`,
    language: 'python',
  })),
  ...REPLAY_FILES.filter((f) => f.language !== 'c'),
];
const MAX_LINES = 1500;

interface NamedTrace extends Trace {
  file: string;
  language: string;
}

function acceptHeavyTraces(): NamedTrace[] {
  const r = rng(7);
  const out: NamedTrace[] = [];
  for (const f of REPLAY_FILES) {
    if (!existsSync(f.path)) continue;
    // Modest documents: the first 220 lines of the file, a region of ~28 lines typed in the middle.
    const text = readFileSync(f.path, 'utf8').split('\n').slice(0, 220).join('\n');
    const lines = text.split('\n').length;
    for (let k = 0; k < 2; k++) {
      const startLine = 20 + Math.floor(r() * Math.max(1, lines - 60));
      out.push({
        file: f.path,
        language: f.language,
        ...generateTrace(text, f.language, { seed: Math.floor(r() * 1e9), startLine, lines: 28 }),
      });
    }
  }
  return out;
}

function typeThroughTraces(): NamedTrace[] {
  const r = rng(11);
  const out: NamedTrace[] = [];
  for (const f of TYPE_THROUGH_FILES) {
    if (!existsSync(f.path)) {
      console.log(`(skipping missing ${f.path})`);
      continue;
    }
    const text = readFileSync(f.path, 'utf8').split('\n').slice(0, MAX_LINES).join('\n');
    const regions = functionRegions(text, f.language, 5, 25);
    for (let k = 0; k < 2 && regions.length > 0; k++) {
      const [region] = regions.splice(Math.floor(r() * regions.length), 1);
      out.push({
        file: f.path,
        language: f.language,
        ...generateTypeThroughTrace(text, f.language, { seed: Math.floor(r() * 1e9), ...region }),
      });
    }
  }
  return out;
}

/** Eight short functions of Python's standard library (fixed seed), typed with the editor's auto-indent. */
function autoIndentTraces(): NamedTrace[] {
  const modules = [
    'textwrap',
    'shlex',
    'fnmatch',
    'posixpath',
    'glob',
    'heapq',
    'csv',
    'json/encoder',
    'bisect',
    'colorsys',
    'base64',
    'copy',
    'difflib',
    'calendar',
  ];
  const r = rng(3);
  const out: NamedTrace[] = [];
  const picked = new Set<string>();
  for (let tries = 0; out.length < 8 && tries < 1000; tries++) {
    const path = `${PYTHON_LIB}/${modules[Math.floor(r() * modules.length)]}.py`;
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const regions = functionRegions(text, 'python', 4, 14);
    if (regions.length === 0) continue;
    const region = regions[Math.floor(r() * regions.length)];
    const key = `${path}:${region.startLine}`;
    if (text.split('\n').slice(region.startLine, region.endLine).join('\n').length > 450 || picked.has(key)) continue;
    picked.add(key);
    out.push({
      file: path,
      language: 'python',
      ...generateAutoIndentTrace(text, 'python', { seed: 1000 + out.length, ...region }),
    });
  }
  return out;
}

const BACKENDS = [
  {
    name: 'local server (250 ms to first token, 40 tok/s; prefetch on)',
    latencyMs: 250,
    tokensPerS: 40,
    prefetch: true,
    local: true,
  },
  {
    name: 'cloud API (450 ms, 120 tok/s; prefetch off)',
    latencyMs: 450,
    tokensPerS: 120,
    prefetch: false,
    local: false,
  },
];

type Sums = Omit<ReplaySummary, 'pauseToGhostP50' | 'pauseToGhostP95'> &
  Pick<
    ReplayDetail,
    | 'traceChars'
    | 'pauseToGhost'
    | 'promptTokens'
    | 'plainWindowPrefillTokens'
    | 'prefillSuffixTokens'
    | 'plainWindowPrefillSuffixTokens'
    | 'firstPrefillTokens'
    | 'plainWindowFirstPrefillTokens'
  > & { traces: number; unshown: number; byReason: Map<string, { n: number; unshown: number; cancelled: number }> };

function emptySums(): Sums {
  return {
    keystrokes: 0,
    requests: 0,
    cancelled: 0,
    cacheHits: 0,
    typedAheadHits: 0,
    pauses: 0,
    pausesWithGhost: 0,
    generatedTokens: 0,
    prefillTokens: 0,
    traceChars: 0,
    pauseToGhost: [],
    promptTokens: 0,
    plainWindowPrefillTokens: 0,
    prefillSuffixTokens: 0,
    plainWindowPrefillSuffixTokens: 0,
    firstPrefillTokens: 0,
    plainWindowFirstPrefillTokens: 0,
    traces: 0,
    unshown: 0,
    byReason: new Map(),
  };
}

function add(s: Sums, summary: ReplaySummary, detail: ReplayDetail): void {
  for (const k of [
    'keystrokes',
    'requests',
    'cancelled',
    'cacheHits',
    'typedAheadHits',
    'pauses',
    'pausesWithGhost',
    'generatedTokens',
    'prefillTokens',
  ] as const)
    s[k] += summary[k];
  for (const k of [
    'traceChars',
    'promptTokens',
    'plainWindowPrefillTokens',
    'prefillSuffixTokens',
    'plainWindowPrefillSuffixTokens',
    'firstPrefillTokens',
    'plainWindowFirstPrefillTokens',
  ] as const)
    s[k] += detail[k];
  s.traces++;
  s.pauseToGhost.push(...detail.pauseToGhost);
  s.unshown += detail.requestLog.filter((q) => !q.shown).length;
  for (const q of detail.requestLog) {
    const k = `${q.reason}/${q.why}`;
    const r = s.byReason.get(k) ?? { n: 0, unshown: 0, cancelled: 0 };
    r.n++;
    if (!q.shown) r.unshown++;
    if (q.cancelled) r.cancelled++;
    s.byReason.set(k, r);
  }
}

const per100 = (n: number, chars: number) => ((100 * n) / Math.max(1, chars)).toFixed(1);
const ratio = (a: number, b: number) => (b === 0 ? '–' : (a / b).toFixed(1));

const COLS: [string, number][] = [
  ['policy', 10],
  ['req/100ch', 10],
  ['unshown', 8],
  ['gen/100ch', 10],
  ['prefill/100ch', 14],
  ['prefill/req', 12],
  ['plain/req', 10],
  ['ghost@pause', 12],
  ['p2g p50', 8],
  ['p95', 6],
  ['ms', 7],
];
const row = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(COLS[i][1]) : c.padStart(COLS[i][1]))).join('');

async function run(kind: string, traces: NamedTrace[]): Promise<void> {
  const chars = traces.reduce((n, t) => n + t.events.filter((e) => 'text' in e).length, 0);
  console.log(
    `\n##### ${kind}: ${traces.length} traces from ${new Set(traces.map((t) => t.file)).size} files, ${chars} keystrokes, ${traces.reduce((n, t) => n + t.events.filter((e) => 'accept' in e).length, 0)} accepts`,
  );
  for (const b of BACKENDS) {
    console.log(`\nbackend: ${b.name}`);
    console.log(row(COLS.map(([h]) => h)));
    const perTrace = new Map<NamedTrace, number>();
    const perLanguage = new Map<string, Sums>();
    for (const name of ['tessera', 'fixed350']) {
      const started = performance.now();
      const s = emptySums();
      for (const tr of traces) {
        const { summary, detail } = await replay(tr.header, tr.events, {
          latencyMs: b.latencyMs,
          tokensPerS: b.tokensPerS,
          policy: POLICIES[name],
          prefetch: b.prefetch,
          local: b.local,
        });
        add(s, summary, detail);
        if (name === 'tessera') {
          perTrace.set(tr, (100 * summary.requests) / Math.max(1, detail.traceChars));
          if (!perLanguage.has(tr.language)) perLanguage.set(tr.language, emptySums());
          add(perLanguage.get(tr.language)!, summary, detail);
        }
      }
      console.log(
        row([
          name,
          per100(s.requests, s.traceChars),
          `${Math.round((100 * s.unshown) / Math.max(1, s.requests))}%`,
          per100(s.generatedTokens, s.traceChars),
          per100(s.prefillTokens, s.traceChars),
          (s.prefillTokens / Math.max(1, s.requests)).toFixed(0),
          (s.plainWindowPrefillTokens / Math.max(1, s.requests)).toFixed(0),
          `${((100 * s.pausesWithGhost) / Math.max(1, s.pauses)).toFixed(1)}%`,
          String(Math.round(pct(s.pauseToGhost, 50) || 0)),
          String(Math.round(pct(s.pauseToGhost, 95) || 0)),
          String(Math.round(performance.now() - started)),
        ]),
      );
      if (name === 'tessera') {
        console.log(
          `           ${s.traceChars} chars; prompt tokens without a prefix cache ${(s.promptTokens / Math.max(1, s.requests)).toFixed(0)}/req; prefill vs plain window ${ratio(s.plainWindowPrefillTokens, s.prefillTokens)}× fewer; hits: cache ${s.cacheHits}, typed-ahead ${s.typedAheadHits}`,
        );
        const share = (a: number, b: number) => `${Math.round((100 * a) / Math.max(1, b))}%`;
        console.log(
          `           prefill of the suffix section (sent again because something before it changed): ${(s.prefillSuffixTokens / Math.max(1, s.requests)).toFixed(0)}/req = ${share(s.prefillSuffixTokens, s.prefillTokens)} of it (plain window: ${(s.plainWindowPrefillSuffixTokens / Math.max(1, s.requests)).toFixed(0)}/req = ${share(s.plainWindowPrefillSuffixTokens, s.plainWindowPrefillTokens)})`,
        );
        const warm = (n: number, first: number) => (n - first) / Math.max(1, s.requests - s.traces);
        console.log(
          `           after each trace's first request (a cold cache, the whole prompt for both): prefill ${warm(s.prefillTokens, s.firstPrefillTokens).toFixed(0)}/req, plain window ${warm(s.plainWindowPrefillTokens, s.plainWindowFirstPrefillTokens).toFixed(0)}/req: ${ratio(s.plainWindowPrefillTokens - s.plainWindowFirstPrefillTokens, s.prefillTokens - s.firstPrefillTokens)}× fewer`,
        );
        const reasons = [...s.byReason.entries()].sort((a, c) => c[1].n - a[1].n);
        console.log(
          `           requests by reason/shape (never shown, cancelled): ${reasons.map(([k, r]) => `${k} ${r.n} (${r.unshown}, ${r.cancelled})`).join('; ')}`,
        );
        for (const [lang, l] of perLanguage) {
          console.log(
            `           ${lang.padEnd(11)} req/100ch ${per100(l.requests, l.traceChars)}, ghost@pause ${((100 * l.pausesWithGhost) / Math.max(1, l.pauses)).toFixed(1)}%, p2g p95 ${Math.round(pct(l.pauseToGhost, 95) || 0)} ms, prefill ${(l.prefillTokens / Math.max(1, l.requests)).toFixed(0)}/req (plain window ${(l.plainWindowPrefillTokens / Math.max(1, l.requests)).toFixed(0)}: ${ratio(l.plainWindowPrefillTokens, l.prefillTokens)}× fewer)`,
          );
        }
        if (kind === 'type-through' && b.local) {
          // The same requests' prompts in Codestral's suffix-first (SPM) template: the suffix before the prefix.
          const spm = emptySums();
          for (const tr of traces) {
            const { summary, detail } = await replay(tr.header, tr.events, {
              latencyMs: b.latencyMs,
              tokensPerS: b.tokensPerS,
              policy: POLICIES.tessera,
              prefetch: b.prefetch,
              local: b.local,
              fimTemplate: 'codestral',
            });
            add(spm, summary, detail);
          }
          console.log(
            `           suffix-first (Codestral SPM): prefill ${(spm.prefillTokens / Math.max(1, spm.requests)).toFixed(0)}/req, plain window ${(spm.plainWindowPrefillTokens / Math.max(1, spm.requests)).toFixed(0)}/req: ${ratio(spm.plainWindowPrefillTokens, spm.prefillTokens)}× fewer; after each trace's first request ${ratio(spm.plainWindowPrefillTokens - spm.plainWindowFirstPrefillTokens, spm.prefillTokens - spm.firstPrefillTokens)}× fewer`,
          );
        }
        const worst = [...perTrace.entries()].sort((a, c) => c[1] - a[1])[0];
        if (worst)
          console.log(
            `           worst trace: ${worst[0].file.replace(/^.*node_modules\//, '')} ${worst[1].toFixed(1)} req/100ch`,
          );
      }
    }
  }
}

async function main() {
  await run('type-through', typeThroughTraces());
  await run('auto-indent', autoIndentTraces());
  await run('accept-heavy', acceptHeavyTraces());
  console.log(
    [
      '',
      'req/100ch: backend requests per 100 characters the trace adds (typed or accepted, the same for every policy);',
      'unshown: share of requests whose answer was never shown as ghost text; gen/100ch: tokens generated per 100 characters;',
      'prefill: prompt tokens a prefix-caching server processes again (after the prefix shared with the previous prompt);',
      'plain/req: the same for a plain nearest-lines FIM prompt of the same budget, on the same requests;',
      'ghost@pause: pauses (idle ≥ 500 ms) at which ghost text showed; p2g: ms from the last key before a pause to the',
      'ghost text (0 when it was already showing), over pauses with ghost text.',
    ].join('\n'),
  );
}

void main();
