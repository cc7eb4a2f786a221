// In a real VS Code, the prompt of a long Python file carries the tree-sitter-trimmed context — the nearest lines, the
// enclosing class's header and its other members' signatures far above with their bodies elided — not a blind window
// of lines; the prompt's start stays the same while the user types (a prefix-caching server keeps it); and typing
// keeps the editor's incremental tree in step with the document (the prompt follows an edit far above).
import { sleep, waitFor } from '../harness.mjs';

export const name =
  'context: syntax-trimmed prompt (nearest lines, headers, member signatures, elided bodies), stable while typing, on a long Python file';

function filler(n, indent = '', prefix = 'helper_', self = '') {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += `${indent}def ${prefix}${i}(${self}values, limit=${i}):\n${indent}    total = 0\n`;
    for (let j = 0; j < 6; j++) out += `${indent}    total += sum(v * ${j} for v in values if v > limit)\n`;
    out += `${indent}    return total\n\n\n`;
  }
  return out;
}

const BEFORE = `import os
import json
from collections import OrderedDict
from typing import Dict, Optional

RETRY_LIMIT = 5

${filler(40)}
class InventoryStore:
    def __init__(self, path: str, capacity: int) -> None:
        self.path = path
        self.capacity = capacity
        self.items: Dict[str, int] = OrderedDict()

${filler(25, '    ', 'method_', 'self, ')}
    def save(self, name: str, count: int) -> Optional[str]:
        for attempt in range(RETRY_LIMIT):
            self.items[name] = count
            with open(os.path.join(self.path, name), "w") as f:
                json.dump(`;
const AFTER = `
        return name

${filler(30)}`;

export async function run(ctx) {
  const { server, assert } = ctx;
  const typed = 'self.items, f';
  server.setResponder((body) => (typeof body?.prompt === 'string' && body.prompt.endsWith(typed) ? ', indent=2' : ''));
  const w = await ctx.openWindow({
    files: { 'store.py': BEFORE + AFTER },
    settings: { 'tessera.context.maxPromptTokens': 700 },
  });
  const lines = BEFORE.split('\n');
  await w.openFile('store.py', { cursor: { line: lines.length, column: lines.at(-1).length + 1 } });
  // Typed in two parts with a request in between: how many requests a burst of keystrokes gets depends on the
  // machine's speed; a pause makes one.
  const first = typed.slice(0, typed.indexOf(','));
  await w.typeText(first);
  await waitFor(() => server.completions().some((b) => typeof b.prompt === 'string' && b.prompt.endsWith(first)), {
    what: 'a request while typing',
  });
  await w.typeText(typed.slice(first.length));
  assert.equal(await w.waitForGhostText(8000), ', indent=2', 'ghost text from the model');

  const req = server
    .completions()
    .filter((b) => b.prompt.endsWith(typed))
    .at(-1);
  assert.ok(req, 'a request for the final cursor position');
  const { prompt, suffix } = req;
  ctx.log(
    `prompt: ${prompt.length} chars, suffix: ${suffix.length} chars (document: ${(BEFORE + AFTER).length} chars)`,
  );
  // Prefix ends at the cursor with the whole cursor line; suffix starts with the rest of the line.
  assert.ok(prompt.endsWith(`                json.dump(${typed}`), 'prefix ends with the cursor line up to the cursor');
  assert.ok(suffix.startsWith('\n        return name\n'), 'suffix starts right after the cursor');
  // The method being written, whole; the enclosing class's header and other members' signatures, though hundreds of
  // lines above, their bodies elided and marked; the whole within the 700-token budget (~3 chars/token, conservatively).
  assert.ok(
    prompt.includes(
      '    def save(self, name: str, count: int) -> Optional[str]:\n        for attempt in range(RETRY_LIMIT):\n',
    ),
    'the method being written',
  );
  assert.ok(prompt.includes('class InventoryStore:\n'), 'the enclosing class header');
  assert.match(
    prompt,
    /\n {4}def method_\d+\(self, values, limit=\d+\):\n {8}\.\.\.\n/,
    'a member signature, its body elided',
  );
  assert.ok(prompt.length + suffix.length < 700 * 4, 'the prompt stays within the token budget');

  // While typing, every request's prompt started the same way: only the typed text differs.
  const starts = server
    .completions()
    .filter((b) => typeof b.prompt === 'string' && b.prompt.includes('json.dump('))
    .map((b) => b.prompt.slice(0, b.prompt.lastIndexOf('json.dump(')));
  assert.ok(starts.length >= 2, `several requests while typing (${starts.length})`);
  assert.equal(new Set(starts).size, 1, 'the prompt before the typed text is the same in every request');

  // Edit far above (the incremental tree must follow): rename the class; the next prompt shows the new header.
  const classLine = BEFORE.split('\n').indexOf('class InventoryStore:') + 1;
  await w.goTo(classLine, 'class InventoryStore'.length + 1);
  await w.typeText('2');
  await w.goTo(lines.length, lines.at(-1).length + typed.length + 1);
  await w.typeText(' ');
  await waitFor(async () => server.completions().some((b) => b.prompt.endsWith(`${typed} `)), {
    timeout: 8000,
    what: 'a request after the edit',
  });
  const after = server
    .completions()
    .filter((b) => b.prompt.endsWith(`${typed} `))
    .at(-1);
  assert.ok(after.prompt.includes('class InventoryStore2:\n'), 'the prompt reflects an edit made 300 lines above');
  assert.ok(!after.prompt.includes('class InventoryStore:\n'), 'never the old text');
  await sleep(100);
}
