/**
 * The context builder without its latency safety net (the far-code search stops after 200 ms of wall time): tests
 * assert what it selects, which must not depend on how loaded the test machine is.
 */
import * as context from '../../../src/core/context';
import type { ContextRequest, ContextResult } from '../../../src/core/context';

export const buildContext = (req: ContextRequest): Promise<ContextResult> =>
  context.buildContext({ farSearchMs: Infinity, ...req });

export const buildContextSync = (req: ContextRequest): ContextResult =>
  context.buildContextSync({ farSearchMs: Infinity, ...req });
