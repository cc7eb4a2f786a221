// Other open files in the prompt: the declaration of a type used at the cursor,
// from another open tab, reaches the model; a secret file and a tessera.exclude file open in other tabs never do —
// even though `.env` is made a TypeScript document (files.associations) that declares a name used at the cursor.
import { sleep } from '../harness.mjs';

export const name =
  'other files: the Rect declaration from another tab is in the prompt, an open .env and an excluded file never are';

const SECRET = 'sk-e2e-FAKE-SECRET-4242';
const PRIVATE = 'tok-e2e-PRIVATE-7777';

export async function run(ctx) {
  const { server, assert, log } = ctx;
  const typedLine = 'const r: Rect = ';
  server.setResponder((body) =>
    typeof body?.prompt === 'string' && body.prompt.endsWith(typedLine) ? '{ width: key.length, height: 2 };' : '',
  );

  const w = await ctx.openWindow({
    files: {
      'src/shapes.ts': 'export interface Rect {\n  width: number;\n  height: number;\n}\n',
      '.env': `API_KEY=${SECRET}\n`,
      'src/private/token.ts': `export const TOKEN = "${PRIVATE}";\n`,
      'src/main.ts': "import { Rect } from './shapes';\n\n",
    },
    settings: {
      'tessera.exclude': ['src/private/**'],
      // A TypeScript document by language: only its path keeps it out of the prompt.
      'files.associations': { '.env': 'typescript' },
      'workbench.editor.enablePreview': false,
    },
  });
  await w.openFile('src/shapes.ts');
  await w.openFile('.env');
  await w.openFile('src/private/token.ts');
  await w.openFile('src/main.ts', { cursor: 'end' });
  await sleep(300);
  // Names from the excluded files right above the cursor: if either file were a candidate, its line would be chosen.
  await w.typeText(`const key = API_KEY + TOKEN;\n${typedLine}`);

  const ghost = await w.waitForGhostText(8000);
  assert.equal(ghost, '{ width: key.length, height: 2 };');
  const bodies = server.completions();
  const last = bodies.filter((b) => typeof b.prompt === 'string' && b.prompt.endsWith(typedLine)).at(-1);
  assert.ok(last, `a request for the typed line; prompts: ${JSON.stringify(bodies.map((b) => b.prompt))}`);
  log(`prompt of the request:\n${last.prompt}`);
  assert.ok(
    last.prompt.startsWith(
      '// Path: src/shapes.ts\n// export interface Rect {\n//   width: number;\n//   height: number;\n// }\n// Path: src/main.ts\n',
    ),
    `the prompt starts with the Rect declaration from shapes.ts as comments: ${JSON.stringify(last.prompt)}`,
  );
  assert.ok(
    last.prompt.endsWith(`import { Rect } from './shapes';\n\nconst key = API_KEY + TOKEN;\n${typedLine}`),
    'the document prefix follows, ending at the cursor',
  );
  for (const b of bodies) {
    const all = JSON.stringify(b);
    assert.ok(!all.includes(SECRET), `the .env secret reached the server: ${all}`);
    assert.ok(!all.includes(PRIVATE), `a tessera.exclude file reached the server: ${all}`);
  }
  await w.screenshot('other-files');
}
