/** The real files whose typing the replay benchmarks simulate (shared by replay.bench.ts and midedit.bench.ts). */
export const REPLAY_FILES: { path: string; language: string }[] = [
  { path: 'node_modules/picomatch/lib/scan.js', language: 'javascript' },
  { path: 'node_modules/picomatch/lib/picomatch.js', language: 'javascript' },
  { path: 'node_modules/zod/src/v4/core/errors.ts', language: 'typescript' },
  { path: 'node_modules/zod/src/v4/core/util.ts', language: 'typescript' },
  { path: 'node_modules/openai/src/core/pagination.ts', language: 'typescript' },
  { path: 'node_modules/lru-cache/dist/esm/index.js', language: 'javascript' },
  { path: 'node_modules/tree-sitter-python/src/scanner.c', language: 'c' },
  { path: 'node_modules/tree-sitter-rust/src/scanner.c', language: 'c' },
];
