/**
 * Shared plumbing of the CST -> AST builder: reading CST children, positions, identifiers,
 * numbers, and raising ParseErrors at a token.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  BigIntLiteral,
  DecimalLiteral,
  DoubleLiteral,
  Duration,
  IntegerLiteral,
  SourceLocation,
  TimeUnit,
} from './ast.js';
import { ParseError } from './errors.js';
import type { LineIndex } from './line-index.js';
import { messages } from './messages.js';

export type Children = Record<string, CstElement[] | undefined>;

export function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

/** The i-th child node under `key`, or undefined. */
export function childNode(node: CstNode, key: string, index = 0): CstNode | undefined {
  const element = node.children[key]?.[index];
  return element === undefined || isToken(element) ? undefined : element;
}

/** The i-th child node under `key`; the grammar guarantees it is there. */
export function requiredNode(node: CstNode, key: string, index = 0): CstNode {
  const child = childNode(node, key, index);
  if (child === undefined) throw new Error(`CST node '${node.name}' has no child '${key}'[${index}]`);
  return child;
}

export function childNodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

export function childToken(node: CstNode, key: string, index = 0): IToken | undefined {
  const element = node.children[key]?.[index];
  return element !== undefined && isToken(element) ? element : undefined;
}

export function childTokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

export function has(node: CstNode, key: string): boolean {
  return (node.children[key]?.length ?? 0) > 0;
}

/** The single child node of a node whose rule is one alternation of sub-rules. */
export function onlyChild(node: CstNode): CstNode {
  for (const key in node.children) {
    const element = node.children[key]?.[0];
    if (element !== undefined && !isToken(element)) return element;
  }
  throw new Error(`CST node '${node.name}' has no sub-rule child`);
}

const timeUnits: Readonly<Record<string, TimeUnit>> = {
  MILLISECOND: 'MILLISECONDS',
  MILLISECONDS: 'MILLISECONDS',
  SECOND: 'SECONDS',
  SECONDS: 'SECONDS',
  MINUTE: 'MINUTES',
  MINUTES: 'MINUTES',
  HOUR: 'HOURS',
  HOURS: 'HOURS',
  DAY: 'DAYS',
  DAYS: 'DAYS',
};

/** `SECOND`, `seconds` -> `SECONDS`; undefined for anything else. */
export function timeUnitOf(word: string): TimeUnit | undefined {
  return timeUnits[word.toUpperCase()];
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** State of one statement's build: the text, positions, and lambda parameters in scope. */
export class BuildContext {
  /** Parameters of the lambdas being built, innermost last. */
  readonly lambdaScopes: Set<string>[] = [];

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
    readonly statementText: string,
    /** Accept the statements of ksqlDB's SQL testing tool (ASSERT VALUES, ...). */
    readonly testStatements = false,
  ) {}

  locationOfOffset(offset: number): SourceLocation {
    return this.lines.locationOf(offset);
  }

  locationOfToken(token: IToken): SourceLocation {
    return this.lines.locationOf(token.startOffset);
  }

  locationOfNode(node: CstNode): SourceLocation {
    return this.lines.locationOf(node.location?.startOffset ?? 0);
  }

  /** A syntax error at a token, worded as ksqlDB words syntax errors. */
  syntaxError(token: IToken, detail: string, expected: readonly string[] = []): ParseError {
    const location = this.locationOfToken(token);
    const header = messages.syntaxErrorHeader(location.line, location.column);
    return new ParseError({
      message: `${header}\n${detail}`,
      redactedMessage: `${header}\n`,
      description: messages.describeSyntaxError(token.image, location.line, location.column, expected),
      location,
      statementText: this.statementText,
      offendingToken: token.image,
      expected,
    });
  }

  /** An error raised while building the AST, with ksqlDB's `Line: L, Col: C:` prefix. */
  astError(location: SourceLocation, detail: string, token?: IToken): ParseError {
    return new ParseError({
      message: messages.astErrorAt(location.line, location.column, detail),
      location,
      statementText: this.statementText,
      ...(token === undefined ? {} : { offendingToken: token.image }),
    });
  }

  /** An error whose ksqlDB message carries no position (the position is still recorded). */
  plainError(location: SourceLocation, message: string): ParseError {
    return new ParseError({ message, location, statementText: this.statementText });
  }

  isLambdaParameter(name: string): boolean {
    return this.lambdaScopes.some((scope) => scope.has(name));
  }
}

/** The normalised text of an identifier token: upper-cased unless quoted. */
export function identifierText(token: IToken): string {
  const image = token.image;
  switch (token.tokenType.name) {
    case 'BackQuotedIdentifier':
      return image.slice(1, -1).replace(/``/g, '`');
    case 'QuotedIdentifier':
      return image.slice(1, -1).replace(/""/g, '"');
    case 'Variable':
      return image;
    default:
      return image.toUpperCase();
  }
}

/** The i-th name token (an `AnyIdentifier`) of a node, under its label or the default key. */
export function nameToken(node: CstNode, key = 'AnyIdentifier', index = 0): IToken {
  const token = childToken(node, key, index);
  if (token === undefined) throw new Error(`CST node '${node.name}' has no name '${key}'[${index}]`);
  return token;
}

/** The i-th name of a node, normalised (upper-cased unless quoted). */
export function nameOf(node: CstNode, key = 'AnyIdentifier', index = 0): string {
  return identifierText(nameToken(node, key, index));
}

/** Like identifierText, without upper-casing unquoted names (query ids, as ksqlDB reads them). */
export function identifierTextKeepingCase(token: IToken): string {
  const tokenType = token.tokenType.name;
  return tokenType === 'BackQuotedIdentifier' || tokenType === 'QuotedIdentifier'
    ? identifierText(token)
    : token.image;
}

export function stringValue(token: IToken): string {
  return token.image.slice(1, -1).replace(/''/g, "'");
}

/** Digits of a decimal literal -> (precision, scale), as java.math.BigDecimal counts them. */
export function decimalPrecisionAndScale(text: string): { precision: number; scale: number } {
  const unsigned = text.replace(/^[-+]/, '');
  const point = unsigned.indexOf('.');
  const scale = point < 0 ? 0 : unsigned.length - point - 1;
  const digits = unsigned.replace('.', '').replace(/^0+/, '');
  return { precision: Math.max(1, digits.length), scale };
}

export type NumberLiteral = IntegerLiteral | BigIntLiteral | DecimalLiteral | DoubleLiteral;

/** A number token (with its sign) -> the literal ksqlDB would build. */
export function numberLiteral(
  ctx: BuildContext,
  sign: IToken | undefined,
  digits: IToken,
  location: SourceLocation,
): NumberLiteral {
  const text = (sign === undefined ? '' : '-') + digits.image;
  switch (digits.tokenType.name) {
    case 'IntegerLiteral': {
      const value = BigInt(text);
      if (value >= BigInt(INT_MIN) && value <= BigInt(INT_MAX)) {
        return Object.freeze({ kind: 'IntegerLiteral', value: Number(value), location });
      }
      if (value < BIGINT_MIN || value > BIGINT_MAX) {
        throw ctx.plainError(location, messages.invalidNumericLiteral(text));
      }
      return Object.freeze({ kind: 'BigIntLiteral', value, location });
    }
    case 'DecimalLiteral':
      return Object.freeze({
        kind: 'DecimalLiteral',
        value: text,
        ...decimalPrecisionAndScale(text),
        location,
      });
    default: {
      const value = Number(text);
      if (!Number.isFinite(value)) throw ctx.plainError(location, messages.doubleOverflow(text));
      return Object.freeze({ kind: 'DoubleLiteral', value, text, location });
    }
  }
}

/** A `number unit` CST pair -> Duration; the number must be an integer, as in ksqlDB. */
export function durationOf(ctx: BuildContext, node: CstNode, clause: string): Duration {
  const numberNode = requiredNode(node, 'number');
  const value = integerOf(ctx, numberNode, clause);
  const unitToken = childToken(node, 'TimeUnit')!;
  return Object.freeze({ value, unit: timeUnitOf(unitToken.image)! });
}

/** A `number` CST node that must hold an integer (LIMIT, window sizes, INTERVAL). */
export function integerOf(ctx: BuildContext, numberNode: CstNode, clause: string): number {
  const sign = childToken(numberNode, 'sign');
  const digits = childToken(numberNode, 'IntegerLiteral');
  const location = ctx.locationOfNode(numberNode);
  if (digits === undefined) {
    throw ctx.plainError(location, messages.integerExpected(clause));
  }
  const value = Number((sign === undefined ? '' : '-') + digits.image);
  if (!Number.isSafeInteger(value))
    throw ctx.plainError(location, messages.invalidNumericLiteral(digits.image));
  return value;
}
