// jsdom (jest-environment-jsdom 29) lacks structuredClone, which browsers have and dagre uses.
if (typeof globalThis.structuredClone !== 'function') {
  const v8 = require('v8');
  globalThis.structuredClone = value => v8.deserialize(v8.serialize(value));
}
