/**
 * Exhaustive dispatch over AST kinds. A `switch (node.kind)` ending in `assertNever(node)`, or a
 * `StatementVisitor` / `ExpressionVisitor` record, fails to compile when a kind is added and not
 * handled.
 */
import type { Expression, ExpressionKind, Statement, StatementKind } from './ast.js';

/** Unreachable when every case of a discriminated union is handled. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled AST node: ${JSON.stringify(value)}`);
}

/** One handler per statement kind, each receiving the node of its kind. */
export type StatementVisitor<R> = {
  readonly [K in StatementKind]: (node: Extract<Statement, { kind: K }>) => R;
};

/** One handler per expression kind, each receiving the node of its kind. */
export type ExpressionVisitor<R> = {
  readonly [K in ExpressionKind]: (node: Extract<Expression, { kind: K }>) => R;
};

export function visitStatement<R>(statement: Statement, visitor: StatementVisitor<R>): R {
  const handler = visitor[statement.kind] as (node: Statement) => R;
  return handler(statement);
}

export function visitExpression<R>(expression: Expression, visitor: ExpressionVisitor<R>): R {
  const handler = visitor[expression.kind] as (node: Expression) => R;
  return handler(expression);
}
