// Issue 3: in a real VS Code, the prompt of a long Python file carries the tree-sitter-trimmed context — the class
// and method headers, the imports and constant the cursor code uses, elided far bodies — not a blind window of
// lines; and typing keeps the editor's incremental tree in step with the document (the prompt follows the edits).
import { sleep, waitFor } from '../harness.mjs';

export const name = 'context: syntax-trimmed prompt (headers, used imports, elided far bodies) on a long Python file';

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
  const w = await ctx.openWindow({ files: { 'store.py': BEFORE + AFTER }, settings: { 'tessera.context.maxPromptTokens': 700 } });
  const lines = BEFORE.split('\n');
  await w.openFile('store.py', { cursor: { line: lines.length, column: lines.at(-1).length + 1 } });
  await w.typeText(typed);
  assert.equal(await w.waitForGhostText(8000), ', indent=2', 'ghost text from the model');

  const req = server.completions().filter((b) => b.prompt.endsWith(typed)).at(-1);
  assert.ok(req, 'a request for the final cursor position');
  const { prompt, suffix } = req;
  ctx.log(`prompt: ${prompt.length} chars, suffix: ${suffix.length} chars (document: ${(BEFORE + AFTER).length} chars)`);
  // Prefix ends at the cursor with the whole cursor line; suffix starts with the rest of the line.
  assert.ok(prompt.endsWith(`                json.dump(${typed}`), 'prefix ends with the cursor line up to the cursor');
  assert.ok(suffix.startsWith('\n        return name\n'), 'suffix starts right after the cursor');
  // Enclosing scopes up to the root, and what the code at the cursor uses, though hundreds of lines above.
  for (const s of ['class InventoryStore:\n', '    def save(self, name: str, count: int) -> Optional[str]:\n', 'import os\n', 'import json\n', 'RETRY_LIMIT = 5\n', 'self.capacity = capacity']) {
    assert.ok(prompt.includes(s), `prompt includes ${JSON.stringify(s)}`);
  }
  // Far bodies are gone; elisions are marked; the whole fits a 700-token budget (~3 chars/token, conservatively).
  assert.ok(!prompt.includes('def helper_3('), 'far-away function bodies are elided');
  assert.match(prompt, /\n *\.\.\.\n/, 'an elision marker stands for dropped lines');
  assert.ok(prompt.length + suffix.length < 700 * 4, 'the prompt stays within the token budget');

  // Edit far above (the incremental tree must follow): rename the constant; the next prompt shows the new line.
  await w.goTo(6, 1);
  await w.pressKey('End');
  await w.typeText('0');
  await w.goTo(lines.length, lines.at(-1).length + typed.length + 1);
  await w.typeText(' ');
  await waitFor(async () => server.completions().some((b) => b.prompt.endsWith(`${typed} `)), { timeout: 8000, what: 'a request after the edit' });
  const after = server.completions().filter((b) => b.prompt.endsWith(`${typed} `)).at(-1);
  assert.ok(after.prompt.includes('RETRY_LIMIT = 50\n'), 'the prompt reflects an edit made 900 lines above');
  assert.ok(after.prompt.includes('class InventoryStore:\n'), 'still syntax-trimmed after incremental edits');
  await sleep(100);
}
