/**
 * Runtime values: the one representation every operator, function, state store and format
 * shares. The SQL type of a value always comes from its column or expression type; values
 * carry no type tag of their own.
 *
 * | SQL type   | JS value                    | why                                                   |
 * |------------|-----------------------------|-------------------------------------------------------|
 * | (any) NULL | `null`                      | never `undefined`                                     |
 * | BOOLEAN    | `boolean`                   |                                                       |
 * | INTEGER    | `number` (int32)            | exact; fast                                           |
 * | BIGINT     | `bigint` (int64 range)      | exact past 2^53 (ksqlDB tests use Long.MAX_VALUE);    |
 * |            |                             | always bigint, never a number, so code has one case   |
 * | DOUBLE     | `number`                    | IEEE-754 like Java's double                           |
 * | DECIMAL    | `Decimal` (from this file)  | exact; rounded to the type's scale, which formats use |
 * |            |                             | to render it (`10.0000` for DECIMAL(6,4))             |
 * | STRING     | `string`                    | UTF-16, compared by code unit like Java               |
 * | BYTES      | `Uint8Array` (Buffers too)  |                                                       |
 * | DATE       | `number`: days since epoch  | ksqlDB's wire form; exact                             |
 * | TIME       | `number`: millis of the day | 0 .. 86_399_999                                       |
 * | TIMESTAMP  | `number`: epoch millis      | exact to year 287396, like Log timestamps             |
 * | ARRAY<T>   | `readonly SqlValue[]`       |                                                       |
 * | MAP<K, V>  | `ReadonlyMap<key, value>`   | insertion-ordered; look up with `mapGet`              |
 * |            |                             | (value-compare.ts), which matches DECIMAL, BYTES and  |
 * |            |                             | structured keys by value, not by identity             |
 * | STRUCT     | `SqlStruct`: a null-prototype object with every field of the type set (absent |
 * |            | fields are `null`); field order is the type's, not the object's               |
 *
 * Values are immutable by convention: operators build new ones instead of mutating.
 * Companions: value-compare.ts (equality, order, state keys), value-coerce.ts (implicit
 * widening), value-json.ts (JSON trees and text), value-text.ts (Java and ISO texts of
 * doubles and times). CAST itself is the expression compiler's (engine/expr/cast.ts).
 */

import decimalModule from 'decimal.js';
import { catalogMessages } from './messages.js';
import type { DecimalType, SqlType } from './types.js';
import { formatType } from './types.js';

// decimal.js ships CommonJS typings for an ES module whose default export is the class.
const DecimalJs = decimalModule as unknown as typeof decimalModule.Decimal;

/**
 * decimal.js configured for SQL decimals: enough significant digits for any DECIMAL ksqlDB
 * can declare, HALF_UP rounding like Java's BigDecimal casts, and never exponent notation.
 */
export const Decimal = DecimalJs.clone({
  precision: 1000,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Decimal = decimalModule.Decimal;

export type SqlStruct = { readonly [field: string]: SqlValue };

export type SqlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Uint8Array
  | readonly SqlValue[]
  | ReadonlyMap<SqlValue, SqlValue>
  | SqlStruct;

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const MILLIS_PER_DAY = 86_400_000;

/** A value that does not fit its SQL type: overflow, rounding, wrong representation. */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

export function isDecimal(value: unknown): value is Decimal {
  return DecimalJs.isDecimal(value);
}

export function isSqlStruct(value: unknown): value is SqlStruct {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof Uint8Array) &&
    !isDecimal(value)
  );
}

/** Builds a STRUCT value with exactly the type's fields, in its order; missing ones are null. */
export function makeStruct(
  type: Extract<SqlType, { kind: 'STRUCT' }>,
  fields: Readonly<Record<string, SqlValue>>,
): SqlStruct {
  const struct: Record<string, SqlValue> = Object.create(null);
  for (const field of type.fields) {
    struct[field.name] = Object.hasOwn(fields, field.name) ? (fields[field.name] ?? null) : null;
  }
  return struct;
}

// ---------------------------------------------------------------------------------------------
// DECIMAL

function decimalOverflow(value: Decimal, type: DecimalType): ValueError {
  return new ValueError(catalogMessages.numericFieldOverflow(type.precision, type.scale, value.toFixed()));
}

const decimalLimits: Decimal[] = [];

/** 10^digits, the first value a DECIMAL with that many integer digits cannot hold. */
function decimalLimit(integerDigits: number): Decimal {
  let limit = decimalLimits[integerDigits];
  if (limit === undefined) {
    limit = new Decimal(10).pow(integerDigits);
    decimalLimits[integerDigits] = limit;
  }
  return limit;
}

function checkDecimalRange(value: Decimal, type: DecimalType): void {
  if (value.abs().gte(decimalLimit(type.precision - type.scale))) throw decimalOverflow(value, type);
}

/** Digits and scale of a decimal as written in `text` (Java BigDecimal precision/scale). */
function textPrecisionScale(value: Decimal): { precision: number; scale: number } {
  const scale = Math.max(0, value.decimalPlaces());
  const digits = value.abs().toFixed(scale).replace('.', '').replace(/^0+/, '');
  return { precision: Math.max(1, digits.length), scale };
}

/**
 * The value as a DECIMAL of `type`, which must not need rounding (ksqlDB's rule when reading
 * data: a JSON 1.005 into DECIMAL(4, 2) is an error, not 1.01).
 */
export function fitDecimalExact(value: Decimal, type: DecimalType): Decimal {
  checkDecimalRange(value, type);
  if (value.decimalPlaces() <= type.scale) return value;
  const fitted = value.toDecimalPlaces(type.scale, Decimal.ROUND_DOWN);
  if (!fitted.eq(value)) {
    const { precision, scale } = textPrecisionScale(value);
    throw new ValueError(
      catalogMessages.decimalNeedsRounding(
        value.toFixed(),
        type.precision,
        type.scale,
        `${precision},${scale}`,
      ),
    );
  }
  return fitted;
}

/** The value rounded HALF_UP to the type's scale (CAST and arithmetic results). */
export function fitDecimalRounded(value: Decimal, type: DecimalType): Decimal {
  checkDecimalRange(value, type);
  const rounded = value.toDecimalPlaces(type.scale, Decimal.ROUND_HALF_UP);
  checkDecimalRange(rounded, type);
  return rounded;
}

/**
 * The exact value of a double as a decimal (every finite double has a finite expansion), the
 * way Java's `new BigDecimal(double)` sees it: 0.1 is 0.1000000000000000055511151231257827...
 * CAST(DOUBLE AS DECIMAL) rounds this to the precision first, then to the scale, so the
 * double 0.15 (just below 0.15) becomes DECIMAL(2, 1) 0.2, as in ksqlDB.
 */
export function exactDecimalOfDouble(d: number): Decimal {
  if (!Number.isFinite(d)) throw new ValueError(catalogMessages.notFinite(String(d)));
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  let text: string;
  if (exponent >= 0) text = (mantissa << BigInt(exponent)).toString();
  else {
    // mantissa * 2^e = mantissa * 5^-e / 10^-e: the digits of the product, -e of them fractional.
    const digits = (mantissa * 5n ** BigInt(-exponent)).toString().padStart(-exponent + 1, '0');
    text = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
  }
  return new Decimal(negative ? `-${text}` : text);
}

/** The plain text of a DECIMAL at its type's scale, as ksqlDB writes it: `10.0000`, never `1E+1`. */
export function decimalToString(value: Decimal, type: DecimalType): string {
  return value.toFixed(type.scale);
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Why `value` is not a valid runtime value of `type`, or undefined when it is. */
export function invalidValueReason(type: SqlType, value: SqlValue): string | undefined {
  if (value === null) return undefined;
  const expected = `expected ${formatType(type)}`;
  switch (type.kind) {
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : expected;
    case 'INTEGER':
      return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX
        ? undefined
        : `${expected} (an int32 number)`;
    case 'BIGINT':
      return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX
        ? undefined
        : `${expected} (an int64 bigint)`;
    case 'DOUBLE':
      return typeof value === 'number' ? undefined : expected;
    case 'DECIMAL':
      if (!isDecimal(value)) return expected;
      if (value.decimalPlaces() > type.scale) return `${expected}: scale of ${value.toFixed()} too large`;
      return value.abs().gte(decimalLimit(type.precision - type.scale))
        ? `${expected}: ${value.toFixed()} overflows`
        : undefined;
    case 'STRING':
      return typeof value === 'string' ? undefined : expected;
    case 'BYTES':
      return value instanceof Uint8Array ? undefined : expected;
    case 'DATE':
      return Number.isInteger(value) ? undefined : `${expected} (whole days since epoch)`;
    case 'TIME':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) < MILLIS_PER_DAY
        ? undefined
        : `${expected} (millis of the day)`;
    case 'TIMESTAMP':
      return Number.isSafeInteger(value) ? undefined : `${expected} (epoch millis)`;
    case 'ARRAY': {
      if (!Array.isArray(value)) return expected;
      for (const element of value as readonly SqlValue[]) {
        const reason = invalidValueReason(type.element, element);
        if (reason !== undefined) return reason;
      }
      return undefined;
    }
    case 'MAP': {
      if (!(value instanceof Map)) return expected;
      for (const [k, v] of value) {
        const reason = invalidValueReason(type.key, k) ?? invalidValueReason(type.value, v);
        if (reason !== undefined) return reason;
      }
      return undefined;
    }
    case 'STRUCT': {
      if (!isSqlStruct(value)) return expected;
      const names = Object.keys(value);
      if (names.length !== type.fields.length || type.fields.some((f) => !Object.hasOwn(value, f.name))) {
        return `${expected}: fields ${names.join(', ')}`;
      }
      for (const field of type.fields) {
        const reason = invalidValueReason(field.type, value[field.name] ?? null);
        if (reason !== undefined) return reason;
      }
      return undefined;
    }
  }
}

export function assertValue(type: SqlType, value: SqlValue): void {
  const reason = invalidValueReason(type, value);
  if (reason !== undefined) throw new ValueError(reason);
}
