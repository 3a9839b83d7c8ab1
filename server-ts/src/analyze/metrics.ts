/**
 * The pipeline-metrics cell names the variables to report, one per line, as
 * Kale's does: `accuracy`, optionally `console.log(accuracy)`.
 */
import type { Expression } from 'estree';
import { codeError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Language } from '../ir.js';
import { isParseFailure, parseCellSource } from './source.js';

export interface MetricName {
  name: string;
  cellIndex: number;
  line: number;
  column: number;
}

export function readMetricNames(
  cellIndex: number,
  source: string,
  language: Language
): { metrics: MetricName[]; diagnostics: Diagnostic[] } {
  const parsed = parseCellSource(source, language);
  if (isParseFailure(parsed)) return { metrics: [], diagnostics: [] };
  const position = parsed.position;
  const metrics: MetricName[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const statement of parsed.program.body) {
    const place = { cellIndex, ...position(statement.range![0]) };
    const names = statement.type === 'ExpressionStatement' ? metricNames(statement.expression) : undefined;
    if (!names) {
      diagnostics.push(codeError.invalidMetric(place, 'this line is not a variable name'));
      continue;
    }
    for (const name of names) {
      if (!metrics.some(m => m.name === name)) metrics.push({ name, ...place, cellIndex });
    }
  }
  return { metrics, diagnostics };
}

function metricNames(expression: Expression): string[] | undefined {
  if (expression.type === 'Identifier') return [expression.name];
  if (expression.type === 'SequenceExpression') {
    const names = expression.expressions.map(e => (e.type === 'Identifier' ? e.name : undefined));
    return names.every(n => n !== undefined) ? (names as string[]) : undefined;
  }
  const isConsoleLog =
    expression.type === 'CallExpression' &&
    expression.callee.type === 'MemberExpression' &&
    expression.callee.object.type === 'Identifier' &&
    expression.callee.object.name === 'console' &&
    expression.callee.property.type === 'Identifier' &&
    expression.callee.property.name === 'log';
  if (isConsoleLog && expression.type === 'CallExpression') {
    const names = expression.arguments.map(a => (a.type === 'Identifier' ? a.name : undefined));
    return names.length > 0 && names.every(n => n !== undefined) ? (names as string[]) : undefined;
  }
  return undefined;
}
