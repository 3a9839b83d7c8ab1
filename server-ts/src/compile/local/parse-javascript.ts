/** The compiler reads a cell's JavaScript (types already stripped) with acorn, the same way everywhere. */
import { Parser, type Options, type Program } from 'acorn';

/** Shared with the analyzer's differential test, which checks that analysis sees what this parse sees. */
export const ACORN_OPTIONS = {
  ecmaVersion: 'latest',
  allowAwaitOutsideFunction: true,
  allowHashBang: true,
  allowImportExportEverywhere: true
} as const satisfies Omit<Options, 'sourceType'>;

export function parseJavaScript(js: string, sourceType: 'module' | 'script'): Program {
  return Parser.parse(js, { ...ACORN_OPTIONS, sourceType });
}
