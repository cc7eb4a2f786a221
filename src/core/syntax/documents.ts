/**
 * One syntax tree per open document, kept up to date incrementally.
 *
 * The editor reports each change as it happens (`change`): the stored tree is edited at once (cheap, no parse) and
 * marked stale. The reparse happens lazily, when someone needs the tree (`treeFor`): several keystrokes' edits
 * fold into one incremental reparse, and typing never waits for a parse nobody asked for.
 * Documents over `maxChars` are never parsed (the context takes the line window, and the log says so once).
 * The service owns every tree it returns: callers use it synchronously and never delete it.
 */
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { grammarFor, getLoadedLanguage, parseSync, preload, toEdit, type TextChange, type Tree } from './index';

export interface DocumentTreesOptions {
  /** Documents longer than this (UTF-16 code units) are not parsed. Default 2,000,000 (~50k lines of code). */
  maxChars?: number;
  /**
   * Max time for one parse (default 1000 ms: the first parse also compiles the grammar's WASM). Over it, the document
   * is not parsed again until it is reopened (the log says so): a slow parse would stall every request.
   */
  maxParseMs?: number;
  log?: Logger;
}

interface Entry {
  languageId: string;
  /** Version the stored tree has been edited to. */
  version: number;
  tree: Tree | undefined;
  /** The tree has edits not yet reparsed. */
  stale: boolean;
  tooLarge: boolean;
  /** A parse ran out of time: not parsed again until reopened. */
  tooSlow: boolean;
}

export class DocumentTrees {
  private readonly docs = new Map<string, Entry>();
  private readonly maxChars: number;
  private readonly maxParseMs: number;
  private readonly log: Logger;
  /** Counters for the log and tests. */
  readonly stats = { fullParses: 0, incrementalParses: 0, edits: 0 };

  constructor(options: DocumentTreesOptions = {}) {
    this.maxChars = options.maxChars ?? 2_000_000;
    this.maxParseMs = options.maxParseMs ?? 1000;
    this.log = options.log ?? silentLogger;
  }

  /** A document was opened (or its language changed). Starts loading its grammar in the background. */
  open(uri: string, languageId: string, version: number, length: number): void {
    this.close(uri);
    if (!grammarFor(languageId)) return;
    const tooLarge = length > this.maxChars;
    if (tooLarge) {
      this.log.info(
        `syntax: ${uri} has ${length} characters, over the ${this.maxChars} parse cap: context uses the line window`,
      );
    }
    this.docs.set(uri, { languageId, version, tree: undefined, stale: false, tooLarge, tooSlow: false });
    if (!tooLarge) preload(languageId);
  }

  /** Changes of one editor event, each against the text before the event, in any order; `version` is the new one. */
  change(uri: string, changes: readonly TextChange[], version: number, newLength: number): void {
    const e = this.docs.get(uri);
    if (!e) return;
    e.version = version;
    if (newLength > this.maxChars) {
      if (!e.tooLarge)
        this.log.info(
          `syntax: ${uri} grew over the ${this.maxChars}-character parse cap: context uses the line window`,
        );
      this.drop(e);
      e.tooLarge = true;
      return;
    }
    e.tooLarge = false;
    if (!e.tree) return;
    // Apply from the end of the document backwards so earlier offsets stay valid.
    const sorted = [...changes].sort((a, b) => b.offset - a.offset);
    for (const c of sorted) {
      if (!c.startPosition || !c.oldEndPosition) {
        this.drop(e); // positions unknown: start over with a full parse
        return;
      }
      e.tree.edit(toEdit(c));
      this.stats.edits++;
    }
    e.stale = true;
  }

  /**
   * The tree of `uri` at `version` with text `text`, reparsing incrementally if needed; undefined when the document
   * is not tracked, has no grammar (or it is not loaded yet), is over the cap, the version does not match, or the
   * parse ran out of time.
   */
  treeFor(uri: string, version: number | undefined, text: string): Tree | undefined {
    const e = this.docs.get(uri);
    if (!e || e.tooLarge || e.tooSlow || (version !== undefined && version !== e.version)) return undefined;
    if (!getLoadedLanguage(e.languageId)) return undefined;
    if (e.tree && !e.stale) return e.tree;
    const old = e.tree;
    const next = parseSync(e.languageId, text, old ?? null, { maxMs: this.maxParseMs });
    if (old) {
      old.delete();
      this.stats.incrementalParses++;
    } else {
      this.stats.fullParses++;
    }
    e.tree = next;
    e.stale = false;
    if (!next) {
      e.tooSlow = true;
      this.log.warn(
        `syntax: parsing ${uri} took over ${this.maxParseMs} ms: context uses the line window for it until it is reopened`,
      );
    }
    return next;
  }

  close(uri: string): void {
    const e = this.docs.get(uri);
    if (e) this.drop(e);
    this.docs.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.docs.keys()]) this.close(uri);
  }

  private drop(e: Entry): void {
    e.tree?.delete();
    e.tree = undefined;
    e.stale = false;
  }
}
