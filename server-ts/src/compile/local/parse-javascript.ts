/** The compiler reads a cell's JavaScript (types already stripped) with acorn, the same way everywhere. */
import { Parser, type Program } from 'acorn';

export function parseJavaScript(js: string, sourceType: 'module' | 'script'): Program {
  return Parser.parse(js, {
    ecmaVersion: 'latest',
    sourceType,
    allowAwaitOutsideFunction: true,
    allowHashBang: true,
    allowImportExportEverywhere: true
  });
}
