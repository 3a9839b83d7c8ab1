/**
 * `Deno.jupyter` for Deno steps. Deno defines it only inside `deno jupyter` (elsewhere reading it throws), so a
 * notebook cell calling `Deno.jupyter.display(..)` would fail in a pipeline step. In the stand-in, `display`
 * makes a display of the run (a file, see displays.ts), `broadcast` (comm messages to a frontend) does nothing,
 * and `format` and the `md`/`html`/`svg`/`image` helpers build the MIME bundles the kernel would.
 */

import { displays } from './displays.js';

/** The kernel's display protocol: an object with this method displays as the bundle it returns. */
const DISPLAY = Symbol.for('Jupyter.display');

type MediaBundle = Record<string, unknown>;
interface Displayable {
  [DISPLAY](): MediaBundle;
}

function displayable(bundle: MediaBundle): Displayable {
  return { [DISPLAY]: () => bundle };
}

function format(value: unknown): MediaBundle {
  const display = (value as Partial<Displayable> | null | undefined)?.[DISPLAY];
  if (typeof display === 'function') return display.call(value);
  const inspect = (globalThis as { Deno?: { inspect?: (v: unknown) => string } }).Deno?.inspect;
  return { 'text/plain': typeof value === 'string' ? value : inspect ? inspect(value) : String(value) };
}

function template(mime: string) {
  return (strings: TemplateStringsArray, ...values: unknown[]) =>
    displayable({ [mime]: String.raw({ raw: strings }, ...values) });
}

function image(source: string | Uint8Array): Displayable {
  const deno = (globalThis as { Deno?: { readFileSync(path: string): Uint8Array } }).Deno;
  const bytes = typeof source === 'string' ? deno!.readFileSync(source) : source;
  // PNG starts with 0x89 'P'; JPEG with 0xFF 0xD8: the two formats the kernel's `image` accepts.
  const mime = bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : 'image/png';
  return displayable({ [mime]: btoa(Array.from(bytes, b => String.fromCharCode(b)).join('')) });
}

const jupyterStandIn = Object.freeze({
  $display: DISPLAY,
  display: async (value: unknown, options?: { raw?: boolean }): Promise<void> => {
    // As the kernel's: only with `raw: true` is a plain object the bundle itself; by default it is formatted.
    const isBundle = options?.raw === true && value !== null && typeof value === 'object' && !(DISPLAY in value);
    displays.show(isBundle ? (value as MediaBundle) : format(value));
  },
  broadcast: async (_type: string, _content: unknown, _extra?: unknown): Promise<void> => {},
  format,
  md: template('text/markdown'),
  html: template('text/html'),
  svg: template('image/svg+xml'),
  image
});

/**
 * Under Deno outside the kernel, replaces the global `Deno` with a proxy whose `jupyter` is the stand-in:
 * `Deno.jupyter` itself is a non-configurable getter, but the global binding is configurable. Everything
 * else is read from the real namespace. On Node, and inside the kernel, nothing changes.
 */
export function provideJupyterStandIn(): void {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'Deno');
  const deno = descriptor?.value as object | undefined;
  if (!deno) return;
  try {
    if ((deno as { jupyter?: unknown }).jupyter) return; // the kernel's own
  } catch {
    // outside `deno jupyter`: reading it throws
  }
  const proxy = new Proxy(deno, {
    get: (target, key) => (key === 'jupyter' ? jupyterStandIn : Reflect.get(target, key))
  });
  Object.defineProperty(globalThis, 'Deno', { ...descriptor, value: proxy });
}
