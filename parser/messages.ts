/**
 * Every message the parser shows a user, in one place. Where ksqlDB's tests assert a message,
 * the wording is ksqlDB's, so that the conformance suite can compare texts.
 */

/** Quotes a token for a message the way ksqlDB does: `'FROM'`, `'<EOF>'`. */
export function quoteToken(image: string): string {
  return `'${image.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** `{',', ')'}`: an expected set as ksqlDB prints it. */
export function tokenSet(names: readonly string[]): string {
  return `{${names.join(', ')}}`;
}

export const messages = {
  /** The first line of every syntax error. */
  syntaxErrorHeader: (line: number, column: number) => `line ${line}:${column}: Syntax Error`,
  /**
   * Appended to "Syntax error at or near ..." to name what could have come instead, when that
   * is a short list (ksqlDB's text stops before it, so matching on ksqlDB's text still works).
   */
  expectingSuffix: (expected: readonly string[]) =>
    expected.length === 0 || expected.length > 8 ? '' : `, expecting ${describeAlternatives(expected)}`,
  unknownStatement: (image: string) => `Unknown statement ${quoteToken(image)}`,
  missingToken: (expected: string, found: string) => `missing ${expected} at ${quoteToken(found)}`,
  extraneousInput: (found: string, expected: readonly string[]) =>
    `extraneous input ${quoteToken(found)} expecting ${tokenSet(expected)}`,
  expecting: (expected: readonly string[]) => `Expecting ${tokenSet(expected)}`,
  syntaxErrorNear: (found: string, line: number, column: number) =>
    `Syntax error at or near ${quoteToken(found)} at line ${line}:${column}`,
  reservedKeyword: (word: string) =>
    `"${word}" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as \`${word}\``,
  statementTooLarge: () =>
    'Error processing statement: Statement is too large to parse. This may be caused by having too many nested expressions in the statement.',

  /** The plain-words companion of every syntax error. */
  describeSyntaxError: (found: string, line: number, column: number, expected: readonly string[]) =>
    expected.length === 0
      ? `Syntax error at line ${line}, column ${column}: unexpected ${quoteToken(found)}.`
      : `Syntax error at line ${line}, column ${column}: found ${quoteToken(found)} where ${describeAlternatives(expected)} ${expected.length === 1 ? 'was' : 'were'} expected.`,

  /** ksqlDB's position prefix for errors raised while building the AST. */
  astErrorAt: (line: number, column: number, message: string) => `Line: ${line}, Col: ${column}: ${message}`,
  keyColumnInTable: (column: string) =>
    `Column \`${column}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.`,
  primaryKeyColumnInStream: (column: string) =>
    `Column \`${column}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.`,
  doubleOverflow: (text: string) => `Number overflows DOUBLE: ${text}`,
  invalidNumericLiteral: (text: string) => `Invalid numeric literal: ${text}`,
  integerExpected: (clause: string) => `Value must be integer for command: ${clause}`,
  singleCharacterEscape: (escapeText: string) => `Expected single character escape but got: ${escapeText}`,
  unknownTypedLiteral: (type: string) => `Unknown type: ${type}`,
  decimalTypedLiteral: (text: string) => `Invalid DECIMAL literal: '${text}'`,
  lambdaParameters: () => 'Lambda parameters must be identifiers',
  structFieldWildcard: () => "'->*' is only allowed as a select item",
  orReplaceNotAllowed: (what: string) => `OR REPLACE is not allowed with ${what}`,
  windowTypeInvalid: (value: string) =>
    `Configuration WINDOW_TYPE is invalid: ${value}. Valid values are SESSION, HOPPING and TUMBLING.`,
  windowSizeInvalid: (value: string, reason: string) =>
    `Configuration WINDOW_SIZE is invalid: Invalid duration: '${value}'. ${reason}`,
  unknownTimeUnit: (unit: string) => `Unknown time unit: '${unit}'`,
  windowSizeNotNumber: () => 'Not numeric',
  windowSizeWithSession: () => "'WINDOW_SIZE' should not be set for SESSION windows.",
  windowSizeRequired: () => "Tumbling and Hopping window types should set 'WINDOW_SIZE' in the WITH clause.",
  emptyStatement: () => 'Empty statement',
  orderByUnsupported: () =>
    'ORDER BY is only supported for pull queries over materialized tables with sluice.query.pull.sql.enabled=true.',
  illegalVariableValue: (line: number, column: number) =>
    `Illegal argument at Line: ${line}, Col: ${column}. Identifier names cannot start with '@' and may only contain alphanumeric values and '_'.`,
} as const;

function describeAlternatives(expected: readonly string[]): string {
  if (expected.length === 1) return expected[0]!;
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
}
