/**
 * chevrotain recognition errors -> ParseError worded as ksqlDB words its syntax errors:
 *
 *   line 2:74: Syntax Error
 *   missing ')' at ','
 *
 * The second line depends on what went wrong, following the cases of ksqlDB's ANTLR error
 * strategy: a statement that starts with an unknown word, a token that is missing (the
 * offending token could follow it), an extra token (the one after it is what was expected), a
 * token out of a fixed set (`Expecting {...}`), or anything else (`Syntax error at or near`).
 */
import {
  createTokenInstance,
  EOF,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
  tokenMatcher,
} from 'chevrotain';
import { type SqlParser, tokens } from '../grammar/index.js';
import type { BuildContext } from './build-context.js';
import type { ParseError } from './errors.js';
import { skippedBeforeTerminals } from './expected-tokens.js';
import { messages } from './messages.js';

const tokenTypeByName = new Map<string, TokenType>(tokens.allTokens.map((t) => [t.name, t]));

/** What the error message provider records, so that the mapping below has structured data. */
type ErrorFacts =
  | { readonly kind: 'mismatch'; readonly expected: string; readonly rule: string }
  | { readonly kind: 'noViableAlt'; readonly expected: readonly string[]; readonly rule: string }
  | { readonly kind: 'notAllInputParsed' };

/** Makes chevrotain's error `message` a JSON record of the facts instead of English. */
export const factRecordingMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', expected: expected.name, rule: ruleName }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({
      kind: 'noViableAlt',
      expected: firstTokenNames(expectedPathsPerAlt.flat()),
      rule: ruleName,
    }),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({
      kind: 'noViableAlt',
      expected: firstTokenNames(expectedIterationPaths),
      rule: ruleName,
    }),
  buildNotAllInputParsedMessage: () => JSON.stringify({ kind: 'notAllInputParsed' }),
};

function firstTokenNames(paths: TokenType[][]): string[] {
  return [...new Set(paths.map((path) => path[0]?.name).filter((n): n is string => n !== undefined))];
}

/**
 * Content assist re-reads the statement from its start, which costs seconds for statements of
 * thousands of tokens; beyond this many tokens, errors name what the failing rule expected
 * instead, so that bad input stays cheap to reject.
 */
const contentAssistLimit = 200;

/** Rules whose alternatives are single tokens: ANTLR matches those as a set (`Expecting {...}`). */
const tokenSetRules = new Set(['typeParameter', 'comparisonOperator', 'number', 'stringOrVariable']);

/**
 * Maps the first recognition error of a statement (or, with `startRule: 'expression'`, of an
 * expression). `statementTokens` are the tokens given to the parser.
 */
export function toParseError(
  ctx: BuildContext,
  parser: SqlParser,
  error: IRecognitionException,
  statementTokens: readonly IToken[],
  startRule: 'singleStatement' | 'expression' = 'singleStatement',
): ParseError {
  const facts = JSON.parse(error.message) as ErrorFacts;
  const offending = positionedToken(ctx, error.token, statementTokens);
  const index = error.token.tokenType === EOF ? statementTokens.length : statementTokens.indexOf(error.token);
  const prefix = statementTokens.slice(0, Math.max(0, index));
  const location = ctx.locationOfToken(offending);
  const found = displayImage(offending);

  if (index === 0 && startRule === 'singleStatement') {
    return ctx.syntaxError(offending, messages.unknownStatement(found), ['a statement']);
  }

  const namesExpected =
    (facts.kind === 'mismatch' && facts.expected === 'AnyIdentifier') ||
    (facts.kind === 'noViableAlt' && facts.expected.length === 1 && facts.expected[0] === 'AnyIdentifier');
  if (namesExpected && tokens.isReservedWord(found.toUpperCase())) {
    return ctx.syntaxError(offending, messages.reservedKeyword(found), ['IDENTIFIER']);
  }
  if (facts.kind === 'mismatch') {
    const expectedType = tokenTypeByName.get(facts.expected)!;
    const expectedName = tokens.tokenDisplayName(expectedType);
    if (
      prefix.length <= contentAssistLimit &&
      canFollow(parser, startRule, prefix, expectedType, offending)
    ) {
      return ctx.syntaxError(offending, messages.missingToken(expectedName, found), [expectedName]);
    }
    const next = statementTokens[index + 1];
    if (next !== undefined && tokenMatcher(next, expectedType)) {
      return ctx.syntaxError(offending, messages.extraneousInput(found, [expectedName]), [expectedName]);
    }
    const expected = expectedInRule(parser, facts.rule, expectedType);
    return ctx.syntaxError(offending, messages.expecting(expected), expected);
  }
  if (facts.kind === 'noViableAlt' && tokenSetRules.has(facts.rule)) {
    const names = facts.expected.map((n) => tokens.tokenDisplayName(tokenTypeByName.get(n)!));
    const expected = sortDisplayNames([...new Set(names)]);
    return ctx.syntaxError(offending, messages.expecting(expected), expected);
  }
  const expected =
    prefix.length <= contentAssistLimit
      ? expectedAfter(parser, startRule, prefix)
      : facts.kind === 'noViableAlt'
        ? sortDisplayNames([
            ...new Set(facts.expected.map((n) => tokens.tokenDisplayName(tokenTypeByName.get(n)!))),
          ])
        : [];
  const near = messages.syntaxErrorNear(found, location.line, location.column);
  return ctx.syntaxError(offending, near + messages.expectingSuffix(expected), expected);
}

/** The EOF token has no position: place it just after the statement's last token. */
function positionedToken(ctx: BuildContext, token: IToken, statementTokens: readonly IToken[]): IToken {
  if (token.tokenType !== EOF) return token;
  const last = statementTokens[statementTokens.length - 1];
  const offset = last === undefined ? 0 : (last.endOffset ?? last.startOffset) + 1;
  const at = ctx.locationOfOffset(offset);
  return createTokenInstance(EOF, '<EOF>', offset, offset, at.line, at.line, at.column, at.column);
}

function displayImage(token: IToken): string {
  return token.tokenType === EOF ? '<EOF>' : token.image;
}

/** Whether `found` may come right after a `missing` token inserted after `prefix`. */
function canFollow(
  parser: SqlParser,
  startRule: string,
  prefix: readonly IToken[],
  missing: TokenType,
  found: IToken,
): boolean {
  const inserted = createTokenInstance(
    missing,
    '',
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
  );
  try {
    const paths = parser.computeContentAssist(startRule, [...prefix, inserted]);
    if (found.tokenType === EOF) return paths.length === 0;
    return paths.some((path) => tokenMatcher(found, path.nextTokenType));
  } catch {
    return false;
  }
}

let skippedByRule: Map<string, Set<TokenType>> | undefined;

/** ANTLR's expected set for a mismatched token; see expected-tokens.ts. */
function expectedInRule(parser: SqlParser, rule: string, expectedType: TokenType): string[] {
  skippedByRule ??= skippedBeforeTerminals(Object.values(parser.getGAstProductions()));
  const skipped = skippedByRule.get(`${rule}:${expectedType.name}`) ?? new Set();
  const names = [expectedType, ...skipped].map((t) => tokens.tokenDisplayName(t));
  return sortDisplayNames([...new Set(names)]);
}

/** Display names of every token that may follow `prefix`, in a stable, readable order. */
function expectedAfter(parser: SqlParser, startRule: string, prefix: readonly IToken[]): string[] {
  try {
    const paths = parser.computeContentAssist(startRule, [...prefix]);
    return sortDisplayNames([...new Set(paths.map((p) => tokens.tokenDisplayName(p.nextTokenType)))]);
  } catch {
    return [];
  }
}

const punctuationOrder = ["';'", "','", "'('", "')'", "'.'", "'['", "']'", "'='", "'->'", "':='", "'=>'"];

/** Punctuation first (in a fixed order), then keywords, then token classes, like ANTLR's sets. */
function sortDisplayNames(names: readonly string[]): string[] {
  const rank = (name: string) => {
    const p = punctuationOrder.indexOf(name);
    if (p >= 0) return p;
    return name.startsWith("'") ? 100 : 200;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
