/**
 * Java's parsing and printing of values where ksqlDB's behaviour is Java's: `Integer.parseInt`,
 * `Long.parseLong`, `Double.parseDouble`, the narrowing casts `(int)` / `(long)` and
 * `Number.intValue()`, and the `toString()` that CAST(... AS STRING) uses for collections
 * (`[1, 2]`, `{k=v}`, `Struct{A=1,B=x}`).
 */
import type { SqlType } from '../catalog/types.js';
import { formatDate, formatTime, formatTimestamp, javaDoubleToString } from '../catalog/value-text.js';
import {
  Decimal,
  decimalToString,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  isDecimal,
  type SqlStruct,
  type SqlValue,
  ValueError,
} from '../catalog/values.js';
import { exprMessages } from './messages.js';

const JAVA_INTEGER = /^[+-]?\d+$/;

function numberFormatError(text: string): ValueError {
  return new ValueError(exprMessages.numberFormat(text));
}

/** `Integer.parseInt(text)`: optional sign and digits, within 32 bits. */
export function parseJavaInt(text: string): number {
  if (!JAVA_INTEGER.test(text)) throw numberFormatError(text);
  const value = Number(text);
  if (value < INT32_MIN || value > INT32_MAX) throw numberFormatError(text);
  return value;
}

/** `Long.parseLong(text)`: optional sign and digits, within 64 bits. */
export function parseJavaLong(text: string): bigint {
  if (!JAVA_INTEGER.test(text)) throw numberFormatError(text);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw numberFormatError(text);
  return value;
}

const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** `Double.parseDouble(text)`: Java's decimal forms (surrounding blanks ignored). */
export function parseJavaDouble(text: string): number {
  const trimmed = text.trim();
  const m = JAVA_DOUBLE.exec(trimmed);
  if (m === null) throw numberFormatError(text);
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/** A decimal number's text as `new BigDecimal(text)` reads it. */
export function parseJavaBigDecimal(text: string): Decimal {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw numberFormatError(text);
  return new Decimal(text);
}

/** Java's `(int) d`: truncation toward zero, saturating at the int range, NaN as 0. */
export function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= INT32_MAX) return INT32_MAX;
  if (d <= INT32_MIN) return INT32_MIN;
  return Math.trunc(d);
}

const TWO_POW_63 = 2 ** 63;

/** Java's `(long) d`: truncation toward zero, saturating at the long range, NaN as 0. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= TWO_POW_63) return INT64_MAX;
  if (d <= -TWO_POW_63) return INT64_MIN;
  return BigInt(Math.trunc(d));
}

/** `BigDecimal.longValue()`: the integral part, keeping its low 64 bits. */
export function decimalToLong(value: Decimal): bigint {
  return BigInt.asIntN(64, BigInt(value.toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0)));
}

/** `BigDecimal.intValue()`: the integral part, keeping its low 32 bits. */
export function decimalToInt(value: Decimal): number {
  return Number(BigInt.asIntN(32, decimalToLong(value)));
}

/** `Long.intValue()`: the low 32 bits. */
export function longToInt(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** `SqlBooleans.parseBoolean`: true for a non-empty prefix of 'true' or 'yes', any case; else false. */
export function parseLenientBoolean(text: string): boolean {
  return isPrefixOfAny(text, ['true', 'yes']);
}

/** `SqlBooleans.parseBooleanExact`: a prefix of 'true'/'yes' or of 'false'/'no'; else undefined. */
export function parseExactBoolean(text: string): boolean | undefined {
  if (isPrefixOfAny(text, ['true', 'yes'])) return true;
  if (isPrefixOfAny(text, ['false', 'no'])) return false;
  return undefined;
}

function isPrefixOfAny(text: string, words: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return lower.length > 0 && words.some((w) => w.startsWith(lower));
}

/**
 * The text Java's `toString()` gives a value of `type`, which ksqlDB's CAST to STRING uses
 * for every type: `1.0E7` for doubles, plain decimals, ISO dates, and for collections
 * `[a, b]`, `{k=v}` and `Struct{F=v}` (a struct leaves out its null fields).
 */
export function javaText(value: SqlValue, type: SqlType): string {
  if (value === null) return 'null';
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'STRING':
      return String(value);
    case 'DOUBLE':
      return javaDoubleToString(value as number);
    case 'DECIMAL':
      return isDecimal(value) ? decimalToString(value, type) : String(value);
    case 'DATE':
      return formatDate(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    case 'BYTES':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'ARRAY':
      return `[${(value as readonly SqlValue[]).map((v) => javaText(v, type.element)).join(', ')}]`;
    case 'MAP': {
      const entries: string[] = [];
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        entries.push(`${javaText(k, type.key)}=${javaText(v, type.value)}`);
      }
      return `{${entries.join(', ')}}`;
    }
    case 'STRUCT': {
      const struct = value as SqlStruct;
      const fields: string[] = [];
      for (const field of type.fields) {
        const v = struct[field.name] ?? null;
        if (v !== null) fields.push(`${field.name}=${javaText(v, field.type)}`);
      }
      return `Struct{${fields.join(',')}}`;
    }
  }
}
