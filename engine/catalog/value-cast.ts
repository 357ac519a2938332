/**
 * CAST(x AS type) on runtime values, with the results ksqlDB (Java) gives: integer casts
 * truncate and wrap like Java's narrowing conversions (a BIGINT 2147483648 becomes INTEGER
 * -2147483648), a DOUBLE becomes a DECIMAL through its exact binary value, and collections
 * and structs print as Java's `List`, `Map` and Connect's `Struct` do. `canCast` in
 * type-rules.ts says which casts type-check; a value that cannot be converted throws
 * ValueError, which the runtime turns into NULL and a processing-log entry.
 */
import { canCast, castNotSupportedMessage } from './type-rules.js';
import type { DecimalType, SqlType } from './types.js';
import {
  epochDay,
  formatDate,
  formatTime,
  formatTimestamp,
  javaDoubleToString,
  millisOfDay,
  parseDateText,
  parseTimestampText,
  parseTimeText,
} from './value-text.js';
import {
  Decimal,
  decimalToString,
  fitDecimalRounded,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  isDecimal,
  MILLIS_PER_DAY,
  type SqlStruct,
  type SqlValue,
  ValueError,
} from './values.js';

/** `value` (of type `from`) cast to `to`. Throws ValueError when the value does not convert. */
export function castValue(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (value === null) return null;
  if (!canCast(from, to)) throw new ValueError(castNotSupportedMessage(from, to));
  switch (to.kind) {
    case 'STRING':
      return castToString(value, from);
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : (value as string).toLowerCase() === 'true';
    case 'INTEGER':
      return Number(BigInt.asIntN(32, toWholeNumber(value, from, INT32_MIN, INT32_MAX)));
    case 'BIGINT':
      return BigInt.asIntN(64, toWholeNumber(value, from, Number(INT64_MIN), Number(INT64_MAX)));
    case 'DOUBLE':
      return toDouble(value, from);
    case 'DECIMAL':
      return toDecimal(value, from, to);
    case 'DATE':
      if (from.kind === 'STRING') return parseDateText(value as string);
      return from.kind === 'TIMESTAMP' ? epochDay(value as number) : value;
    case 'TIME':
      if (from.kind === 'STRING') return parseTimeText(value as string);
      return from.kind === 'TIMESTAMP' ? millisOfDay(value as number) : value;
    case 'TIMESTAMP':
      if (from.kind === 'STRING') return parseTimestampText(value as string);
      return from.kind === 'DATE' ? (value as number) * MILLIS_PER_DAY : value;
    case 'BYTES':
      return value;
    case 'ARRAY': {
      const element = (from as Extract<SqlType, { kind: 'ARRAY' }>).element;
      return (value as readonly SqlValue[]).map((v) => castValue(v, element, to.element));
    }
    case 'MAP': {
      const source = from as Extract<SqlType, { kind: 'MAP' }>;
      const map = new Map<SqlValue, SqlValue>();
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        map.set(castValue(k, source.key, to.key), castValue(v, source.value, to.value));
      }
      return map;
    }
    case 'STRUCT': {
      const source = from as Extract<SqlType, { kind: 'STRUCT' }>;
      const struct = value as SqlStruct;
      const result: Record<string, SqlValue> = Object.create(null);
      for (const field of to.fields) {
        const sourceField = source.fields.find((f) => f.name === field.name);
        result[field.name] =
          sourceField === undefined
            ? null
            : castValue(struct[field.name] ?? null, sourceField.type, field.type);
      }
      return result;
    }
  }
}

const JAVA_INTEGER = /^[+-]?\d+$/;
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/**
 * The whole number Java's narrowing conversions give, before wrapping to the target width:
 * DECIMAL truncates (then wraps), DOUBLE truncates and saturates (NaN is 0), and a STRING
 * must be a decimal integer within the target's range (Integer.parseInt / Long.parseLong).
 */
function toWholeNumber(value: SqlValue, from: SqlType, min: number, max: number): bigint {
  switch (from.kind) {
    case 'INTEGER':
      return BigInt(value as number);
    case 'BIGINT':
      return value as bigint;
    case 'DECIMAL':
      return BigInt((value as Decimal).trunc().toFixed(0));
    case 'DOUBLE': {
      const d = value as number;
      if (Number.isNaN(d)) return 0n;
      if (d <= min) return BigInt(min);
      if (d >= max) return max === Number(INT64_MAX) ? INT64_MAX : BigInt(max);
      return BigInt(Math.trunc(d));
    }
    case 'STRING': {
      const text = (value as string).trim();
      const n = JAVA_INTEGER.test(text) ? BigInt(text) : undefined;
      const [lo, hi] = max === INT32_MAX ? [BigInt(INT32_MIN), BigInt(INT32_MAX)] : [INT64_MIN, INT64_MAX];
      if (n === undefined || n < lo || n > hi) throw new ValueError(`For input string: "${value as string}"`);
      return n;
    }
    default:
      throw new ValueError(`Cannot convert ${from.kind} to a whole number`);
  }
}

function toDouble(value: SqlValue, from: SqlType): number {
  switch (from.kind) {
    case 'DECIMAL':
      return (value as Decimal).toNumber();
    case 'STRING': {
      const text = (value as string).trim();
      if (!JAVA_DOUBLE.test(text)) throw new ValueError(`For input string: "${value as string}"`);
      return Number(text.replace(/[fFdD]$/, ''));
    }
    default:
      return Number(value);
  }
}

/** The exact decimal value of a double (every finite double has a finite decimal expansion). */
export function exactDecimalOfDouble(d: number): Decimal {
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
    const digits = (mantissa * 5n ** BigInt(-exponent)).toString().padStart(-exponent + 1, '0');
    text = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
  }
  return new Decimal(negative ? `-${text}` : text);
}

function toDecimal(value: SqlValue, from: SqlType, to: DecimalType): Decimal {
  let decimal: Decimal;
  switch (from.kind) {
    case 'DOUBLE': {
      const d = value as number;
      if (!Number.isFinite(d))
        throw new ValueError(`Cannot cast ${javaDoubleToString(d)} to ${decimalText(to)}`);
      // Java: new BigDecimal(d, new MathContext(precision)), HALF_UP, then the scale.
      decimal = exactDecimalOfDouble(d).toSignificantDigits(to.precision, Decimal.ROUND_HALF_UP);
      break;
    }
    case 'STRING': {
      const text = (value as string).trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
        throw new ValueError(`Cannot cast '${value as string}' to ${decimalText(to)}`);
      }
      decimal = new Decimal(text);
      break;
    }
    default:
      decimal = isDecimal(value) ? value : new Decimal(String(value));
  }
  return fitDecimalRounded(decimal, to);
}

function decimalText(type: DecimalType): string {
  return `DECIMAL(${type.precision}, ${type.scale})`;
}

/** CAST(x AS STRING): Java's text of the value, ksqlDB's ISO forms for the time types. */
function castToString(value: SqlValue, from: SqlType): string {
  switch (from.kind) {
    case 'DECIMAL':
      return decimalToString(value as Decimal, from);
    case 'DATE':
      return formatDate(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    default:
      return javaObjectText(value, from);
  }
}

/**
 * Java's `toString` of the value as ksqlDB holds it: what CAST prints for collections and
 * structs, and so for the elements inside them (`[1, 2]`, `{k=v}`, `Struct{A=1,B=x}` with
 * null fields left out, BigDecimal's own notation, java.sql date/time texts).
 */
export function javaObjectText(value: SqlValue, type: SqlType): string {
  if (value === null) return 'null';
  switch (type.kind) {
    case 'DOUBLE':
      return javaDoubleToString(value as number);
    case 'DECIMAL':
      return javaBigDecimalText(value as Decimal, type.scale);
    case 'BYTES': {
      const n = (value as Uint8Array).length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
    }
    case 'DATE':
      return formatDate(value as number);
    case 'TIME':
      return formatJavaSqlTime(value as number);
    case 'TIMESTAMP':
      return formatJavaSqlTimestamp(value as number);
    case 'ARRAY':
      return `[${(value as readonly SqlValue[]).map((v) => javaObjectText(v, type.element)).join(', ')}]`;
    case 'MAP': {
      const entries = [...(value as ReadonlyMap<SqlValue, SqlValue>)].map(
        ([k, v]) => `${javaObjectText(k, type.key)}=${javaObjectText(v, type.value)}`,
      );
      return `{${entries.join(', ')}}`;
    }
    case 'STRUCT': {
      const struct = value as SqlStruct;
      const parts = type.fields
        .filter((f) => (struct[f.name] ?? null) !== null)
        .map((f) => `${f.name}=${javaObjectText(struct[f.name] ?? null, f.type)}`);
      return `Struct{${parts.join(',')}}`;
    }
    default:
      return String(value);
  }
}

/** Java's BigDecimal.toString: plain unless the adjusted exponent is below -6 (`0E-16`, `1.2E-7`). */
export function javaBigDecimalText(value: Decimal, scale: number): string {
  const plain = value.toFixed(scale);
  const negative = plain.startsWith('-');
  const unscaled = plain
    .replace('-', '')
    .replace('.', '')
    .replace(/^0+(?=\d)/, '');
  const adjusted = -scale + (unscaled.length - 1);
  if (adjusted >= -6) return plain;
  const mantissa = unscaled.length > 1 ? `${unscaled[0]}.${unscaled.slice(1)}` : unscaled;
  return `${negative ? '-' : ''}${mantissa}E${adjusted}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** java.sql.Time#toString: `HH:mm:ss`. */
function formatJavaSqlTime(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

/** java.sql.Timestamp#toString in UTC: `yyyy-MM-dd HH:mm:ss.f`, fraction without trailing zeros. */
function formatJavaSqlTimestamp(millis: number): string {
  const iso = formatTimestamp(millis);
  const fraction = iso.slice(20).replace(/0+$/, '') || '0';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}
