/**
 * The AST of ksqlDB's SQL dialect: immutable, kind-tagged plain objects.
 *
 * `Statement`, `Expression`, `SelectItem`, `Relation`, `WindowExpression` and `SqlType` are
 * discriminated unions on `kind`; switch on it and end with `assertNever` (visitor.ts) so that
 * a new kind breaks the build until every consumer handles it.
 */
export type * from './ast/expressions.js';
export type * from './ast/location.js';
export type * from './ast/query.js';
export type * from './ast/statements.js';
export type * from './ast/types.js';
