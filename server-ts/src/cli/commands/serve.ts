/**
 * `cellflow serve`: the HTTP API, started by jupyter-server-proxy in one of two ways that let only
 * Jupyter's authenticated users reach it: `--socket <path>` (a Unix socket in a private directory), or
 * `--port <n>` on loopback with CELLFLOW_SERVER_SECRET set (the proxy sends it as X-Cellflow-Secret).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { AnalysisProcess } from '../../analysis-process/index.js';
import { serveError } from '../../diagnostics/codes.js';
import { CellflowError } from '../../diagnostics/diagnostic.js';
import { createServer } from '../../http/index.js';

/** The environment variable holding the per-launch secret for `--port` mode. */
export const SECRET_ENV = 'CELLFLOW_SERVER_SECRET';

interface ServeOptions {
  port?: number;
  socket?: string;
  root: string;
  allowHost: string[];
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API to jupyter-server-proxy (on a Unix socket, or on loopback with a secret)')
    .option('--socket <path>', 'listen on this Unix socket; its directory must be private (mode 0700) or absent')
    .option('--port <port>', `port on 127.0.0.1 (0 picks a free one); needs ${SECRET_ENV}`, port)
    .option('--root <dir>', 'the Jupyter root; no path outside it is read or written', '.')
    .option('--allow-host <name>', 'a Host header name to accept besides localhost (repeatable)', collect, [])
    .action(async (options: ServeOptions) => {
      const secret = process.env[SECRET_ENV] || undefined;
      const useSocket = options.socket !== undefined;
      if (!useSocket && (options.port === undefined || secret === undefined)) {
        throw new CellflowError(serveError.noAuthentication());
      }
      // Notebooks are analyzed in a process of their own: a hostile one cannot take the server down.
      const analysis = new AnalysisProcess();
      const server = await createServer({
        root: options.root,
        ...(useSocket ? { socketPath: options.socket } : { port: options.port, secret }),
        allowedHosts: options.allowHost,
        work: analysis
      }).catch(error => {
        analysis.close();
        throw error;
      });
      const where = server.socketPath ? `on socket ${server.socketPath}` : `at ${server.url}`;
      process.stderr.write(`cellflow: serving ${server.root} ${where}\n`);
      const stop = () =>
        void server.close().then(() => {
          analysis.close();
          process.exit(0);
        });
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('give a port number from 0 to 65535.');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value.toLowerCase()];
}
