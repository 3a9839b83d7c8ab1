/**
 * Writes values into a pipeline-parameters cell: each declaration's literal is replaced in place (comments,
 * types and layout kept) by the value written as a literal — `JSON.stringify` for strings, so quotes,
 * backslashes, `${}` and line breaks stay text and never become code.
 */
import type { Node } from 'estree';
import { isParseFailure, parseCellSource } from '../analyze/source.js';
import type { Language, ParameterValue } from '../ir.js';

/** A value as JavaScript source that evaluates to exactly it (finite numbers only: the reader refuses others). */
export function parameterLiteral(value: ParameterValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw new Error(`cannot write ${value} as a parameter`);
    return String(value);
  }
  return value ? 'true' : 'false';
}

/** The cell's source with the named parameters set; names the cell does not declare are left out. */
export function setParameterValues(
  source: string,
  language: Language,
  values: Readonly<Record<string, ParameterValue>>
): string {
  const parsed = parseCellSource(source, language);
  if (isParseFailure(parsed)) throw new Error('the parameters cell does not parse');
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of parsed.program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const declarator of statement.declarations) {
      if (declarator.id.type !== 'Identifier' || !declarator.init) continue;
      const value = values[declarator.id.name];
      if (value === undefined) continue;
      const [start, end] = (declarator.init as Node & { range: [number, number] }).range;
      edits.push({ start, end, text: parameterLiteral(value) });
    }
  }
  let text = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}
