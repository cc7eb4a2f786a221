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

const FILES: { path: string; language: string }[] = [
  { path: 'node_modules/picomatch/lib/scan.js', language: 'javascript' },
  { path: 'node_modules/picomatch/lib/picomatch.js', language: 'javascript' },
  { path: 'node_modules/zod/src/v4/core/errors.ts', language: 'typescript' },
  { path: 'node_modules/zod/src/v4/core/util.ts', language: 'typescript' },
  { path: 'node_modules/openai/src/core/pagination.ts', language: 'typescript' },
  { path: 'node_modules/lru-cache/dist/esm/index.js', language: 'javascript' },
  { path: 'node_modules/tree-sitter-python/src/scanner.c', language: 'c' },
  { path: 'node_modules/tree-sitter-rust/src/scanner.c', language: 'c' },
];

const BACKENDS = [
  { name: 'local 7B (TTFT 250 ms, 40 tok/s)', latencyMs: 250, tokensPerS: 40 },
  { name: 'cloud (TTFT 450 ms, 120 tok/s)', latencyMs: 450, tokensPerS: 120 },
];

function pct(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]);
}

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
      ['policy', 'req/100ch', 'cancelled', 'ghost@pause', 'typed-thru served', 'pause→ghost p50', 'p95', 'cold p50', 'cold p95', 'replay ms'].map((s, i) => (i === 0 ? s.padEnd(10) : s.padStart(i === 4 ? 18 : 12))).join(''),
    );
    for (const [name, policy] of Object.entries(POLICIES)) {
      const started = performance.now();
      const sums: ReplaySummary & ReplayDetail = {
        keystrokes: 0, requests: 0, cancelled: 0, cacheHits: 0, typedAheadHits: 0, pauses: 0, pausesWithGhost: 0, pauseToGhostP50: 0, pauseToGhostP95: 0,
        typedChars: 0, typedThroughChars: 0, typedThroughServed: 0, inflightHits: 0, accepts: 0, acceptsWithGhost: 0, pauseToGhost: [],
        servedBy: { cache: 0, 'typed-ahead': 0, 'in-flight': 0, request: 0 },
      };
      for (const tr of traces) {
        const { summary, detail } = await replay(tr.header, tr.events, { latencyMs: b.latencyMs, tokensPerS: b.tokensPerS, policy });
        for (const k of ['keystrokes', 'requests', 'cancelled', 'cacheHits', 'typedAheadHits', 'pauses', 'pausesWithGhost'] as const) sums[k] += summary[k];
        for (const k of ['typedChars', 'typedThroughChars', 'typedThroughServed', 'inflightHits', 'accepts', 'acceptsWithGhost'] as const) sums[k] += detail[k];
        sums.pauseToGhost.push(...detail.pauseToGhost);
      }
      const ms = Math.round(performance.now() - started);
      const cold = sums.pauseToGhost.filter((x) => x > 0);
      const row = [
        name.padEnd(10),
        ((100 * sums.requests) / Math.max(1, sums.typedChars)).toFixed(1).padStart(12),
        String(sums.cancelled).padStart(12),
        `${((100 * sums.pausesWithGhost) / Math.max(1, sums.pauses)).toFixed(1)}%`.padStart(12),
        `${((100 * sums.typedThroughServed) / Math.max(1, sums.typedThroughChars)).toFixed(1)}%`.padStart(18),
        `${pct(sums.pauseToGhost, 50)} ms`.padStart(12),
        `${pct(sums.pauseToGhost, 95)} ms`.padStart(12),
        `${pct(cold, 50)} ms`.padStart(12),
        `${pct(cold, 95)} ms`.padStart(12),
        String(ms).padStart(12),
      ];
      console.log(row.join(''));
      if (name === 'tessera') {
        console.log(
          `           ${sums.typedChars} chars typed, ${sums.typedThroughChars} typed through a suggestion; ${sums.pauses} pauses; hits: cache ${sums.cacheHits}, typed-ahead ${sums.typedAheadHits}, in-flight ${sums.inflightHits}; accepts with ghost ${sums.acceptsWithGhost}/${sums.accepts}`,
        );
      }
    }
  }
  console.log('\npause→ghost: ms from the last keystroke before an idle ≥ 500 ms to the ghost text (0 when it was already showing); cold: only pauses where it was not.');
}

void main();
