/**
 * tslab's `tslab` module for steps of tslab (and jslab) notebooks: the kernel provides it to cells, so a
 * step does too. What a cell displays becomes a file of the run (see ../displays.ts); the API is tslab's own
 * (`display.html/markdown/latex/svg/png/jpeg/gif/pdf/text/javascript/raw`, `newDisplay()`, `versions`).
 */
import { displays, type MimeBundle } from '../displays.js';

export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

let displayIds = 0;

function makeDisplay(displayId?: string): Display {
  const show = (bundle: MimeBundle) => displays.show(bundle, displayId);
  const bytes = (mime: string) => (b: Uint8Array) => show({ [mime]: Buffer.from(b).toString('base64') });
  return {
    javascript: s => show({ 'application/javascript': s }),
    html: s => show({ 'text/html': s }),
    markdown: s => show({ 'text/markdown': s }),
    latex: s => show({ 'text/latex': s }),
    svg: s => show({ 'image/svg+xml': s }),
    png: bytes('image/png'),
    jpeg: bytes('image/jpeg'),
    gif: bytes('image/gif'),
    pdf: bytes('application/pdf'),
    text: s => show({ 'text/plain': s }),
    raw: (contentType, b) => show({ [contentType]: typeof b === 'string' ? b : Buffer.from(b).toString('base64') })
  };
}

export const display: Display = makeDisplay();

/** A display that later calls update in place, as tslab's does. */
export function newDisplay(): Display {
  return makeDisplay(`tslab-${++displayIds}`);
}

export const versions = { tslab: 'cellflow step', typescript: '', node: process.version };
export const isNode = true;
export const isBrowser = false;
