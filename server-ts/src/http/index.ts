export { createServer, DEFAULT_MAX_BODY_BYTES } from './server.js';
export type { AnalyzeNotebookFile, CellflowServer, CreateServerOptions } from './server.js';
export type { NotebookWork } from './notebook-work.js';
export type { HealthResponse } from './routes/health.js';
export type { HttpErrorBody } from './errors.js';
export { PROXY_PREFIX } from './prefix.js';
export { SECRET_HEADER } from './guard.js';
