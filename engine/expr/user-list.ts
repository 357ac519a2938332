/**
 * The common type of a list the user wrote (`x IN (a, b)`, `ARRAY[a, b]`, the keys or values
 * of `MAP(...)`), and the list converted to it, following ksqlDB's rules for such lists:
 *
 * - Order matters: the first typed element sets the type, each next one must convert to it
 *   (or it to the next one, which then becomes the type: INTEGER then BIGINT is BIGINT).
 * - Literals are lax: '10' may be a number, 'yes' a BOOLEAN, 10 a STRING. A STRING literal
 *   among numbers takes the numeric type its text needs (`'1.5'` widens INTEGER to DECIMAL).
 *   Other expressions convert only by widening (or STRING to a time type).
 * - Nested ARRAY/MAP/STRUCT constructors are resolved element by element.
 *
 * Literals are converted when the query is compiled; other expressions get a CAST.
 */
import type { Expression, Literal } from '../../parser/ast.js';
import { canImplicitlyCast, widenDecimal } from '../catalog/type-rules.js';
import {
  arrayType,
  formatType,
  isNumericType,
  mapType,
  type SqlType,
  SqlTypes,
  structType,
  typesEqual,
} from '../catalog/types.js';
import {
  formatDate,
  formatTime,
  formatTimestamp,
  javaDoubleToString,
  parseDateText,
  parseTimestampText,
  parseTimeText,
} from '../catalog/value-text.js';
import { Decimal, decimalToString, fitDecimalExact, isDecimal, type SqlValue } from '../catalog/values.js';
import { castConverter } from './cast.js';
import { type CompileContext, constantNode, type TypedNode } from './compile-context.js';
import type { ExpressionErrorPhase } from './errors.js';
import { expressionText } from './expression-text.js';
import {
  parseExactBoolean,
  parseJavaBigDecimal,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
} from './java-values.js';
import { exprMessages } from './messages.js';

export interface ListItem {
  readonly expression: Expression;
  readonly node: TypedNode;
}

export interface CoercedList {
  /** null when the list is empty or every element is a NULL literal. */
  readonly type: SqlType | null;
  readonly nodes: readonly TypedNode[];
}

const LITERAL_KINDS: ReadonlySet<string> = new Set([
  'NullLiteral',
  'BooleanLiteral',
  'StringLiteral',
  'IntegerLiteral',
  'BigIntLiteral',
  'DecimalLiteral',
  'DoubleLiteral',
]);

export function isLiteral(e: Expression): e is Literal {
  return LITERAL_KINDS.has(e.kind);
}

/** Resolves the common type of `items` and converts each to it. */
export function coerceUserList(
  ctx: CompileContext,
  items: readonly ListItem[],
  phase: ExpressionErrorPhase,
): CoercedList {
  const resolver = new CommonTypeResolver(ctx, phase);
  let type: SqlType | null = null;
  for (const item of items) type = resolver.next(item.expression, item.node.type, type);
  if (type === null) return { type, nodes: items.map((i) => i.node) };
  const common = type;
  return { type, nodes: items.map((item) => convertTo(ctx, item, common, phase)) };
}

class CommonTypeResolver {
  constructor(
    private readonly ctx: CompileContext,
    private readonly phase: ExpressionErrorPhase,
  ) {}

  next(e: Expression, type: SqlType | null, common: SqlType | null): SqlType | null {
    if (common === null) return type;
    if (type === null) return common;
    switch (e.kind) {
      case 'CreateArray': {
        if (common.kind !== 'ARRAY') this.fail(e, common, type);
        return arrayType(this.nested(e, common, type, common.element, e.elements));
      }
      case 'CreateMap': {
        if (common.kind !== 'MAP') this.fail(e, common, type);
        const key = this.nested(
          e,
          common,
          type,
          common.key,
          e.entries.map((x) => x.key),
        );
        const value = this.nested(
          e,
          common,
          type,
          common.value,
          e.entries.map((x) => x.value),
        );
        return mapType(key, value);
      }
      case 'CreateStruct': {
        if (common.kind !== 'STRUCT') this.fail(e, common, type);
        const names = [...new Set([...e.fields.map((f) => f.name), ...common.fields.map((f) => f.name)])];
        return this.wrapped(e, common, type, () =>
          structType(
            names.map((name) => {
              const source = e.fields.find((f) => f.name === name);
              const target = common.fields.find((f) => f.name === name)?.type;
              const sourceType = source === undefined ? undefined : this.ctx.node(source.value).type;
              if (target === undefined || source === undefined)
                return { name, type: (target ?? sourceType)! };
              return { name, type: this.next(source.value, sourceType ?? null, target)! };
            }),
          ),
        );
      }
      case 'StringLiteral':
        if (isNumericType(common)) return numericTypeOfText(this.ctx, e, e.value, common, this.phase);
        if (common.kind === 'BOOLEAN') {
          if (parseExactBoolean(e.value.trim()) === undefined) {
            this.ctx.fail(e, exprMessages.invalidInputSyntax('BOOLEAN', e.value), this.phase);
          }
          return common;
        }
        break;
      default:
        break;
    }
    const strictness = isLiteral(e) ? 'lax' : 'strict';
    const result = canCoerce(type, common, strictness) ?? canCoerce(common, type, strictness);
    if (result === undefined) this.fail(e, common, type);
    return result;
  }

  /** The common element type of a nested constructor's elements and the list's element type so far. */
  private nested(
    e: Expression,
    common: SqlType,
    type: SqlType,
    element: SqlType,
    elements: readonly Expression[],
  ): SqlType {
    return this.wrapped(e, common, type, () => {
      let result: SqlType | null = element;
      for (const x of elements) result = this.next(x, this.ctx.node(x).type, result);
      return result ?? element;
    });
  }

  /** A nested constructor's mismatch is reported for the constructor as a whole, as ksqlDB does. */
  private wrapped<T>(e: Expression, common: SqlType, type: SqlType, resolve: () => T): T {
    try {
      return resolve();
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('operator does not exist'))
        this.fail(e, common, type);
      throw error;
    }
  }

  private fail(e: Expression, common: SqlType, type: SqlType): never {
    return this.ctx.fail(
      e,
      exprMessages.operatorDoesNotExist(formatType(common), formatType(type), expressionText(e)),
      this.phase,
    );
  }
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** The numeric type a STRING literal needs next to numbers of type `common`. */
function numericTypeOfText(
  ctx: CompileContext,
  e: Expression,
  text: string,
  common: SqlType,
  phase: ExpressionErrorPhase,
): SqlType {
  let value: Decimal;
  try {
    value = parseJavaBigDecimal(text.trim());
  } catch {
    return ctx.fail(e, exprMessages.invalidInputSyntax(common.kind, text), phase);
  }
  let source: SqlType;
  // Bounds are exclusive, as in ksqlDB: '2147483647' is a BIGINT.
  if (!/[.eE]/.test(text) && value.isInteger()) {
    const n = BigInt(value.toFixed(0));
    source =
      n > INT_MIN && n < INT_MAX
        ? SqlTypes.INTEGER
        : n > LONG_MIN && n < LONG_MAX
          ? SqlTypes.BIGINT
          : decimalOf(value);
  } else {
    source = decimalOf(value);
  }
  if (common.kind === 'DOUBLE') return common;
  if (source.kind === 'DECIMAL' || common.kind === 'DECIMAL') return widenDecimal(source, common);
  return canImplicitlyCast(source, common) ? common : source;
}

function decimalOf(value: Decimal): SqlType {
  const scale = Math.max(0, value.decimalPlaces());
  const digits = value.abs().toFixed(scale).replace('.', '').replace(/^0+/, '');
  const precision = Math.max(1, digits.length, scale);
  return { kind: 'DECIMAL', precision, scale } as SqlType;
}

type Strictness = 'strict' | 'lax';

const TO_STRING_WHEN_LAX: ReadonlySet<string> = new Set([
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DECIMAL',
  'DOUBLE',
  'TIMESTAMP',
  'TIME',
  'DATE',
]);
const FROM_STRING_WHEN_LAX: ReadonlySet<string> = new Set([
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DECIMAL',
  'DOUBLE',
]);
const FROM_STRING: ReadonlySet<string> = new Set(['TIMESTAMP', 'TIME', 'DATE', 'BYTES']);

/** The type holding both, converting `from` into `to`'s kind; undefined when not allowed. */
export function canCoerce(from: SqlType, to: SqlType, strictness: Strictness): SqlType | undefined {
  if (strictness === 'lax') {
    if (to.kind === 'STRING' && TO_STRING_WHEN_LAX.has(from.kind)) return to;
    if (from.kind === 'STRING' && FROM_STRING_WHEN_LAX.has(to.kind)) return to;
  }
  switch (from.kind) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
      if (to.kind === 'DECIMAL') return widenDecimal(from, to);
      if (to.kind === 'DOUBLE') return to;
      if (from.kind === 'INTEGER' && (to.kind === 'INTEGER' || to.kind === 'BIGINT')) return to;
      return from.kind === 'BIGINT' && to.kind === 'BIGINT' ? to : undefined;
    case 'STRING':
      return to.kind === 'STRING' || FROM_STRING.has(to.kind) ? to : undefined;
    case 'ARRAY': {
      if (to.kind !== 'ARRAY') return undefined;
      const element = canCoerce(from.element, to.element, strictness);
      return element && arrayType(element);
    }
    case 'MAP': {
      if (to.kind !== 'MAP') return undefined;
      const key = canCoerce(from.key, to.key, strictness);
      const value = canCoerce(from.value, to.value, strictness);
      return key && value && mapType(key, value);
    }
    case 'STRUCT': {
      if (to.kind !== 'STRUCT') return undefined;
      const names = [...new Set([...from.fields.map((f) => f.name), ...to.fields.map((f) => f.name)])];
      const fields: { name: string; type: SqlType }[] = [];
      for (const name of names) {
        const source = from.fields.find((f) => f.name === name)?.type;
        const target = to.fields.find((f) => f.name === name)?.type;
        const type =
          source === undefined || target === undefined
            ? (source ?? target)!
            : canCoerce(source, target, strictness);
        if (type === undefined) return undefined;
        fields.push({ name, type });
      }
      return structType(fields);
    }
    default:
      return from.kind === to.kind ? to : undefined;
  }
}

function convertTo(
  ctx: CompileContext,
  item: ListItem,
  type: SqlType,
  phase: ExpressionErrorPhase,
): TypedNode {
  const { expression, node } = item;
  if (node.type === null || typesEqual(node.type, type)) return node;
  if (isLiteral(expression) && node.constant !== undefined) {
    const value = coerceLiteral(node.constant.value, node.type, type);
    if (value === undefined) {
      const text = node.constant.value === null ? 'null' : String(node.constant.value);
      return ctx.fail(expression, exprMessages.invalidInputSyntax(type.kind, text), phase);
    }
    return constantNode(type, value);
  }
  const convert = castConverter(node.type, type);
  const evaluate = node.evaluate;
  return { type, evaluate: ctx.orNull((row) => convert(evaluate(row)), expression) };
}

/** A literal's value as `to` (ksqlDB's lax literal coercion); undefined when it does not convert. */
export function coerceLiteral(value: SqlValue, from: SqlType, to: SqlType): SqlValue | undefined {
  if (value === null) return null;
  try {
    if (to.kind === 'STRING') return literalText(value, from);
    if (from.kind === 'STRING') {
      const text = (value as string).trim();
      switch (to.kind) {
        case 'BOOLEAN':
          return parseExactBoolean(text);
        case 'INTEGER':
          return parseJavaInt(text);
        case 'BIGINT':
          return parseJavaLong(text);
        case 'DOUBLE':
          return parseJavaDouble(text);
        case 'DECIMAL':
          return fitDecimalExact(parseJavaBigDecimal(text), to);
        case 'TIMESTAMP':
          return parseTimestampText(text);
        case 'TIME':
          return parseTimeText(text);
        case 'DATE':
          return parseDateText(text);
        case 'BYTES':
          return new Uint8Array(Buffer.from(text, 'base64'));
        default:
          return undefined;
      }
    }
    switch (to.kind) {
      case 'BIGINT':
        return typeof value === 'bigint' ? value : BigInt(value as number);
      case 'DOUBLE':
        return isDecimal(value) ? value.toNumber() : Number(value);
      case 'DECIMAL':
        return fitDecimalExact(isDecimal(value) ? value : new Decimal(String(value)), to);
      default:
        return canImplicitlyCast(from, to) ? value : undefined;
    }
  } catch {
    return undefined;
  }
}

function literalText(value: SqlValue, from: SqlType): string {
  switch (from.kind) {
    case 'DOUBLE':
      return javaDoubleToString(value as number);
    case 'DECIMAL':
      return decimalToString(value as Decimal, from);
    case 'DATE':
      return formatDate(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    default:
      return String(value);
  }
}
