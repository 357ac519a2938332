/**
 * The project's base error, and the parser's error.
 *
 * `SqlError` is the base of every user-facing error in Sluice (it lives here until the engine
 * grows its own errors module): a stable `code`, the text of the statement at fault, and where
 * in it the problem is. Subclasses add categories, never one class per message; the message
 * texts live in messages.ts.
 */
import type { SourceLocation } from './ast.js';

export abstract class SqlError extends Error {
  /** Stable and documented; clients may switch on it. */
  abstract readonly code: string;
  /** The text of the statement at fault, when known. */
  readonly statementText?: string;
  readonly location?: SourceLocation;

  protected constructor(message: string, options: { statementText?: string; location?: SourceLocation }) {
    super(message);
    this.name = new.target.name;
    if (options.statementText !== undefined) this.statementText = options.statementText;
    if (options.location !== undefined) this.location = options.location;
  }

  /**
   * The message followed by the statement, the form ksqlDB keeps out of its logs and that its
   * tests match against.
   */
  get messageWithStatement(): string {
    return this.statementText === undefined
      ? this.message
      : `${this.message}\nStatement: ${this.statementText}`;
  }
}

/**
 * A statement that is not valid ksqlDB SQL: a syntax error, or a rule ksqlDB checks while
 * building its AST (a KEY column in a table, a number out of range, a bad WINDOW_SIZE).
 *
 * `message` is worded as ksqlDB words it (its tests match on that text); `description` says the
 * same in plain words, naming the offending token and what was expected.
 */
export class ParseError extends SqlError {
  readonly code = 'PARSE_ERROR';
  /** 1-based line of the offending token in the parsed text. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  /** The offending token as written (`<EOF>` at the end of the input), when there is one. */
  readonly offendingToken?: string;
  /** What could have come instead, as display names (`'FROM'`, `IDENTIFIER`, `','`). */
  readonly expected: readonly string[];
  readonly description: string;
  /**
   * The message without the parser's detail line, which may echo the user's text: what ksqlDB
   * writes to its log and returns from its REST API (`line 1:24: Syntax Error\n`, to which the
   * REST layer appends `\nStatement: ...`). Errors without a detail line return `message`.
   */
  readonly redactedMessage: string;

  constructor(args: {
    message: string;
    redactedMessage?: string;
    description?: string;
    location: SourceLocation;
    statementText?: string;
    offendingToken?: string;
    expected?: readonly string[];
  }) {
    super(args.message, { location: args.location, statementText: args.statementText });
    this.line = args.location.line;
    this.column = args.location.column;
    if (args.offendingToken !== undefined) this.offendingToken = args.offendingToken;
    this.expected = args.expected ?? [];
    this.description = args.description ?? args.message;
    this.redactedMessage = args.redactedMessage ?? args.message;
  }
}
