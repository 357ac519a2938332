/**
 * What may come next after a partial statement, for the REPL's tab completion: the keywords and
 * punctuation the grammar allows there, and whether a name (of a stream, column, ...) fits.
 * Computed from the grammar itself (chevrotain's content assist), so it cannot drift from it.
 */
import type { IToken } from 'chevrotain';
import { tokenize, tokens } from '../grammar/index.js';
import { completionParser } from './parse.js';

export interface Completions {
  /** Keywords that may come next, upper-case, sorted (`FROM`, `WHERE`, ...). */
  readonly keywords: readonly string[];
  /** Punctuation that may come next (`,`, `(`, `;`, ...). */
  readonly punctuation: readonly string[];
  /** Whether a name (identifier) may come next. */
  readonly name: boolean;
  /** Whether a literal (string or number) may come next. */
  readonly literal: boolean;
}

const literalTypes = new Set(['StringLiteral', 'IntegerLiteral', 'DecimalLiteral', 'FloatingPointLiteral']);

/**
 * Completions after `text` (the input up to the cursor). Only the statement being typed counts:
 * everything up to the last `;` is ignored. A partly typed last word is left to the caller, who
 * filters the keywords by it; pass the text before that word.
 */
export function completionsAfter(text: string): Completions {
  const all = tokenize(text).tokens;
  let start = 0;
  all.forEach((t: IToken, i: number) => {
    if (t.tokenType.name === 'Semicolon') start = i + 1;
  });
  const statementTokens = all.slice(start);
  let paths: { nextTokenType: { name: string } }[];
  try {
    paths = completionParser().computeContentAssist('singleStatement', statementTokens);
  } catch {
    paths = [];
  }
  const keywords = new Set<string>();
  const punctuation = new Set<string>();
  let name = false;
  let literal = false;
  for (const { nextTokenType } of paths) {
    const typeName = nextTokenType.name;
    if (tokens.keywordByUpperCaseImage.get(typeName)?.name === typeName) keywords.add(typeName);
    else if (typeName === 'AnyIdentifier' || typeName === 'Identifier') name = true;
    else if (literalTypes.has(typeName)) literal = true;
    else {
      const display = tokens.tokenDisplayName(nextTokenType as never);
      if (display.startsWith("'")) punctuation.add(display.slice(1, -1));
    }
  }
  return {
    keywords: [...keywords].sort(),
    punctuation: [...punctuation].sort(),
    name,
    literal,
  };
}
