export { createServer } from './server.js';
export type { CellflowServer, CreateServerOptions } from './server.js';
export type { AnalyzeNotebookFile, AnalyzeRequest } from './routes/analyze.js';
export type { HealthResponse } from './routes/health.js';
export type { HttpErrorBody } from './errors.js';
export { PROXY_PREFIX } from './router.js';
export { SECRET_HEADER } from './guard.js';
