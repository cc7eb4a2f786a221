/**
 * Prompt formation: FIM templates per model family, detection of the family (`fimTemplate: "auto"`),
 * client-side stop sequences and the chat-answer guard.
 */
export * from './templates';
export * from './detect';
export * from './stops';
export * from './chat';
export * from './otherFiles';
