/**
 * Context from the user's other open files: the declarations the code at the cursor uses that live in another open
 * file, then an outline of the files the current file imports — a few small snippets, within a share of the budget.
 *
 *   ./candidates   otherFileCandidates(docs, opts): which open documents may be read at all (never an excluded one:
 *                  built-in secret patterns, `tessera.exclude`), same language family, ≤ N files / chars
 *   ./names        identifiersNear(...): the names used around the cursor, most important first
 *   ./extract      declarations and outlines of other files, by text
 *   ./imports      which open files the current one imports
 *   ./select       selectRelated(req) and the pipeline's planOtherFiles(...): the snippets worth sending
 * The form they travel in (files or comments) and its rendering are the prompt's: ../../prompt/otherFiles.
 */
export {
  MAX_CANDIDATE_CHARS,
  MAX_CANDIDATE_FILES,
  otherFileCandidates,
  type CandidateOptions,
  type OtherDocument,
} from './candidates';
export { importedPaths } from './imports';
export { identifiersNear } from './names';
export {
  OTHER_FILES_SHARE,
  otherFilesBudget,
  planOtherFiles,
  selectRelated,
  type OtherFiles,
  type OtherFilesPlan,
  type RelatedRequest,
  type RelatedResult,
} from './select';
