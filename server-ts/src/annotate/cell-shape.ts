/**
 * What an untagged cell is by its shape alone: an `imports` cell (only import
 * declarations and `const x = require('..')`), a `functions` cell (only
 * function, class and type declarations, nothing that runs when the cell
 * runs), or plain work. Only unambiguous shapes count: anything else is work.
 */
import type { ClassBody, Expression, Node, Program, Statement } from 'estree';

export type CellShape = 'imports' | 'functions' | 'work';

export function cellShape(program: Program, source: string): CellShape {
  const body = program.body as Array<Statement | Node>;
  if (body.length === 0) {
    // Types only (erased): nothing runs, so it is declarations. A blank or comment-only cell is nothing at all.
    return /\b(interface|type|declare)\b/.test(source) ? 'functions' : 'work';
  }
  if (body.every(isImport)) return 'imports';
  if (body.every(isDeclarationOnly)) return 'functions';
  return 'work';
}

function isImport(statement: Node): boolean {
  if (statement.type === 'ImportDeclaration') return true;
  if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') return false;
  return statement.declarations.every(d => d.init != null && isRequire(d.init));
}

/** `require('x')` with a literal specifier. */
export function isRequire(node: Expression | Node): boolean {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === 'require' &&
    node.arguments.length === 1 &&
    node.arguments[0].type === 'Literal' &&
    typeof node.arguments[0].value === 'string'
  );
}

/** A declaration whose definition runs nothing: no decorators, no computed keys, no static code but literals. */
function isDeclarationOnly(statement: Node): boolean {
  if (statement.type === 'FunctionDeclaration') return true;
  if (statement.type !== 'ClassDeclaration') return false;
  if (statement.superClass && statement.superClass.type !== 'Identifier') return false;
  return classRunsNothing(statement.body);
}

function classRunsNothing(body: ClassBody): boolean {
  return body.body.every(member => {
    if (member.type === 'StaticBlock') return false;
    if (member.computed) return false;
    if (member.type === 'PropertyDefinition' && member.static)
      return member.value == null || member.value.type === 'Literal';
    return true;
  });
}
