/**
 * Names a value that cannot cross a process boundary and says what to do
 * instead. The wording is aimed at the notebook author, not at us.
 */
import { EventEmitter } from 'node:events';
import { Server, Socket } from 'node:net';
import { Stream } from 'node:stream';
import type { NotebookClass } from './notebook-class.js';

export interface Unsupported {
  what: string;
  hint: string;
}

const rebuildInFunctionsCell =
  'define the function/class in a cell tagged `functions` so every step can rebuild it, ' + 'or hand on plain data';
const recreateInConsumer =
  'recreate the socket/stream in the step that uses it, or hand on plain data ' +
  '(what you read from it, or the address to reach it)';

export function describeUnsupported(value: unknown): Unsupported {
  if (typeof value === 'function') return describeFunction(value);
  if (typeof value === 'symbol') {
    return {
      what: `a Symbol (${value.toString()})`,
      hint: 'a Symbol only means something inside one process; hand on a string instead'
    };
  }
  if (typeof value !== 'object' || value === null) {
    return { what: `a ${typeof value}`, hint: 'hand on plain data' };
  }
  if (value instanceof Promise || typeof (value as { then?: unknown }).then === 'function') {
    return {
      what: 'a Promise',
      hint: 'await it in the step (`x = await ...`) so the step hands on the resolved value'
    };
  }
  const weak = weakKind(value);
  if (weak) {
    return {
      what: `a ${weak}`,
      hint: `its entries are not reachable by design; use a Map/Set instead, or rebuild the ${weak} in the step that uses it`
    };
  }
  const name = className(value);
  if (value instanceof Socket) return { what: `a network socket (${name})`, hint: recreateInConsumer };
  if (value instanceof Server) return { what: `a network server (${name})`, hint: recreateInConsumer };
  if (value instanceof Stream) return { what: `a stream (${name})`, hint: recreateInConsumer };
  if (value instanceof EventEmitter) {
    return {
      what: `an event emitter (${name})`,
      hint: 'recreate it in the step that uses it, or hand on plain data'
    };
  }
  if (isIterator(value)) {
    return {
      what: `an iterator (${name})`,
      hint: 'collect it into an array (`[...it]`) before the step ends'
    };
  }
  if (name === 'Object') {
    return {
      what: 'an object with a custom prototype',
      hint: 'hand on a plain object, or make it an instance of a class defined in a cell tagged `functions`'
    };
  }
  return {
    what: `an instance of class \`${name}\`, which no cell tagged \`functions\` defines`,
    hint:
      `define class \`${name}\` in a cell tagged \`functions\` so every step can rebuild it, ` +
      'recreate the object in the step that uses it, or hand on plain data'
  };
}

/** A tensor the user disposed (or lost to `tf.tidy`) before the step ended. */
export const disposedTensor: Unsupported = {
  what: 'a disposed tensor',
  hint: 'keep the tensor alive until the step ends (do not dispose it, and return it from `tf.tidy` or `tf.keep` it)'
};

function describeFunction(fn: NotebookClass): Unsupported {
  const source = Function.prototype.toString.call(fn);
  const label = fn.name ? ` (\`${fn.name}\`)` : '';
  const what = /^class\b/.test(source)
    ? `a class${label} that no cell tagged \`functions\` defines`
    : fn.name
      ? `a function${label}`
      : 'an anonymous function';
  return { what, hint: rebuildInFunctionsCell };
}

function weakKind(value: object): string | undefined {
  if (value instanceof WeakMap) return 'WeakMap';
  if (value instanceof WeakSet) return 'WeakSet';
  if (value instanceof WeakRef) return 'WeakRef';
  if (value instanceof FinalizationRegistry) return 'FinalizationRegistry';
  return undefined;
}

function isIterator(value: object): boolean {
  const it = value as { next?: unknown; [Symbol.iterator]?: unknown };
  return typeof it.next === 'function' && typeof it[Symbol.iterator] === 'function';
}

function className(value: object): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  const name = typeof ctor?.name === 'string' && ctor.name ? ctor.name : undefined;
  return name ?? Object.prototype.toString.call(value).slice(8, -1);
}
