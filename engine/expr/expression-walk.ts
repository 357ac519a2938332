/**
 * Generic walks over expression trees: the children of a node, a top-down rewrite that
 * rebuilds only what changed, a pre-order visit, and the planner's questions built on them
 * (which columns an expression reads, whether it calls an aggregate).
 *
 * A new expression kind breaks `mapChildren` at compile time until it is handled here, and
 * every walk follows.
 */
import type { ColumnRef, Expression, FunctionCall } from '../../parser/ast.js';
import { assertNever } from '../../parser/visitor.js';
import type { FunctionRegistry } from './functions/function-types.js';

/**
 * The node with `f` applied to each direct child, in source order. Returns `e` itself when
 * no child changed, so rewrites keep sharing untouched subtrees.
 */
export function mapChildren(e: Expression, f: (child: Expression) => Expression): Expression {
  let changed = false;
  const map = (child: Expression): Expression => {
    const next = f(child);
    if (next !== child) changed = true;
    return next;
  };
  const mapAll = (children: readonly Expression[]): readonly Expression[] => children.map(map);
  let next: Expression;
  switch (e.kind) {
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'StringLiteral':
    case 'IntegerLiteral':
    case 'BigIntLiteral':
    case 'DecimalLiteral':
    case 'DoubleLiteral':
    case 'VariableReference':
    case 'ColumnRef':
    case 'LambdaVariable':
    case 'IntervalUnit':
      return e;
    case 'Dereference':
      next = { ...e, base: map(e.base) };
      break;
    case 'Subscript':
      next = { ...e, base: map(e.base), index: map(e.index) };
      break;
    case 'FunctionCall':
      next = { ...e, args: mapAll(e.args) };
      break;
    case 'Lambda':
      next = { ...e, body: map(e.body) };
      break;
    case 'ArithmeticUnary':
      next = { ...e, operand: map(e.operand) };
      break;
    case 'ArithmeticBinary':
      next = { ...e, left: map(e.left), right: map(e.right) };
      break;
    case 'Comparison':
      next = { ...e, left: map(e.left), right: map(e.right) };
      break;
    case 'Logical':
      next = { ...e, left: map(e.left), right: map(e.right) };
      break;
    case 'Between':
      next = { ...e, value: map(e.value), lower: map(e.lower), upper: map(e.upper) };
      break;
    case 'InList':
      next = { ...e, value: map(e.value), list: mapAll(e.list) };
      break;
    case 'Like':
      next = { ...e, value: map(e.value), pattern: map(e.pattern) };
      break;
    case 'IsNull':
      next = { ...e, value: map(e.value) };
      break;
    case 'Not':
      next = { ...e, operand: map(e.operand) };
      break;
    case 'SearchedCase':
      next = {
        ...e,
        whens: e.whens.map((w) => ({ condition: map(w.condition), result: map(w.result) })),
        ...(e.else === undefined ? {} : { else: map(e.else) }),
      };
      break;
    case 'SimpleCase':
      next = {
        ...e,
        operand: map(e.operand),
        whens: e.whens.map((w) => ({ condition: map(w.condition), result: map(w.result) })),
        ...(e.else === undefined ? {} : { else: map(e.else) }),
      };
      break;
    case 'Cast':
      next = { ...e, operand: map(e.operand) };
      break;
    case 'CreateArray':
      next = { ...e, elements: mapAll(e.elements) };
      break;
    case 'CreateMap':
      next = { ...e, entries: e.entries.map((x) => ({ key: map(x.key), value: map(x.value) })) };
      break;
    case 'CreateStruct':
      next = { ...e, fields: e.fields.map((x) => ({ name: x.name, value: map(x.value) })) };
      break;
    default:
      return assertNever(e);
  }
  return changed ? Object.freeze(next) : e;
}

/** The direct children of a node, in source order. */
export function childExpressions(e: Expression): Expression[] {
  const children: Expression[] = [];
  mapChildren(e, (child) => {
    children.push(child);
    return child;
  });
  return children;
}

/**
 * Rewrites top-down: where `replace` returns an expression it takes the node's place (and is
 * not walked further); where it returns undefined the node is kept and its children are
 * rewritten. Unchanged subtrees are shared, not copied.
 */
export function rewriteExpression(
  e: Expression,
  replace: (node: Expression) => Expression | undefined,
): Expression {
  const replacement = replace(e);
  if (replacement !== undefined) return replacement;
  return mapChildren(e, (child) => rewriteExpression(child, replace));
}

/** Visits every node pre-order; returning false from `visit` skips that node's children. */
export function walkExpression(e: Expression, visit: (node: Expression) => unknown): void {
  if (visit(e) === false) return;
  for (const child of childExpressions(e)) walkExpression(child, visit);
}

/** Every column reference, in source order (lambda parameters are not columns). */
export function collectColumnRefs(e: Expression): ColumnRef[] {
  const refs: ColumnRef[] = [];
  walkExpression(e, (node) => {
    if (node.kind === 'ColumnRef') refs.push(node);
  });
  return refs;
}

/** The calls of aggregate functions, outermost first (their arguments are not searched). */
export function collectAggregateCalls(e: Expression, registry: FunctionRegistry): FunctionCall[] {
  const calls: FunctionCall[] = [];
  walkExpression(e, (node) => {
    if (node.kind === 'FunctionCall' && registry.isAggregate(node.name)) {
      calls.push(node);
      return false;
    }
    return true;
  });
  return calls;
}

export function containsAggregateCall(e: Expression, registry: FunctionRegistry): boolean {
  return collectAggregateCalls(e, registry).length > 0;
}
