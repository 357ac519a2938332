/**
 * Errors of the expression compiler.
 *
 * - `ExpressionCompileError`: the expression does not type (a user's mistake, found once when a
 *   query is planned). It is a `StatementError`, with the location of the sub-expression at
 *   fault and its ksqlDB-style text.
 * - `ExpressionEvaluationError`: evaluating a record failed (a bad CAST of a string, a function
 *   that threw, an integer division by zero). ksqlDB writes these to the processing log and
 *   uses null for the value; see `compileExpressionSafe`.
 */
import type { SourceLocation } from '../../parser/ast.js';
import { StatementError } from '../errors.js';

/**
 * When ksqlDB finds the problem, which decides the prefix its messages get: while type-checking
 * (its analyzer prefixes "Error in WHERE expression: " and the like), or while generating code
 * (an IN list's coercion, an unsupported CAST), where a filter's message starts "Invalid
 * Predicate: " and a projection's "Invalid Select: ".
 */
export type ExpressionErrorPhase = 'type-check' | 'code-generation';

export class ExpressionCompileError extends StatementError {
  constructor(
    message: string,
    /** ksqlDB's text of the sub-expression at fault (`(A + B)`, `CAST(X AS INTEGER)`). */
    readonly expressionText: string,
    location: SourceLocation | undefined,
    readonly phase: ExpressionErrorPhase = 'type-check',
  ) {
    super(message, location === undefined ? {} : { location });
  }
}

export class ExpressionEvaluationError extends Error {
  override readonly name = 'ExpressionEvaluationError';
  constructor(
    message: string,
    /** ksqlDB's text of the expression whose evaluation failed. */
    readonly expressionText: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** The message of whatever was thrown. */
export function causeMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
