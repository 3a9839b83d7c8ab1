// Frontend unit tests, set up as the JupyterLab extension template does:
// @jupyterlab/testing's jest configuration (ts-jest, jsdom), tests in
// src/**/__tests__/*.spec.ts(x).
const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

const esModules = [
  '@codemirror',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyter/ydoc',
  '@jupyterlab/',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'marked',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  // jsdom lacks structuredClone, which dagre's layout uses.
  setupFiles: [...baseConfig.setupFiles, '<rootDir>/jest.setup.js'],
  // Built copies (the labextension, .venv's tslab) would collide with the sources in jest's module map.
  modulePathIgnorePatterns: [
    '<rootDir>/cellflow/',
    '<rootDir>/.venv/',
    '<rootDir>/ui-tests/',
    '<rootDir>/server-ts/.test-work/'
  ],
  collectCoverageFrom: ['src/**/*.{ts,tsx}', '!src/**/*.d.ts', '!src/**/__tests__/**'],
  coverageReporters: ['lcov', 'text'],
  // No jest-junit or GitHub annotations: CI reads the console.
  reporters: ['default'],
  testRegex: 'src/(.*/)?__tests__/.*\\.spec\\.tsx?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
