/**
 * JSX as the classic runtime compiles it, `React.createElement(type, props, ...children)`, which is what Deno's
 * kernel and tslab (TypeScript's `jsx: react`) run and what sucrase emits for the step: the analysis then sees
 * what the cell reads (`React`, components, attribute expressions). One rewrite per JSX node kind; nested JSX in
 * the result is rewritten as the walk reaches it.
 */
import type { TsNode } from './typescript.js';

function node(type: string, like: TsNode, fields: Record<string, unknown>): TsNode {
  return { type, range: like.range, start: like.start, end: like.end, ...fields };
}

const identifier = (name: string, like: TsNode) => node('Identifier', like, { name });
const literal = (value: string | boolean | null, like: TsNode) =>
  node('Literal', like, { value, raw: JSON.stringify(value) });
const member = (object: TsNode, property: string, like: TsNode) =>
  node('MemberExpression', like, { object, property: identifier(property, like), computed: false, optional: false });

function createElement(type: TsNode, props: TsNode, children: TsNode[], like: TsNode): TsNode {
  return node('CallExpression', like, {
    callee: member(identifier('React', like), 'createElement', like),
    arguments: [type, props, ...children],
    optional: false
  });
}

/** `div` and `my-tag` are strings; `Foo` and `ui.Button` are the values they name. */
function elementType(name: TsNode): TsNode {
  switch (name.type) {
    case 'JSXIdentifier': {
      const text = name.name as string;
      return /^[a-z]|-/.test(text) ? literal(text, name) : identifier(text, name);
    }
    case 'JSXMemberExpression':
      return node('MemberExpression', name, {
        object: elementType(name.object as TsNode),
        property: identifier((name.property as TsNode).name as string, name.property as TsNode),
        computed: false,
        optional: false
      });
    default: // JSXNamespacedName
      return literal(`${(name.namespace as TsNode).name as string}:${(name.name as TsNode).name as string}`, name);
  }
}

function props(attributes: TsNode[], like: TsNode): TsNode {
  if (attributes.length === 0) return literal(null, like);
  return node('ObjectExpression', like, {
    properties: attributes.map(attribute => {
      if (attribute.type === 'JSXSpreadAttribute')
        return node('SpreadElement', attribute, { argument: attribute.argument });
      const name = attribute.name as TsNode;
      const key =
        name.type === 'JSXIdentifier' && /^[A-Za-z_$][\w$]*$/.test(name.name as string)
          ? identifier(name.name as string, name)
          : literal(name.type === 'JSXIdentifier' ? (name.name as string) : 'attribute', name);
      const value = attribute.value as TsNode | null;
      return node('Property', attribute, {
        key,
        value: value === null ? literal(true, attribute) : attributeValue(value),
        kind: 'init',
        method: false,
        shorthand: false,
        computed: false
      });
    })
  });
}

function attributeValue(value: TsNode): TsNode {
  return value.type === 'JSXExpressionContainer' ? (value.expression as TsNode) : value;
}

function children(nodes: TsNode[]): TsNode[] {
  return nodes.flatMap(child => {
    switch (child.type) {
      case 'JSXText': {
        const text = (child.value as string).replace(/\s*\n\s*/g, ' ');
        return text.trim() === '' ? [] : [literal(text, child)];
      }
      case 'JSXExpressionContainer':
        return (child.expression as TsNode).type === 'JSXEmptyExpression' ? [] : [child.expression as TsNode];
      case 'JSXSpreadChild':
        return [node('SpreadElement', child, { argument: child.expression })];
      default:
        return [child]; // an element or fragment: rewritten in turn
    }
  });
}

export const jsxRewrites: Record<string, (jsx: TsNode) => TsNode> = {
  JSXElement(jsx) {
    const opening = jsx.openingElement as TsNode;
    return createElement(
      elementType(opening.name as TsNode),
      props(opening.attributes as TsNode[], opening),
      children(jsx.children as TsNode[]),
      jsx
    );
  },
  JSXFragment(jsx) {
    const fragment = member(identifier('React', jsx), 'Fragment', jsx);
    return createElement(fragment, literal(null, jsx), children(jsx.children as TsNode[]), jsx);
  }
};
