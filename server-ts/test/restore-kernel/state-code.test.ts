/** The code "Restore state" runs in each kernel, and the restored notebook it is asked for. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { createServer, type CellflowServer } from '../../src/http/index.js';
import { bundledLoader, writeRestoreLoader } from '../../src/restore-kernel/loader.js';
import { stateCodeForNotebook } from '../../src/restore-kernel/restored-notebook.js';
import { kernelProgram } from '../../src/restore-kernel/kernel-program.js';
import { restoreStateCode } from '../../src/restore-kernel/state-code.js';
import type { RestoreRecord } from '../../src/restore-kernel/restore-file.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { request } from '../http/api-client.js';
import { writeRestoredFolder } from './restored-folder.js';

const code = (error: unknown) => (error instanceof CellflowError ? error.diagnostic.code : String(error));

describe('restoreStateCode', () => {
  let folder: string;
  let record: RestoreRecord;
  let jsFolder: string;
  let jsRecord: RestoreRecord;
  before(async () => {
    // Quotes, a backslash and a non-ASCII letter in the path: they must reach the kernel as the same path.
    folder = join(makeWorkspace('restore-code-'), 'restored', `nb "q" \\ é`);
    ({ record } = await writeRestoredFolder(folder));
    jsFolder = join(makeWorkspace('restore-code-js-'), 'restored', `nb "q" \\ é`);
    ({ record: jsRecord } = await writeRestoredFolder(jsFolder, 'javascript'));
  });

  test('tslab: the loader runs prelude, load and replay as one program; the cell binds each name `any`', () => {
    const text = restoreStateCode(record, { kernel: 'tslab', folder });
    const runLine = text.split('\n').find(line => line.includes('$cellflowLoader.runRestore('))!;
    const program = JSON.parse(
      /runRestore\((".*?[^\\]"), \{ require: \$cellflowRequire, /.exec(runLine)![1]!
    ) as string;
    const inProgram = [
      "require('@tensorflow/tfjs')",
      'function scale(',
      '= await $cellflow.load(',
      'const predictSum =',
      '$cellflow.bind({'
    ];
    const programOrder = inProgram.map(part => program.indexOf(part));
    assert.ok(
      programOrder.every(i => i >= 0),
      `every part is in the program:\n${program}`
    );
    assert.deepEqual(
      [...programOrder].sort((a, b) => a - b),
      programOrder,
      'in this order'
    );
    assert.doesNotMatch(program, /units = 3|: number/, 'types erased; the parameters cell and the step are not run');
    const order = [
      "var $cellflowRequire: any = eval('require');",
      `$cellflowRequire(${JSON.stringify(join(folder, '.cellflow-restore', 'loader.cjs'))})`,
      'var $cellflowRestored: any = await $cellflowLoader.runRestore(',
      'let tf: any = $cellflowRestored["tf"];',
      'let scale: any = $cellflowRestored["scale"];',
      'let count: any = $cellflowRestored["count"];',
      'let model: any = $cellflowRestored["model"];',
      'let predictSum: any = $cellflowRestored["predictSum"];',
      'type Scaled<$T0 = any> = any;',
      '$cellflowLoader.printSummary('
    ].map(part => text.indexOf(part));
    assert.ok(
      order.every(i => i >= 0),
      `every part is there:\n${text}`
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'in this order'
    );
    const kernelLines = text.split('\n').filter(line => line !== runLine);
    assert.ok(
      !kernelLines.some(line => /function scale|import \* as tf/.test(line)),
      'tslab checks none of the prelude'
    );
    const options = JSON.parse(/\{ require: \$cellflowRequire, \.\.\.(\{.*\}) \}\);$/.exec(runLine)![1]!) as Record<
      string,
      unknown
    >;
    assert.equal(options.stateDir, join(folder, '.cellflow-restore', 'state'));
    assert.deepEqual(options.values, record.values);
  });

  test('deno: the .cjs loader through createRequire of its file URL; jslab: the program, no type annotations', () => {
    const deno = restoreStateCode(record, { kernel: 'deno', folder });
    assert.match(deno, /\(await import\('node:module'\)\)\.createRequire\("file:\/\/\/[^"]*%22q%22/);
    assert.match(deno, /let lookup: any = /);
    const jslab = restoreStateCode(jsRecord, { kernel: 'jslab', folder: jsFolder });
    assert.match(jslab, /^let lookup = \$cellflowRestored\["lookup"\];$/m);
    assert.doesNotMatch(jslab, /^(let|var|type) [^=]*(: any| = any)/m);
  });

  test('ijavascript: values become globals inside $$.async(); the replay is left to the user and said so', () => {
    const text = restoreStateCode(record, { kernel: 'ijavascript', folder });
    assert.match(text, /\$\$\.async\(\);/);
    assert.match(text, /globalThis\["model"\] = \$cellflowState\["model"\];/);
    assert.doesNotMatch(text, /const predictSum/);
    assert.match(text, /run cell\(s\) 5 yourself/);
  });

  test('a name that is not a variable name, or a reserved word, is refused before any code is made', () => {
    for (const bad of ['a-b', 'class', '1x', 'x; process.exit()', 'await']) {
      assert.throws(
        () => restoreStateCode({ ...record, values: [...record.values, bad] }, { kernel: 'tslab', folder }),
        (error: unknown) => code(error) === 'restore-bad-name',
        bad
      );
      assert.throws(
        () => restoreStateCode({ ...record, replay: { cells: [4], names: [bad] } }, { kernel: 'deno', folder }),
        (error: unknown) => code(error) === 'restore-bad-name'
      );
    }
    assert.throws(
      () => restoreStateCode(record, { kernel: 'python3' as never, folder }),
      (error: unknown) => code(error) === 'restore-unknown-kernel'
    );
  });

  test('the program: an import only used as a type is erased and left to an `any` alias; one a later cell reads is kept', () => {
    const sources = [
      "import { Tensor, tensor } from '@tensorflow/tfjs';\nimport type { Rank } from '@tensorflow/tfjs';\nimport { readFileSync } from 'node:fs';",
      'interface Pair<A, B> {\n  a: A;\n  b: B;\n}\nfunction one(): Tensor {\n  return tensor([1]);\n}',
      'const text = readFileSync(0, "utf8");'
    ];
    const program = kernelProgram({
      sources,
      language: 'typescript',
      prelude: [0, 1],
      values: [],
      replay: { cells: [], names: [] },
      needs: { classes: [], functions: [] }
    });
    assert.deepEqual(program.names, ['tensor', 'readFileSync', 'one']);
    assert.doesNotMatch(program.js, /Tensor|Rank|\): /, 'types erased, the type-only import with them');
    assert.match(program.js, /require\('node:fs'\)/);
    assert.deepEqual(
      program.types.filter(t => t.name !== 'tensor' && t.name !== 'readFileSync'),
      [
        { name: 'Tensor', params: 4 },
        { name: 'Rank', params: 4 },
        { name: 'Pair', params: 2 }
      ]
    );
  });

  test('a prelude cell that does not compile is `restore-cell-unparsable`, naming the cell', () => {
    assert.throws(
      () => restoreStateCode(record, { kernel: 'jslab', folder }),
      (error: unknown) => code(error) === 'restore-cell-unparsable' && /Cell 2 /.test((error as Error).message)
    );
  });

  test('a prelude or replay cell the notebook does not have is a damaged record', () => {
    assert.throws(
      () => restoreStateCode({ ...record, prelude: [0, 99] }, { kernel: 'tslab', folder }),
      (error: unknown) => code(error) === 'restore-file-invalid'
    );
  });

  test('paths and names in the code are JSON literals: the code parses and names the folder exactly', () => {
    const text = restoreStateCode(jsRecord, { kernel: 'jslab', folder: jsFolder });
    const loaderLine = text.split('\n').find(line => line.startsWith('var $cellflowLoader'))!;
    const literal = /\$cellflowRequire\((".*")\);$/.exec(loaderLine)![1]!;
    assert.equal(JSON.parse(literal), join(jsFolder, '.cellflow-restore', 'loader.cjs'));
  });
});

describe('the restored notebook and GET /api/restore/state-code', () => {
  let root: string;
  let server: CellflowServer;
  before(async () => {
    root = makeWorkspace('restore-route-');
    await writeRestoredFolder(join(root, 'restored', 'nb-run1-train'));
    writeNotebook(root, 'plain.ipynb', [[['step:a'], 'const a = 1;']]);
    server = await createServer({ root, port: 0, secret: 's', log: () => {} });
  });
  after(() => server.close());

  test('writes the bundled loader beside the record and answers the code with the summary', async () => {
    const reply = await request(
      server,
      'GET',
      `/api/restore/state-code?path=${encodeURIComponent('restored/nb-run1-train/nb.ipynb')}&kernel=tslab`,
      { secret: 's' }
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.step, 'train');
    assert.deepEqual(reply.body.restored, ['count', 'arr', 'lookup', 'weights', 'model', 'xTest']);
    assert.deepEqual(reply.body.replayed, { cells: [4], names: ['predictSum'] });
    assert.match(reply.body.code, /let xTest: any = /);
    const loader = join(root, 'restored', 'nb-run1-train', '.cellflow-restore', 'loader.cjs');
    assert.deepEqual(readFileSync(loader), readFileSync(bundledLoader));
  });

  test('a notebook without `cellflow.restored` is `not-a-restored-notebook`; a bad kernel is a 400', async () => {
    const plain = await request(server, 'GET', '/api/restore/state-code?path=plain.ipynb&kernel=tslab', {
      secret: 's'
    });
    assert.equal(plain.status, 422);
    assert.equal(plain.body.error.code, 'not-a-restored-notebook');
    assert.doesNotMatch(plain.body.error.message, new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const kernel = await request(
      server,
      'GET',
      '/api/restore/state-code?path=restored/nb-run1-train/nb.ipynb&kernel=python3',
      { secret: 's' }
    );
    assert.equal(kernel.status, 400);
    const outside = await request(server, 'GET', '/api/restore/state-code?path=../x.ipynb&kernel=tslab', {
      secret: 's'
    });
    assert.ok(outside.status >= 400 && outside.status < 500);
  });

  test('a stateFile pointing out of the folder is refused', async () => {
    const folder = join(root, 'restored', 'evil');
    mkdirSync(folder, { recursive: true });
    const nb = JSON.parse(readFileSync(join(root, 'restored', 'nb-run1-train', 'nb.ipynb'), 'utf8'));
    nb.metadata.cellflow.restored.stateFile = '../nb-run1-train/.cellflow-restore/restore.json';
    writeFileSync(join(folder, 'nb.ipynb'), JSON.stringify(nb));
    await assert.rejects(
      stateCodeForNotebook(join(folder, 'nb.ipynb'), 'tslab'),
      (error: unknown) => code(error) === 'restore-file-invalid'
    );
  });

  test('writeRestoreLoader leaves an up-to-date loader as it is and replaces a stale one', () => {
    const folder = join(root, 'restored', 'nb-run1-train');
    writeFileSync(join(folder, '.cellflow-restore', 'loader.cjs'), 'stale');
    writeRestoreLoader(folder);
    assert.deepEqual(readFileSync(join(folder, '.cellflow-restore', 'loader.cjs')), readFileSync(bundledLoader));
  });
});
