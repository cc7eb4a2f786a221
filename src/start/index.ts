/** What `scripts/start.mjs` uses from TypeScript (bundled into dist/start.js). */
export { ensureDefaultModel, failureParagraph, WAYS_ON } from './model';
export { detectServer } from './detectServer';
export { renderProgress } from './progress';
export { modelCacheDir, catalogModel, formatBytes, modelFilePath } from '../core/backends/embedded/models';
export { readGgufInfo } from '../core/backends/embedded/gguf';
