/** `npm run openapi -w server-ts`: writes server-ts/openapi.json from the routes' schemas. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApiText } from './openapi.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../../../openapi.json', import.meta.url));

await writeFile(OPENAPI_FILE, await openApiText());
process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
