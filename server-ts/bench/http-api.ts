/**
 * Benches of the HTTP API, each against a baseline in the same run: edit-to-diagnostic on a 200-cell notebook
 * (against a health round trip), and an SSE client receiving a run's 10,000 log lines (against the run's own
 * time).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from '../src/http/index.js';
import { notebookJson } from '../test/notebooks.js';
import { openEvents, request } from '../test/http/api-client.js';
import { largeNotebook } from './generate.js';

const SECRET = 'bench-secret';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export async function benchEditToDiagnostic(workDir: string) {
  const dir = join(workDir, 'http-edit');
  mkdirSync(dir, { recursive: true });
  const notebook = largeNotebook(200);
  writeFileSync(join(dir, 'edit.ipynb'), JSON.stringify(notebook));
  const server = await createServer({ root: dir, port: 0, secret: SECRET, log: () => {} });
  try {
    const edited = 150; // a step's cell deep in the notebook
    const original = notebook.cells[edited].source;
    const analyze = async (i: number) => {
      // Each edit is new text (no cache hit for the edited cell), as typing is.
      const cells = notebook.cells.map((cell, index) =>
        index === edited ? { ...cell, source: `${original}\nconst typo${i} = undefinedName${i};` } : cell
      );
      const t = performance.now();
      const reply = await request(server, 'POST', '/api/analyze', {
        json: { path: 'edit.ipynb', cells },
        secret: SECRET
      });
      const ms = performance.now() - t;
      const found = (reply.body.diagnostics as { cellIndex: number; message: string }[]).some(
        d => d.cellIndex === edited && d.message.includes(`undefinedName${i}`)
      );
      if (reply.status !== 200 || !found) throw new Error(`edit ${i}: no diagnostic on cell ${edited}`);
      return ms;
    };
    for (let i = 0; i < 10; i++) await analyze(i); // the analysis process starts and its cell cache warms
    const edits: number[] = [];
    for (let i = 10; i < 40; i++) edits.push(await analyze(i));
    const health: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await request(server, 'GET', '/api/health', { secret: SECRET });
      health.push(performance.now() - t);
    }
    const editMs = median(edits);
    const healthMs = median(health);
    return {
      cells: 200,
      editToDiagnosticMedianMs: round(editMs),
      healthRoundTripMedianMs: round(healthMs),
      ratioToHealth: round(editMs / healthMs),
      targetMs: 30
    };
  } finally {
    await server.close();
  }
}

export async function benchSseLogLines(workDir: string) {
  const dir = join(workDir, 'http-sse');
  mkdirSync(dir, { recursive: true });
  const lines = 10_000;
  const notebook = notebookJson([[['step:chatty'], `for (let i = 0; i < ${lines}; i++) console.log('line ' + i);`]]);
  writeFileSync(join(dir, 'chatty.ipynb'), JSON.stringify(notebook));
  const server = await createServer({ root: dir, port: 0, secret: SECRET, log: () => {} });
  try {
    const t = performance.now();
    const created = await request(server, 'POST', '/api/runs', {
      json: { path: 'chatty.ipynb', useCache: false },
      secret: SECRET
    });
    if (created.status !== 201) throw new Error(`the run was not created: ${JSON.stringify(created.body)}`);
    const stream = await openEvents(server, `/api/runs/${created.body.id}/events`, { secret: SECRET });
    const events = (await stream.frames).map(frame => JSON.parse(frame.data));
    const seconds = (performance.now() - t) / 1000;
    const logged = events.filter(e => e.event.type === 'step-log' && e.event.stream === 'stdout');
    const inOrder = logged.every((e, i) => e.event.line === `line ${i}`);
    const finished = events.at(-1)?.event;
    if (finished?.type !== 'run-finished' || finished.record.status !== 'succeeded')
      throw new Error('the run did not succeed');
    return {
      lines,
      received: logged.length,
      inOrder,
      allReceived: logged.length === lines && inOrder,
      secondsToLastEvent: round(seconds),
      runSeconds: round(finished.record.seconds ?? 0),
      ratioToRun: round(seconds / (finished.record.seconds || 1))
    };
  } finally {
    await server.close();
  }
}
