/**
 * The lexer: text -> tokens with full positions (offset, line, column), keywords re-tagged.
 */
import { createTokenInstance, type ILexingError, type IToken, Lexer } from 'chevrotain';
import { allTokens, Identifier, keywordByUpperCaseImage, Unrecognized } from './tokens.js';

// Keyword and category token types are passed too (they have no pattern) so that they get their
// token type indexes even when only the lexer is used.
const sqlLexer = new Lexer(allTokens as never, {
  positionTracking: 'full',
  ensureOptimizations: true,
});

/** Tokens of a text, plus the comments (which the parser never sees). */
export interface TokenizedText {
  readonly tokens: IToken[];
  readonly comments: readonly IToken[];
  readonly errors: readonly ILexingError[];
}

/**
 * Splits text into tokens. Every word is first an `Identifier`; words that spell a keyword in
 * any letter case become that keyword token here.
 */
export function tokenize(text: string): TokenizedText {
  const result = sqlLexer.tokenize(text);
  const identifierIdx = Identifier.tokenTypeIdx;
  for (const token of result.tokens) {
    if (token.tokenTypeIdx !== identifierIdx) continue;
    const keyword = keywordByUpperCaseImage.get(token.image.toUpperCase());
    if (keyword !== undefined) {
      token.tokenType = keyword;
      token.tokenTypeIdx = keyword.tokenTypeIdx!;
    }
  }
  const tokens =
    result.errors.length === 0 ? result.tokens : withUnrecognized(text, result.tokens, result.errors);
  return { tokens, comments: result.groups.comments ?? [], errors: result.errors };
}

/** Puts an `Unrecognized` token where the lexer skipped characters, in offset order. */
function withUnrecognized(text: string, tokens: IToken[], errors: readonly ILexingError[]): IToken[] {
  const extra = errors.map((e) => {
    const image = text.slice(e.offset, e.offset + e.length);
    const line = e.line ?? 1;
    const column = e.column ?? 1;
    return createTokenInstance(
      Unrecognized,
      image,
      e.offset,
      e.offset + e.length - 1,
      line,
      line,
      column,
      column,
    );
  });
  return [...tokens, ...extra].sort((a, b) => a.startOffset - b.startOffset);
}
