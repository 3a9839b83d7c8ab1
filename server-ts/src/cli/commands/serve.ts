/** `cellflow serve --port N --root DIR`: the HTTP API, started by jupyter-server-proxy. */
import { InvalidArgumentError, type Command } from 'commander';
import { AnalysisProcess } from '../../analysis-process/index.js';
import { createServer } from '../../http/index.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API on the loopback interface (jupyter-server-proxy starts this)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--root <dir>', 'the Jupyter root; no path outside it is read or written', '.')
    .action(async (options: { port: number; root: string }) => {
      // Notebooks are analyzed in a process of their own: a hostile one cannot take the server down.
      const analysis = new AnalysisProcess();
      const server = await createServer({
        root: options.root,
        port: options.port,
        analyzeNotebookFile: path => analysis.analyze(path)
      });
      process.stderr.write(`cellflow: serving ${server.root} at ${server.url}\n`);
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
