/**
 * Text -> statements. A script is lexed once, split at `;` tokens (so `;` inside strings,
 * quoted names and comments never splits), and each statement is parsed and built on its own,
 * keeping its exact source text and where it starts.
 */
import type { IToken } from 'chevrotain';
import { SqlParser, tokenize } from '../grammar/index.js';
import type { Expression, SourceLocation, Statement } from './ast.js';
import { BuildContext, requiredNode } from './build-context.js';
import { buildExpression } from './build-expressions.js';
import { buildStatement } from './build-statements.js';
import type { ParseError } from './errors.js';
import { LineIndex } from './line-index.js';
import { messages } from './messages.js';
import { factRecordingMessageProvider, toParseError } from './syntax-errors.js';

/** One statement of a script: its AST, its exact text (with the `;`) and where it starts. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly location: SourceLocation;
}

/** One statement's text before parsing. */
export interface StatementText {
  readonly text: string;
  readonly location: SourceLocation;
}

export interface ParseOptions {
  /**
   * Accept statements only a client runs (RUN SCRIPT). ksqlDB's server rejects them as
   * unknown statements, and so does Sluice unless this is set (the REPL sets it).
   */
  readonly clientStatements?: boolean;
  /**
   * Accept the statements of ksqlDB's SQL testing tool: ASSERT VALUES, ASSERT NULL VALUES,
   * ASSERT STREAM and ASSERT TABLE (for `sluice test` on .sql files). ksqlDB's server rejects
   * them, and so does Sluice unless this is set.
   */
  readonly testStatements?: boolean;
}

let parserInstance: SqlParser | undefined;

function parser(): SqlParser {
  parserInstance ??= new SqlParser({ errorMessageProvider: factRecordingMessageProvider });
  return parserInstance;
}

/** The shared parser, for grammar queries such as completion (which do not parse). */
export function completionParser(): SqlParser {
  return parser();
}

interface StatementTokens {
  readonly tokens: IToken[];
  readonly text: string;
  readonly startOffset: number;
}

function splitTokens(text: string, allTokens: readonly IToken[]): StatementTokens[] {
  const statements: StatementTokens[] = [];
  let start = 0;
  const flush = (end: number) => {
    if (end <= start) return;
    const group = allTokens.slice(start, end);
    const first = group[0]!;
    const last = group[group.length - 1]!;
    statements.push({
      tokens: group,
      text: text.slice(first.startOffset, (last.endOffset ?? last.startOffset) + 1),
      startOffset: first.startOffset,
    });
  };
  for (let i = 0; i < allTokens.length; i++) {
    if (allTokens[i]!.tokenType.name !== 'Semicolon') continue;
    // A lone `;` is an empty statement; ksqlDB skips those too.
    if (i > start) flush(i + 1);
    start = i + 1;
  }
  flush(allTokens.length);
  return statements;
}

/**
 * Whether `text` ends with a complete statement: its last token is a `;` and no string, quoted
 * name or comment is left open. The REPL reads lines until this holds.
 */
export function endsWithCompleteStatement(text: string): boolean {
  // An unclosed quote or comment lexes as stray characters, so the last token is not a `;`.
  const { tokens, errors } = tokenize(text);
  return errors.length === 0 && tokens[tokens.length - 1]?.tokenType.name === 'Semicolon';
}

/** Splits a script into statement texts without parsing them (for the REPL and the engine). */
export function splitStatements(text: string): StatementText[] {
  const lines = new LineIndex(text);
  return splitTokens(text, tokenize(text).tokens).map((s) => ({
    text: s.text,
    location: lines.locationOf(s.startOffset),
  }));
}

/**
 * Parses every statement of a script. Throws the ParseError of the first statement that is
 * not valid; its position is relative to the whole script, as ksqlDB reports it. The last
 * statement may omit its `;`.
 */
export function parseStatements(text: string, options: ParseOptions = {}): ParsedStatement[] {
  const lines = new LineIndex(text);
  const { tokens } = tokenize(text);
  return splitTokens(text, tokens).map((s) => parseOne(text, lines, s, options));
}

/** Parses a text holding exactly one statement (a second one is an error at its first token). */
export function parseStatement(text: string, options: ParseOptions = {}): ParsedStatement {
  const statements = parseStatements(text, options);
  const [first, second] = statements;
  if (first !== undefined && second === undefined) return first;
  const lines = new LineIndex(text);
  const ctx = new BuildContext(text, lines, text);
  if (first === undefined) throw ctx.plainError(lines.locationOf(0), messages.emptyStatement());
  const extra = tokenize(text).tokens.find((t) => t.startOffset === second!.location.offset)!;
  throw ctx.syntaxError(extra, messages.extraneousInput(extra.image, ['<EOF>']), ['<EOF>']);
}

function parseOne(
  text: string,
  lines: LineIndex,
  s: StatementTokens,
  options: ParseOptions,
): ParsedStatement {
  const ctx = new BuildContext(text, lines, s.text, options.testStatements === true);
  if (options.testStatements !== true) rejectTestStatement(ctx, s.tokens);
  const p = parser();
  p.input = s.tokens;
  let cst: ReturnType<SqlParser['singleStatement']>;
  try {
    cst = p.singleStatement();
  } catch (error) {
    // Deeply nested expressions exhaust the stack, as they do in ksqlDB.
    if (error instanceof RangeError)
      throw ctx.plainError(lines.locationOf(s.startOffset), messages.statementTooLarge());
    throw error;
  }
  const error = p.errors[0];
  if (error !== undefined) throw toParseError(ctx, p, error, s.tokens);
  const statement = buildStatement(ctx, requiredNode(cst, 'statement'));
  if (statement.kind === 'RunScript' && options.clientStatements !== true) {
    throw ctx.syntaxError(s.tokens[0]!, messages.unknownStatement(s.tokens[0]!.image), ['a statement']);
  }
  return Object.freeze({ statement, text: s.text, location: lines.locationOf(s.startOffset) });
}

const testAssertions = new Set(['VALUES', 'NULL', 'STREAM', 'TABLE']);

/**
 * ksqlDB's server grammar has no ASSERT VALUES/NULL VALUES/STREAM/TABLE, so it fails at the
 * word after ASSERT whatever follows; checked before parsing to report the same position.
 */
function rejectTestStatement(ctx: BuildContext, tokens: readonly IToken[]): void {
  const [first, second] = tokens;
  if (
    first?.tokenType.name !== 'ASSERT' ||
    second === undefined ||
    !testAssertions.has(second.tokenType.name)
  )
    return;
  const at = ctx.locationOfToken(second);
  throw ctx.syntaxError(second, messages.syntaxErrorNear(second.image, at.line, at.column));
}

/** Parses one expression (for tests, the REPL and expression-valued settings). */
export function parseExpression(text: string): Expression {
  const lines = new LineIndex(text);
  const ctx = new BuildContext(text, lines, text);
  const { tokens } = tokenize(text);
  const p = parser();
  p.input = tokens;
  const cst = p.expression();
  const error: ParseError | undefined =
    p.errors[0] === undefined ? undefined : toParseError(ctx, p, p.errors[0], tokens, 'expression');
  if (error !== undefined) throw error;
  return buildExpression(ctx, cst);
}
