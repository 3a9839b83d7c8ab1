#!/usr/bin/env node
// The `cellflow` command. It lives outside dist/ so npm links it at install time, before anything is built.
import('../dist/src/cli/main.js').catch(error => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('cellflow is not built yet: run `npm run build` in the repository root first.\n');
    process.exit(1);
  }
  throw error;
});
