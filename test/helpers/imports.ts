/**
 * The import graph of a source tree, read from the text of its files: static `import … from`, `export … from`,
 * `import '…'`, dynamic `import('…')` and `require('…')`. Relative specifiers are resolved to files (`.ts`, then
 * `/index.ts`); others (packages, `vscode`) stay as written. Used by the architecture tests, which also run it on
 * a fixture tree to show each check fails when its rule is broken.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPECIFIER =
  /(?:^|[^\w$.])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[^\w$.])import\s*['"]([^'"]+)['"]|(?:^|[^\w$.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Module specifiers a source text imports, in order. Comments are skipped. */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [...code.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3]);
}

export interface ImportEdge {
  /** Importing file, relative to the root, with `/` separators. */
  from: string;
  /** The imported file relative to the root, or the bare specifier (`vscode`, `node:fs`, a package). */
  to: string;
  specifier: string;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mts|cts|js|mjs)$/.test(name) ? [p] : [];
  });
}

function resolveRelative(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.mts`, `${base}.js`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every import of every source file under `root`. */
export function importEdges(root: string): ImportEdge[] {
  const posix = (p: string) => relative(root, p).split('\\').join('/');
  return sourceFiles(root).flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8')).map((specifier) => {
      const target = specifier.startsWith('.') ? resolveRelative(file, specifier) : undefined;
      return { from: posix(file), to: target ? posix(target) : specifier, specifier };
    }),
  );
}

/** The folder of a root-relative file path ('' for the root itself). */
export function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Imports from files under `fromFolder` of anything matching `forbidden` (a folder prefix or a bare specifier). */
export function forbiddenImports(edges: ImportEdge[], fromFolder: string, forbidden: readonly string[]): ImportEdge[] {
  const under = (p: string, folder: string) => p === folder || p.startsWith(`${folder}/`);
  return edges.filter((e) => under(e.from, fromFolder) && forbidden.some((f) => e.to === f || under(e.to, f)));
}

/**
 * Cycles in the graph of units (by default the folder of each file; an edge A → B when a file of unit A imports a
 * file of unit B, A ≠ B): each as the units along it, first unit repeated at the end. Only files inside the tree
 * count. One cycle per strongly connected set of units is reported.
 */
export function unitCycles(edges: ImportEdge[], unitOf: (path: string) => string = folderOf): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.to === e.specifier) continue; // a package or `vscode`: not a file of the tree
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  // Tarjan's strongly connected components; a component of two or more folders holds a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return components.map((comp) => cycleWithin(graph, new Set(comp)));
}

/** One cycle through the first folder of a strongly connected set (breadth-first back to it). */
function cycleWithin(graph: Map<string, Set<string>>, comp: Set<string>): string[] {
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
