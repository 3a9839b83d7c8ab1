/**
 * ijavascript's cell API for steps of ijavascript notebooks: the kernel gives every cell `$$` (`$$.display(id)`
 * makes an updatable display), so a step does too. Displays become files of the run (see ../displays.ts); `$$.async()` makes the cell end
 * only when `$$.sendResult`, `$$.sendError` or `$$.done` is called, as the kernel waits for it before the
 * next cell; `sendResult` shows its value as the cell's result, `sendError` fails the cell with it.
 */
import { displays, type MimeBundle } from '../displays.js';

interface DisplayMethods {
  mime(bundle: MimeBundle): void;
  html(html: string): void;
  svg(svg: string): void;
  png(base64: string): void;
  jpeg(base64: string): void;
  text(text: string): void;
}

/** The cell now running: whether it asked to end asynchronously, and how it ends. */
interface PendingCell {
  settled: Promise<void>;
  settle: (error?: unknown) => void;
  done: boolean;
}

let pending: PendingCell | undefined;
let displayIds = 0;

function displayMethods(displayId?: string): DisplayMethods {
  const show = (bundle: MimeBundle) => displays.show(bundle, displayId);
  return {
    mime: bundle => show(bundle),
    html: html => show({ 'text/html': html }),
    svg: svg => show({ 'image/svg+xml': svg }),
    png: base64 => show({ 'image/png': base64 }),
    jpeg: base64 => show({ 'image/jpeg': base64 }),
    text: text => show({ 'text/plain': text })
  };
}

function finishCell(error?: unknown): void {
  if (!pending || pending.done) return;
  pending.done = true;
  pending.settle(error);
}

const display = (id?: string) => displayMethods(id ?? `ijavascript-${++displayIds}`);

const $$ = {
  ...displayMethods(),
  display,
  async(): void {
    if (pending && !pending.done) return;
    let settle!: (error?: unknown) => void;
    const settled = new Promise<void>((resolve, reject) => {
      settle = error => (error === undefined ? resolve() : reject(error));
    });
    pending = { settled, settle, done: false };
  },
  done: (): void => finishCell(),
  sendResult(result: unknown): void {
    displays.showResult(result);
    finishCell();
  },
  sendError(error: unknown): void {
    finishCell(error ?? new Error('$$.sendError()'));
  }
};

/** The running cell called `$$.async()`: its result is what it sends, not its last expression's value. */
export function cellIsAsync(): boolean {
  return pending !== undefined;
}

/** Puts `$$` in the step's global scope, as the kernel has it. */
export function provideIJavascriptGlobals(): void {
  Object.assign(globalThis, { $$ });
}

/** After each cell: a cell that called `$$.async()` ends when it says it is done (or fails with its error). */
export async function cellSettled(): Promise<void> {
  const cell = pending;
  if (!cell) return;
  try {
    await cell.settled; // `pending` stays set meanwhile: the cell's callbacks settle it
  } finally {
    if (pending === cell) pending = undefined;
  }
}
