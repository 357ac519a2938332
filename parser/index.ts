/**
 * Sluice's SQL front end: ksqlDB's dialect -> immutable AST, and back to canonical SQL.
 *
 *   parseStatements(text)      script -> [{ statement, text, location }]; throws ParseError
 *   parseStatement(text)       exactly one statement
 *   parseExpression(text)      one expression
 *   splitStatements(text)      statement texts without parsing
 *   substituteVariables(t, v)  `${name}` substitution, before parsing
 *   formatStatement(ast)       canonical SQL; parse(format(ast)) equals ast
 *   completionsAfter(text)     what the grammar allows next (REPL completion)
 *   endsWithCompleteStatement  whether a REPL buffer holds a whole statement
 */
export type * from './ast.js';
export { type Completions, completionsAfter } from './completion.js';
export { ParseError, SqlError } from './errors.js';
export { formatExpression, formatQuery, formatStatement, formatType } from './format.js';
export { messages } from './messages.js';
export { orderByRefusal, queryOfStatement, refuseOrderBy } from './order-by-refusal.js';
export {
  endsWithCompleteStatement,
  type ParsedStatement,
  type ParseOptions,
  parseExpression,
  parseStatement,
  parseStatements,
  type StatementText,
  splitStatements,
} from './parse.js';
export { substituteVariables } from './variables.js';
export {
  assertNever,
  type ExpressionVisitor,
  type StatementVisitor,
  visitExpression,
  visitStatement,
} from './visitor.js';
