/**
 * The token vocabulary of ksqlDB's SQL dialect.
 *
 * Keywords are not lexed by one regular expression each: the lexer matches every word as an
 * `Identifier` and `tokenize()` (lexer.ts) re-tags it through `keywordByUpperCaseImage`. One map
 * lookup per word keeps lexing fast and makes every keyword case-insensitive, as in ksqlDB.
 *
 * Keywords in ksqlDB's `nonReserved` list carry the `AnyIdentifier` category, so wherever the
 * grammar takes a name it accepts them: `SELECT key, type FROM t` is valid SQL.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * Any token that can name something: plain, quoted and back-quoted identifiers, digit-led
 * identifiers, `${variables}` and non-reserved keywords. A category rather than a rule, because
 * names are the most frequent thing in SQL and a token match is far cheaper than a sub-rule.
 */
export const AnyIdentifier = createToken({ name: 'AnyIdentifier', pattern: Lexer.NA });
/** Any non-reserved keyword (each is also an `AnyIdentifier`). */
export const NonReserved = createToken({ name: 'NonReserved', pattern: Lexer.NA });
/** Time units accepted by WINDOW, WITHIN, GRACE PERIOD, RETENTION and TIMEOUT. */
export const TimeUnit = createToken({ name: 'TimeUnit', pattern: Lexer.NA });

/**
 * Keywords usable as identifiers (ksqlDB's `nonReserved` rule, plus PAUSE and RESUME, and the words
 * of Sluice's ORDER BY clause, which ksqlDB's grammar lacks: non-reserved, so that scripts naming
 * a column `order` or `last` keep working).
 */
const nonReservedWords = [
  'SHOW',
  'TABLES',
  'COLUMNS',
  'COLUMN',
  'PARTITIONS',
  'FUNCTIONS',
  'FUNCTION',
  'SESSION',
  'STRUCT',
  'MAP',
  'ARRAY',
  'PARTITION',
  'INTEGER',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'INTERVAL',
  'ZONE',
  'STRING',
  'YEAR',
  'MONTH',
  'DAY',
  'HOUR',
  'MINUTE',
  'SECOND',
  'EXPLAIN',
  'ANALYZE',
  'TYPE',
  'TYPES',
  'SET',
  'RESET',
  'IF',
  'SOURCE',
  'SINK',
  'PRIMARY',
  'KEY',
  'EMIT',
  'CHANGES',
  'FINAL',
  'ESCAPE',
  'REPLACE',
  'ASSERT',
  'ALTER',
  'ADD',
  'HEADER',
  'HEADERS',
  'GRACE',
  'PERIOD',
  'DEFINE',
  'UNDEFINE',
  'VARIABLES',
  'PLUGINS',
  'SYSTEM',
  'TIMEOUT',
  'SCHEMA',
  'SUBJECT',
  'ID',
  'PAUSE',
  'RESUME',
  'ORDER',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
] as const;

/**
 * Reserved keywords. Some are reserved without being used by any statement (LOAD, EXPORT,
 * CATALOG, NAMESPACE, MATERIALIZED, VIEW, RENAME, TO, QUERY): ksqlDB reserves them too, so a
 * script that works here keeps working there.
 */
const reservedWords = [
  'SELECT',
  'FROM',
  'AS',
  'ALL',
  'DISTINCT',
  'WHERE',
  'WITHIN',
  'WINDOW',
  'GROUP',
  'BY',
  'HAVING',
  'LIMIT',
  'AT',
  'OR',
  'AND',
  'IN',
  'NOT',
  'EXISTS',
  'BETWEEN',
  'LIKE',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'MILLISECOND',
  'YEARS',
  'MONTHS',
  'DAYS',
  'HOURS',
  'MINUTES',
  'SECONDS',
  'MILLISECONDS',
  'TUMBLING',
  'HOPPING',
  'SIZE',
  'ADVANCE',
  'RETENTION',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'JOIN',
  'FULL',
  'OUTER',
  'INNER',
  'LEFT',
  'RIGHT',
  'ON',
  'WITH',
  'VALUES',
  'CREATE',
  'TABLE',
  'TOPIC',
  'STREAM',
  'STREAMS',
  'INSERT',
  'DELETE',
  'INTO',
  'DESCRIBE',
  'EXTENDED',
  'PRINT',
  'CAST',
  'LIST',
  'TOPICS',
  'QUERY',
  'QUERIES',
  'TERMINATE',
  'LOAD',
  'DROP',
  'TO',
  'RENAME',
  'SAMPLE',
  'EXPORT',
  'CATALOG',
  'PROPERTIES',
  'BEGINNING',
  'UNSET',
  'RUN',
  'SCRIPT',
  'DECIMAL',
  'CONNECTOR',
  'CONNECTORS',
  'NAMESPACE',
  'MATERIALIZED',
  'VIEW',
] as const;

const timeUnitWords = new Set([
  'DAY',
  'HOUR',
  'MINUTE',
  'SECOND',
  'MILLISECOND',
  'DAYS',
  'HOURS',
  'MINUTES',
  'SECONDS',
  'MILLISECONDS',
]);

export type KeywordName = (typeof nonReservedWords)[number] | (typeof reservedWords)[number];

function keyword(word: KeywordName, nonReserved: boolean): TokenType {
  const categories = [];
  if (nonReserved) categories.push(NonReserved, AnyIdentifier);
  if (timeUnitWords.has(word)) categories.push(TimeUnit);
  return createToken({ name: word, pattern: Lexer.NA, categories });
}

/** Every keyword token by its name (which is its upper-case spelling). */
export const Kw = Object.fromEntries([
  ...nonReservedWords.map((w) => [w, keyword(w, true)]),
  ...reservedWords.map((w) => [w, keyword(w, false)]),
]) as Readonly<Record<KeywordName, TokenType>>;

/** Upper-case word -> keyword token; how `tokenize()` tells keywords from identifiers. */
export const keywordByUpperCaseImage: ReadonlyMap<string, TokenType> = new Map(Object.entries(Kw));

/** Whether an upper-case word is a reserved keyword (so an identifier spelled so needs quotes). */
export function isReservedWord(upperCaseWord: string): boolean {
  const token = keywordByUpperCaseImage.get(upperCaseWord);
  return token !== undefined && !(token.CATEGORIES ?? []).includes(NonReserved);
}

// Literals and identifiers. Order matters where patterns overlap: chevrotain takes the first
// pattern that matches unless a `longer_alt` matches more, which reproduces the longest-match
// rule of ksqlDB's lexer for `1e5` (a double) against `1e5x` (an identifier).
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_@]*/,
  categories: [AnyIdentifier],
});
export const DigitIdentifier = createToken({
  name: 'DigitIdentifier',
  pattern: /[0-9][A-Za-z0-9_@]+/,
  categories: [AnyIdentifier],
});
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /"(?:[^"]|"")*"/,
  categories: [AnyIdentifier],
});
export const BackQuotedIdentifier = createToken({
  name: 'BackQuotedIdentifier',
  pattern: /`(?:[^`]|``)*`/,
  categories: [AnyIdentifier],
});
export const Variable = createToken({
  name: 'Variable',
  pattern: /\$\{[A-Za-z_][A-Za-z0-9_@]*\}/,
  categories: [AnyIdentifier],
});
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/ });
export const FloatingPointLiteral = createToken({
  name: 'FloatingPointLiteral',
  pattern: /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[Ee][+-]?[0-9]+/,
  longer_alt: DigitIdentifier,
});
export const DecimalLiteral = createToken({ name: 'DecimalLiteral', pattern: /[0-9]+\.[0-9]*|\.[0-9]+/ });
export const IntegerLiteral = createToken({
  name: 'IntegerLiteral',
  pattern: /[0-9]+/,
  longer_alt: DigitIdentifier,
});

// Operators and punctuation.
export const Lambda = createToken({ name: 'Lambda', pattern: '=>' });
export const Assign = createToken({ name: 'Assign', pattern: ':=' });
export const Arrow = createToken({ name: 'Arrow', pattern: '->' });
export const Concat = createToken({ name: 'Concat', pattern: '||' });
export const NotEquals = createToken({ name: 'NotEquals', pattern: /<>|!=/ });
export const LessOrEqual = createToken({ name: 'LessOrEqual', pattern: '<=' });
export const GreaterOrEqual = createToken({ name: 'GreaterOrEqual', pattern: '>=' });
export const Equals = createToken({ name: 'Equals', pattern: '=' });
export const LessThan = createToken({ name: 'LessThan', pattern: '<' });
export const GreaterThan = createToken({ name: 'GreaterThan', pattern: '>' });
export const Plus = createToken({ name: 'Plus', pattern: '+' });
export const Minus = createToken({ name: 'Minus', pattern: '-' });
export const Asterisk = createToken({ name: 'Asterisk', pattern: '*' });
export const Slash = createToken({ name: 'Slash', pattern: '/' });
export const Percent = createToken({ name: 'Percent', pattern: '%' });
export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Dot = createToken({ name: 'Dot', pattern: '.' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';' });

// Trivia. Comments are kept in their own group (the REPL highlights them); `--@` directives of
// ksqlDB's SQL test files are plain line comments to the grammar.
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: 'comments',
  line_breaks: true,
});
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
/**
 * A character no token matches. `tokenize()` turns the lexer's errors into these tokens, so the
 * parser reports them like any other unexpected token, with its position.
 */
export const Unrecognized = createToken({ name: 'Unrecognized', pattern: Lexer.NA });

/** Tokens the lexer matches, in matching order. */
export const lexerTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  QuotedIdentifier,
  BackQuotedIdentifier,
  Variable,
  FloatingPointLiteral,
  DecimalLiteral,
  IntegerLiteral,
  DigitIdentifier,
  Identifier,
  Lambda,
  Assign,
  Arrow,
  Concat,
  NotEquals,
  LessOrEqual,
  GreaterOrEqual,
  Equals,
  LessThan,
  GreaterThan,
  Plus,
  Minus,
  Asterisk,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Semicolon,
];

/** The parser's vocabulary: every token type, including categories and keywords. */
export const allTokens: readonly TokenType[] = [
  AnyIdentifier,
  NonReserved,
  TimeUnit,
  Unrecognized,
  ...Object.values(Kw),
  ...lexerTokens,
];

/** How an error message names a token type: keywords and punctuation quoted, classes by name. */
export function tokenDisplayName(type: TokenType): string {
  if (keywordByUpperCaseImage.get(type.name) === type) return `'${type.name}'`;
  const pattern = type.PATTERN;
  if (typeof pattern === 'string') return `'${pattern}'`;
  return displayNames[type.name] ?? type.name;
}

const displayNames: Readonly<Record<string, string>> = {
  Identifier: 'IDENTIFIER',
  DigitIdentifier: 'DIGIT_IDENTIFIER',
  QuotedIdentifier: 'QUOTED_IDENTIFIER',
  BackQuotedIdentifier: 'BACKQUOTED_IDENTIFIER',
  Variable: 'VARIABLE',
  StringLiteral: 'STRING',
  FloatingPointLiteral: 'FLOATING_POINT_VALUE',
  DecimalLiteral: 'DECIMAL_VALUE',
  IntegerLiteral: 'INTEGER_VALUE',
  NotEquals: "'<>'",
  NonReserved: 'IDENTIFIER',
  AnyIdentifier: 'IDENTIFIER',
  TimeUnit: 'a time unit',
  Unrecognized: 'UNRECOGNIZED',
};
