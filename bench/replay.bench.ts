/**
 * Request economy: replays human-like typing over real files from node_modules through the extension's
 * scheduler and pipeline (virtual clock, simulated perfect model), for Tessera and two reference policies on the
 * same traces:
 *   fixed350 — a fixed 350 ms debounce, no cache, no reuse (superseded requests run to the end);
 *   cancel75 — a 75 ms debounce, superseded requests cancelled, nothing reused.
 * VS Code's own 50 ms delay before calling the provider is part of every policy (it is what the editor does).
 * Prints numbers, never pass/fail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { POLICIES } from '../src/cli/commands/replay';
import { replay, type ReplayDetail, type ReplaySummary } from '../src/core/scheduling/replay';
import { generateTrace, rng } from '../src/core/scheduling/tracegen';
import { REPLAY_FILES } from './replay-files';

const FILES = REPLAY_FILES;

/** Prefetch follows the extension's defaults: on for local servers, off for paid ones unless tessera.prefetch. */
const BACKENDS = [
  { name: 'local 7B (TTFT 250 ms, 40 tok/s; prefetch on, the local default)', latencyMs: 250, tokensPerS: 40, prefetch: true, local: true },
  { name: 'cloud (TTFT 450 ms, 120 tok/s; prefetch off, the paid default)', latencyMs: 450, tokensPerS: 120, prefetch: false, local: false },
  { name: 'cloud (TTFT 450 ms, 120 tok/s; tessera.prefetch on)', latencyMs: 450, tokensPerS: 120, prefetch: true, local: false },
  { name: 'cloud (TTFT 450 ms, 120 tok/s; prefetch off, and no speculation while typing through: what speculation buys)', latencyMs: 450, tokensPerS: 120, prefetch: false, speculate: false, local: false },
];

function pct(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]);
}

const COLS: [string, number][] = [
  ['policy', 10], ['req/100ch', 10], ['tok/100ch', 10], ['cancelled', 10], ['ghost@pause', 12], ['…w/ answer', 11], ['typed-thru', 11],
  ['…served', 9], ['thru/req', 9], ['p2g p50', 9], ['p95', 7], ['cold p50', 9], ['p95', 7], ['replay ms', 10],
];

async function main() {
  const r = rng(7);
  const traces = [];
  for (const f of FILES) {
    if (!existsSync(f.path)) {
      console.log(`(skipping missing ${f.path})`);
      continue;
    }
    // Keep documents modest: the first 220 lines of the file, a region of ~28 lines typed in the middle.
    const text = readFileSync(f.path, 'utf8').split('\n').slice(0, 220).join('\n');
    const lines = text.split('\n').length;
    for (let k = 0; k < 2; k++) {
      const startLine = 20 + Math.floor(r() * Math.max(1, lines - 60));
      traces.push({ file: f.path, ...generateTrace(text, f.language, { seed: Math.floor(r() * 1e9), startLine, lines: 28 }) });
    }
  }
  const keys = traces.reduce((n, t) => n + t.events.filter((e) => 'text' in e).length, 0);
  console.log(`${traces.length} traces from ${FILES.length} files, ${keys} keystrokes, ${traces.reduce((n, t) => n + t.events.filter((e) => 'accept' in e).length, 0)} accepts`);

  for (const b of BACKENDS) {
    console.log(`\nbackend: ${b.name}`);
    console.log(
      COLS.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join(''),
    );
    for (const [name, policy] of Object.entries(POLICIES)) {
      const started = performance.now();
      const sums: ReplaySummary & ReplayDetail = {
        keystrokes: 0, requests: 0, cancelled: 0, cacheHits: 0, typedAheadHits: 0, pauses: 0, pausesWithGhost: 0, pauseToGhostP50: 0, pauseToGhostP95: 0,
        typedChars: 0, typedThroughChars: 0, typedThroughServed: 0, inflightHits: 0, accepts: 0, acceptsWithGhost: 0, pauseToGhost: [], pausesWithAnswer: 0, pausesWithAnswerAndGhost: 0, tokens: 0,
        servedBy: { cache: 0, 'typed-ahead': 0, 'in-flight': 0, request: 0 },
      };
      for (const tr of traces) {
        const { summary, detail } = await replay(tr.header, tr.events, { latencyMs: b.latencyMs, tokensPerS: b.tokensPerS, policy, prefetch: b.prefetch, speculate: (b as { speculate?: boolean }).speculate, local: b.local });
        for (const k of ['keystrokes', 'requests', 'cancelled', 'cacheHits', 'typedAheadHits', 'pauses', 'pausesWithGhost'] as const) sums[k] += summary[k];
        for (const k of ['typedChars', 'typedThroughChars', 'typedThroughServed', 'inflightHits', 'accepts', 'acceptsWithGhost', 'pausesWithAnswer', 'pausesWithAnswerAndGhost', 'tokens'] as const) sums[k] += detail[k];
        sums.pauseToGhost.push(...detail.pauseToGhost);
      }
      const ms = Math.round(performance.now() - started);
      const cold = sums.pauseToGhost.filter((x) => x > 0);
      const cells = [
        name,
        ((100 * sums.requests) / Math.max(1, sums.typedChars)).toFixed(1),
        ((100 * sums.tokens) / Math.max(1, sums.typedChars)).toFixed(0),
        String(sums.cancelled),
        `${((100 * sums.pausesWithGhost) / Math.max(1, sums.pauses)).toFixed(1)}%`,
        `${((100 * sums.pausesWithAnswerAndGhost) / Math.max(1, sums.pausesWithAnswer)).toFixed(1)}%`,
        `${((100 * sums.typedThroughChars) / Math.max(1, sums.typedChars)).toFixed(1)}%`,
        `${((100 * sums.typedThroughServed) / Math.max(1, sums.typedThroughChars)).toFixed(1)}%`,
        (sums.typedThroughChars / Math.max(1, sums.requests)).toFixed(1),
        `${pct(sums.pauseToGhost, 50)}`,
        `${pct(sums.pauseToGhost, 95)}`,
        `${pct(cold, 50)}`,
        `${pct(cold, 95)}`,
        String(ms),
      ];
      console.log(cells.map((c, i) => (i === 0 ? c.padEnd(COLS[i][1]) : c.padStart(COLS[i][1]))).join(''));
      if (name === 'tessera') {
        console.log(
          `           ${sums.typedChars} chars typed, ${sums.typedThroughChars} typed through a suggestion; ${sums.pauses} pauses; hits: cache ${sums.cacheHits}, typed-ahead ${sums.typedAheadHits}, in-flight ${sums.inflightHits}; accepts with ghost ${sums.acceptsWithGhost}/${sums.accepts}`,
        );
      }
    }
  }
  console.log(
    [
      '',
      'req/100ch: backend requests per 100 typed characters; tok/100ch: tokens the backend generated per 100 typed characters.',
      'ghost@pause: pauses (idle ≥ 500 ms) at which ghost text showed;',
      '…w/ answer: the same among pauses where a perfect model has something to show (not, e.g., after a finished line).',
      'typed-thru: share of typed characters typed while a matching suggestion showed; …served: of those, served without',
      'a request with the ghost kept. thru/req: typed-through characters per request (useful ghost text per request). p2g: ms from the last keystroke before a pause to the ghost text (0 when it was',
      'already showing), over pauses with ghost; cold: only those where it was not already showing.',
    ].join('\n'),
  );
}

void main();
