import { parse } from 'lossless-json';
import { ExactDecimal } from './exact-decimal.js';

/**
 * A value as the engine produced it, decoded the way upstream's harness decodes it before
 * comparing (its Java types in brackets). The kinds must stay apart, because the rules of
 * `compare.ts` depend on them:
 *
 * - `bigint`: INT and BIGINT (Integer, Long)
 * - `number`: DOUBLE (Double) — never an integer column
 * - `ExactDecimal`: DECIMAL, and every fractional JSON number under exact comparison (BigDecimal)
 * - `Uint8Array` (Buffer is one): BYTES (byte[] / ByteBuffer)
 * - `string`, `boolean`, `null`
 * - arrays: ARRAY (List)
 * - plain objects: STRUCT and MAP (Struct, Map), by field name
 */
export type ActualValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | ExactDecimal
  | Uint8Array
  | readonly ActualValue[]
  | ActualFields;

export interface ActualFields {
  readonly [field: string]: ActualValue;
}

export function isActualFields(value: ActualValue | undefined): value is ActualFields {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof ExactDecimal) &&
    !(value instanceof Uint8Array)
  );
}

export interface ActualHeader {
  key: string;
  value: Uint8Array | null;
}

export interface ActualWindow {
  start: number;
  end: number;
  type: 'time' | 'session';
}

/** One record read back from a topic, decoded with the formats of the source that owns the topic. */
export interface ActualRecord {
  key: ActualValue;
  value: ActualValue;
  timestamp: number;
  headers: readonly ActualHeader[];
  /** Present exactly when the key is windowed; `key` is then the inner key. */
  window?: ActualWindow;
}

/**
 * Decodes JSON-format bytes or text as upstream's harness does for comparison: integers
 * become int/long (`bigint`), numbers with a point or exponent become exact decimals keeping
 * their written scale, or doubles when exact comparison is off.
 */
export function decodeJsonForComparison(
  json: string | Uint8Array,
  { exactNumericComparison = true }: { exactNumericComparison?: boolean } = {},
): ActualValue {
  const text = typeof json === 'string' ? json : Buffer.from(json).toString('utf8');
  return parse(text, null, (literal) => {
    if (/^-?\d+$/.test(literal)) return BigInt(literal);
    return exactNumericComparison ? ExactDecimal.parse(literal) : Number(literal);
  }) as ActualValue;
}

/**
 * Java's `Double.toString`, which ksqlDB uses for DOUBLE text (KAFKA-format doubles are read
 * back as `new BigDecimal(Double.toString(x))`, DELIMITED writes it): the shortest digits
 * that round-trip, always with a fraction, in scientific notation outside [1e-3, 1e7).
 */
export function javaDoubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${Number(exponent)}`;
}

/** A KAFKA-format DOUBLE as upstream's harness reads it back: an exact decimal of its Java text. */
export function doubleAsExactDecimal(value: number): ExactDecimal {
  const decimal = ExactDecimal.parse(javaDoubleText(value));
  if (!decimal) throw new RangeError(`${value} has no decimal form`);
  return decimal;
}
