/**
 * The pipeline-parameters cell: literal `const`/`let`/`var` declarations only
 * (numbers, strings, booleans), typed by their literal. Anything else is an
 * error naming the cell and line, since parameter values are substituted
 * from outside and must never be code.
 */
import type { Expression, Statement } from 'estree';
import { codeError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Language, Parameter, ParameterType, ParameterValue } from '../ir.js';
import { isParseFailure, parseCellSource } from './source.js';

export function readParameters(
  cellIndex: number,
  source: string,
  language: Language
): { parameters: Parameter[]; diagnostics: Diagnostic[] } {
  const parsed = parseCellSource(source, language);
  if (isParseFailure(parsed)) return { parameters: [], diagnostics: [] }; // reported with the cell's parse error
  const position = parsed.position;
  const parameters: Parameter[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const statement of parsed.program.body) {
    const place = { cellIndex, ...position(statement.range![0]) };
    if (statement.type !== 'VariableDeclaration') {
      diagnostics.push(codeError.invalidParameter(place, `${describe(statement)} is not a declaration`));
      continue;
    }
    for (const declarator of statement.declarations) {
      const at = { cellIndex, ...position(declarator.range![0]) };
      if (declarator.id.type !== 'Identifier') {
        diagnostics.push(codeError.invalidParameter(at, 'destructuring is not allowed'));
        continue;
      }
      const name = declarator.id.name;
      const value = declarator.init ? literalValue(declarator.init) : undefined;
      if (value === undefined) {
        diagnostics.push(
          codeError.invalidParameter(at, `\`${name}\` is not set to a number, string or boolean literal`)
        );
        continue;
      }
      const inexact = typeof value === 'number' ? notCarriedExactly(value) : undefined;
      if (inexact) {
        diagnostics.push(codeError.invalidParameter(at, `\`${name}\` is ${inexact}`));
        continue;
      }
      parameters.push({ name, type: typeof value as ParameterType, default: value, cellIndex, line: at.line });
    }
  }
  return { parameters, diagnostics };
}

/**
 * Parameter values reach steps as JSON, which has no Infinity (`1e309` would arrive as `null`) and no
 * -0 (it would arrive as 0): such a default is refused rather than changed on the way.
 */
export function notCarriedExactly(value: number): string | undefined {
  if (!Number.isFinite(value)) return `${value}, which cannot be handed to a step: give a finite number`;
  if (Object.is(value, -0)) return '-0, which reaches a step as 0: write 0';
  return undefined;
}

function literalValue(node: Expression): ParameterValue | undefined {
  if (node.type === 'Literal') {
    const v = node.value;
    return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
  }
  if (node.type === 'UnaryExpression' && node.operator === '-' && node.argument.type === 'Literal') {
    return typeof node.argument.value === 'number' ? -node.argument.value : undefined;
  }
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

function describe(statement: Statement | { type: string }): string {
  return statement.type === 'ExpressionStatement' ? 'an expression' : `a ${statement.type}`;
}
