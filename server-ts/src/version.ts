import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The package version, read from server-ts/package.json (two levels up from dist/src). */
export const version: string = (require('../../package.json') as { version: string }).version;
