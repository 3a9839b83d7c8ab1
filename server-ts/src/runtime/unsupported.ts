/**
 * Names a value that cannot cross a process boundary and says what to do
 * instead. The wording is aimed at the notebook author, not at us. `refusal`
 * is asked before any codec: it catches what no codec may copy (a copy would
 * not be the same thing), such as Proxies, Promises, weak collections,
 * sockets and streams.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { Server, Socket } from 'node:net';
import { Stream } from 'node:stream';
import { types } from 'node:util';
import type { NotebookClass } from './notebook-class.js';

export interface Unsupported {
  what: string;
  hint: string;
}

const cjsCache = createRequire(import.meta.url).cache;

const rebuildInFunctionsCell =
  'define the function/class in a cell tagged `functions` so every step can rebuild it, ' + 'or hand on plain data';
const recreateInConsumer =
  'recreate the socket/stream in the step that uses it, or hand on plain data ' +
  '(what you read from it, or the address to reach it)';
const recreateOrData = 'recreate it in the step that uses it, or hand on its data';

const moduleNamespace: Unsupported = {
  what: 'a module namespace object (`import * as ...`)',
  hint: 'import the module again in the step that uses it'
};

/** Why `value` (an object or function) must not travel at all, or undefined. */
export function refusal(value: object): Unsupported | undefined {
  if (types.isProxy(value)) {
    return {
      what: 'a Proxy',
      hint: 'hand on the object it wraps, or plain data; a Proxy’s handler is code that only this step has'
    };
  }
  if (typeof value === 'function') return undefined; // the function codec decides
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === Array.prototype || proto === null) {
    if (types.isModuleNamespaceObject(value)) return moduleNamespace;
    return types.isArgumentsObject(value)
      ? { what: 'an `arguments` object', hint: 'copy it into an array (`Array.from(arguments)`) first' }
      : undefined;
  }
  if (types.isPromise(value)) {
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
  if (types.isGeneratorObject(value)) {
    return {
      what: 'a generator object (a paused function)',
      hint: 'collect what it yields into an array (`[...gen]`) before the step ends'
    };
  }
  if (types.isModuleNamespaceObject(value)) {
    return {
      what: 'a module namespace object (`import * as ...`)',
      hint: 'import the module again in the step that uses it'
    };
  }
  // Deno's `node:util` has no `isExternal` (nor does its JavaScript see V8 externals): there is nothing to find.
  if (types.isExternal?.(value)) {
    return { what: 'a native handle', hint: recreateOrData };
  }
  const name = className(value);
  if (value instanceof Socket) return { what: `a network socket (${name})`, hint: recreateInConsumer };
  if (value instanceof Server) return { what: `a network server (${name})`, hint: recreateInConsumer };
  if (value instanceof Stream) return { what: `a stream (${name})`, hint: recreateInConsumer };
  if (isFileHandle(value)) {
    return {
      what: `an open file (${name})`,
      hint: 'hand on the file’s path (or its contents) and open it again in the step that uses it'
    };
  }
  if (value instanceof EventEmitter) {
    return {
      what: `an event emitter (${name})`,
      hint: 'recreate it in the step that uses it, or hand on plain data'
    };
  }
  if (types.isMapIterator(value) || types.isSetIterator(value) || isIterator(value)) {
    return {
      what: `an iterator (${name})`,
      hint: 'collect it into an array (`[...it]`) before the step ends'
    };
  }
  return undefined;
}

/** An object whose prototype belongs to a class no `functions` cell registers. */
export function describeUnregisteredInstance(value: object, ctor: NotebookClass): Unsupported {
  const name = typeof ctor.name === 'string' && ctor.name ? ctor.name : className(value);
  if (isBuiltIn(ctor)) {
    return {
      what: `an instance of the built-in class \`${name}\`, which cellflow cannot copy`,
      hint: recreateOrData
    };
  }
  if (isFromPackage(ctor)) {
    return {
      what: `an instance of class \`${name}\` from an imported package`,
      hint: recreateOrData
    };
  }
  return {
    what: `an instance of class \`${name}\`, which no cell tagged \`functions\` defines`,
    hint:
      `if the notebook defines class \`${name}\`, move it into a cell tagged \`functions\` so every step can ` +
      'rebuild it; if it comes from a package, recreate the object in the step that uses it or hand on its data'
  };
}

export function describePrivateMembers(ctor: NotebookClass): Unsupported {
  return {
    what: `an instance of class \`${ctor.name}\`, which has #private fields or methods that cannot be copied`,
    hint: `make them ordinary properties in class \`${ctor.name}\` (e.g. \`_x\` instead of \`#x\`), or hand on plain data`
  };
}

export const accessorProperty: Unsupported = {
  what: 'a getter/setter property, whose value a function computes',
  hint: 'make it a data property (assign the value itself), or hand on plain data'
};

/** A tensor the user disposed (or lost to `tf.tidy`) before the step ended. */
export const disposedTensor: Unsupported = {
  what: 'a disposed tensor',
  hint: 'keep the tensor alive until the step ends (do not dispose it, and return it from `tf.tidy` or `tf.keep` it)'
};

export function describeFunction(fn: NotebookClass): Unsupported {
  const source = Function.prototype.toString.call(fn);
  const label = fn.name ? ` (\`${fn.name}\`)` : '';
  if (/^class\b/.test(source)) {
    return { what: `a class${label} that no cell tagged \`functions\` defines`, hint: rebuildInFunctionsCell };
  }
  if (source.endsWith('{ [native code] }')) {
    if (fn.name.startsWith('bound ')) {
      return {
        what: `a bound function${label}`,
        hint:
          'define the function in a cell tagged `functions` and hand on the value it is bound to, ' +
          'then bind it again in the step that uses it'
      };
    }
    return {
      what: `a built-in function${label}`,
      hint: 'hand on its name and look it up in the step that uses it'
    };
  }
  if (types.isGeneratorFunction(fn)) {
    return { what: `a generator function${label} made at run time`, hint: rebuildInFunctionsCell };
  }
  return { what: fn.name ? `a function${label}` : 'an anonymous function', hint: rebuildInFunctionsCell };
}

/** For the last line of defence (a value v8.serialize refuses), or anything unforeseen. */
export function describeUnsupported(value: unknown): Unsupported {
  if (typeof value === 'function') return describeFunction(value as NotebookClass);
  if (typeof value === 'object' && value !== null) {
    const refused = refusal(value);
    if (refused) return refused;
    return { what: `a value cellflow cannot copy (${className(value)})`, hint: recreateOrData };
  }
  return { what: `a ${typeof value}`, hint: 'hand on plain data' };
}

function weakKind(value: object): string | undefined {
  if (types.isWeakMap(value)) return 'WeakMap';
  if (types.isWeakSet(value)) return 'WeakSet';
  if (value instanceof WeakRef) return 'WeakRef';
  if (value instanceof FinalizationRegistry) return 'FinalizationRegistry';
  return undefined;
}

function isIterator(value: object): boolean {
  try {
    const it = value as { next?: unknown; [Symbol.iterator]?: unknown };
    return typeof it.next === 'function' && typeof it[Symbol.iterator] === 'function';
  } catch {
    return false;
  }
}

function isFileHandle(value: object): boolean {
  try {
    const handle = value as { fd?: unknown; close?: unknown; constructor?: { name?: unknown } };
    return typeof handle.fd === 'number' && typeof handle.close === 'function';
  } catch {
    return false;
  }
}

function isBuiltIn(ctor: NotebookClass): boolean {
  return Function.prototype.toString.call(ctor).endsWith('{ [native code] }');
}

/** Whether a CommonJS package loaded here exports the class (shallowly); ESM packages cannot be asked. */
function isFromPackage(ctor: NotebookClass): boolean {
  for (const module of Object.values(cjsCache)) {
    if (!module || !module.filename.includes('node_modules')) continue;
    const exports = module.exports as unknown;
    if (exports === ctor) return true;
    if (typeof exports !== 'object' || exports === null) continue;
    try {
      for (const key of Object.keys(exports)) if ((exports as Record<string, unknown>)[key] === ctor) return true;
    } catch {
      // an exports object with throwing getters: not ours to judge
    }
  }
  return false;
}

function className(value: object): string {
  try {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    const name = typeof ctor?.name === 'string' && ctor.name ? ctor.name : undefined;
    return name ?? Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    return Object.prototype.toString.call(value).slice(8, -1);
  }
}
