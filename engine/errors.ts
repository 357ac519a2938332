/**
 * The engine's user-facing errors. Every one is a `SqlError` (parser/errors.ts: a stable code,
 * the statement text, a position); the categories separate a user's mistake in a statement
 * from a failure while records flow, as ksqlDB's tests and REST error codes do.
 */
import type { SourceLocation } from '../parser/ast.js';
import { SqlError } from '../parser/errors.js';

/** A statement that cannot run as written: unknown source, type mismatch, a bad property. */
export class StatementError extends SqlError {
  readonly code = 'STATEMENT_ERROR';
  constructor(message: string, options: { statementText?: string; location?: SourceLocation } = {}) {
    super(message, options);
  }
}

/** A statement Sluice understands but does not support (yet), e.g. a Schema Registry format. */
export class UnsupportedStatementError extends SqlError {
  readonly code = 'UNSUPPORTED';
  constructor(
    /** Short name of the missing feature, for summaries. */
    readonly feature: string,
    message: string,
    options: { statementText?: string; location?: SourceLocation } = {},
  ) {
    super(message, options);
  }
}

/** Adds the statement text (and a location, when the error has none) to a SqlError raised deep inside. */
export function withStatement<E extends SqlError>(error: E, statementText: string): E {
  if (error.statementText === undefined) {
    (error as { statementText?: string }).statementText = statementText;
  }
  return error;
}
