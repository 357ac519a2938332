/**
 * Equality, ordering and stable keys over runtime values (see values.ts). These are the
 * "same group / same key" semantics used by GROUP BY, DISTINCT-like functions, joins and state
 * keys, where NULL equals NULL and NaN equals NaN (as Java's boxed equals does). SQL's
 * three-valued `=` is the expression compiler's business, built on `compareValues`.
 */
import { Decimal, isDecimal, isSqlStruct, type SqlStruct, type SqlValue } from './values.js';

export function valuesEqual(a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (isDecimal(a)) return isDecimal(b) && a.eq(b);
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a)) {
    const other = b as readonly SqlValue[];
    return (
      Array.isArray(other) && a.length === other.length && a.every((v, i) => valuesEqual(v, other[i] ?? null))
    );
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const other = mapGet(b, k);
      if (other === undefined || !valuesEqual(v, other)) return false;
    }
    return true;
  }
  if (isSqlStruct(a) && isSqlStruct(b)) {
    const names = Object.keys(a);
    return (
      names.length === Object.keys(b).length &&
      names.every((n) => Object.hasOwn(b, n) && valuesEqual(a[n] ?? null, b[n] ?? null))
    );
  }
  return false;
}

/** Looks a key up by value equality, so DECIMAL, BYTES and structured keys are found too. */
export function mapGet(map: ReadonlyMap<SqlValue, SqlValue>, key: SqlValue): SqlValue | undefined {
  const direct = map.get(key);
  if (direct !== undefined || key === null || typeof key !== 'object') return direct;
  for (const [k, v] of map) {
    if (valuesEqual(k, key)) return v;
  }
  return undefined;
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Java's Double.compare: NaN above +Infinity, -0.0 below 0.0. */
function compareDoubles(a: number, b: number): -1 | 0 | 1 {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a === 0 ? sign((Object.is(a, -0) ? -1 : 0) - (Object.is(b, -0) ? -1 : 0)) : 0;
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** Signed byte order, as Java's ByteBuffer.compareTo (ksqlDB's BYTES comparison). */
function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = ((a[i] ?? 0) << 24) >> 24;
    const y = ((b[i] ?? 0) << 24) >> 24;
    if (x !== y) return x < y ? -1 : 1;
  }
  return sign(a.length - b.length);
}

function compareStrings(a: string, b: string): -1 | 0 | 1 {
  // UTF-16 code-unit order, as Java's String.compareTo.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A total order over values of one SQL type, with NULL first. Numbers of different
 * representations (number, bigint, Decimal) compare by numeric value. Arrays and structs
 * compare element by element; maps by their stable keys (only so that sorting is
 * deterministic: SQL does not order maps).
 */
export function compareValues(a: SqlValue, b: SqlValue): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return compareDoubles(a, b);
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (isNumberLike(a) && isNumberLike(b)) return compareMixedNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = a as readonly SqlValue[];
    const right = b as readonly SqlValue[];
    const n = Math.min(left.length, right.length);
    for (let i = 0; i < n; i++) {
      const c = compareValues(left[i] ?? null, right[i] ?? null);
      if (c !== 0) return c;
    }
    return sign(left.length - right.length);
  }
  if (isSqlStruct(a) && isSqlStruct(b)) {
    for (const name of Object.keys(a)) {
      const c = compareValues(a[name] ?? null, (b as SqlStruct)[name] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  }
  return compareStrings(valueKey(a), valueKey(b));
}

type NumberLike = number | bigint | Decimal;

function isNumberLike(v: SqlValue): v is NumberLike {
  return typeof v === 'number' || typeof v === 'bigint' || isDecimal(v);
}

function decimalOf(v: NumberLike): Decimal {
  return isDecimal(v) ? v : new Decimal(String(v));
}

function compareMixedNumbers(a: NumberLike, b: NumberLike): -1 | 0 | 1 {
  // Infinities and NaN have no decimal form; compare them as doubles.
  if (typeof a === 'number' && !Number.isFinite(a)) return compareDoubles(a, Number(String(b)));
  if (typeof b === 'number' && !Number.isFinite(b)) return compareDoubles(Number(String(a)), b);
  return sign(decimalOf(a).cmp(decimalOf(b)));
}

/**
 * A stable string for a value, equal exactly when `valuesEqual` holds for values of the same
 * SQL type: the state-store and hash-map key of GROUP BY, join and table keys. Map entries
 * are sorted, so insertion order does not matter.
 */
export function valueKey(value: SqlValue): string {
  if (value === null) return 'n';
  switch (typeof value) {
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return Object.is(value, -0) ? 'd0' : `d${value}`;
    case 'bigint':
      return `i${value}`;
    case 'string':
      return JSON.stringify(value);
  }
  if (isDecimal(value)) return `m${value.toFixed()}`;
  if (value instanceof Uint8Array)
    return `x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
  if (Array.isArray(value)) return `[${(value as readonly SqlValue[]).map(valueKey).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${valueKey(k)}:${valueKey(v)}`).sort();
    return `{${entries.join(',')}}`;
  }
  const struct = value as SqlStruct;
  return `(${Object.keys(struct)
    .map((name) => `${JSON.stringify(name)}:${valueKey(struct[name] ?? null)}`)
    .join(',')})`;
}

/** The stable key of a row of key columns. */
export function rowKey(values: readonly SqlValue[]): string {
  return values.map(valueKey).join('|');
}
