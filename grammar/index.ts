/**
 * The grammar's public face: one parser instance (chevrotain's self-analysis is costly, so it
 * runs once per process), the lexer, and the serialized productions for syntax diagrams and
 * completion.
 */
import type { ISerializedGast } from 'chevrotain';
import { SqlParser } from './parser.js';

export { type TokenizedText, tokenize } from './lexer.js';
export { SqlParser } from './parser.js';
export * as tokens from './tokens.js';

let instance: SqlParser | undefined;

/** The shared parser. Callers set `input` and call a rule; it is not re-entrant. */
export function sqlParser(): SqlParser {
  instance ??= new SqlParser();
  return instance;
}

/** The grammar as data, for syntax diagrams and the REPL's completion. */
export function grammarProductions(): ISerializedGast[] {
  return sqlParser().getSerializedGastProductions();
}
