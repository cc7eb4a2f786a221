// A model server that over-generates (it runs on to the token cap: finish_reason "length"); the ghost text shows
// only the part that fits the code, and accepting it leaves exactly the fitting document on disk.
//   1. Python, empty function body: the model writes the body, then wanders into a next function.
//   2. TypeScript, mid-line inside auto-closed `)`: the model re-types `);` and goes on with another line.
export const name = 'postfilter: over-generating model, ghost text shows only the fitting part';

export async function run(ctx) {
  const { server, assert, log } = ctx;
  const py = {
    file: 'shapes.py',
    before: 'import math\n\n',
    typed: 'def area(r):\n    ',
    after: '\n\n\nprint(area(2))\n',
    raw: 'return math.pi * r * r\n\n\ndef perimeter(r):\n    return 2 * math.pi * r\n\n\nprint(perimeter(2))\n',
    shown: 'return math.pi * r * r',
  };
  const ts = {
    file: 'double.ts',
    before: 'const xs = [1, 2, 3];\nconst ys = xs.map(',
    typed: '(x) => ',
    after: ');\n',
    // Only closers follow the cursor on its line: the prompt's suffix starts at the line break (suffixSection.ts).
    sent: '\n',
    raw: 'x * 2);\nconsole.log(ys);\n',
    shown: 'x * 2',
  };
  const cases = [py, ts];
  server.setResponder((body) => {
    for (const c of cases)
      if (body?.prompt === c.before + c.typed && body?.suffix === (c.sent ?? c.after))
        return { text: c.raw, finishReason: 'length' };
    return '';
  });

  const w = await ctx.openWindow({ files: Object.fromEntries(cases.map((c) => [c.file, c.before + c.after])) });
  for (const c of cases) {
    const lines = c.before.split('\n');
    await w.openFile(c.file, { cursor: { line: lines.length, column: lines.at(-1).length + 1 } });
    await w.typeText(c.typed);
    const ghost = await w.waitForGhostText(8000);
    const served = server.requests.filter((r) => r.answer === c.raw);
    assert.ok(served.length >= 1, `${c.file}: the server answered with the over-generated text`);
    assert.equal(ghost, c.shown, `${c.file}: ghost text is only the fitting part of ${JSON.stringify(c.raw)}`);
    log(
      `${c.file}: model sent ${c.raw.length} chars, ghost text ${JSON.stringify(ghost)}; screenshot ${await w.screenshot(`postfilter-${c.file}`)}`,
    );
    await w.pressKey('Tab');
    await w.waitForNoGhostText(3000);
    const onDisk = await w.saveAndRead(c.file);
    assert.equal(
      onDisk,
      c.before + c.typed + c.shown + c.after,
      `${c.file}: the saved file holds exactly the fitting completion`,
    );
  }
}
