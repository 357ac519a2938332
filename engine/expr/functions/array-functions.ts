/**
 * ksqlDB's array functions. Element equality is value equality (`valuesEqual`), so arrays of
 * maps, structs, decimals and bytes de-duplicate and compare as ksqlDB's Java `equals` does;
 * ordering is `compareValues` with nulls placed last.
 */
import { formatType, type SqlType, SqlTypes } from '../../catalog/types.js';
import { compareValues, valueKey, valuesEqual } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import {
  type FunctionDefinition,
  type ScalarImplementation,
  scalar,
  sig,
  sigFor,
  strict,
} from './function-definition.js';
import { valueText } from './value-text-of.js';

const ARRAY = 'ARRAY';
type List = readonly SqlValue[];

function distinct(values: List): SqlValue[] {
  const seen = new Set<string>();
  const out: SqlValue[] = [];
  for (const value of values) {
    const key = valueKey(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

function keysOf(values: List): Set<string> {
  return new Set(values.map(valueKey));
}

function extreme(values: List, sign: 1 | -1): SqlValue {
  let best: SqlValue = null;
  for (const value of values) {
    if (value === null) continue;
    if (best === null || compareValues(value, best) * sign > 0) best = value;
  }
  return best;
}

function sortArray(values: List, descending: boolean): SqlValue[] {
  const present = values.filter((v) => v !== null);
  const nulls = values.length - present.length;
  present.sort((a, b) => (descending ? compareValues(b, a) : compareValues(a, b)));
  return [...present, ...new Array<SqlValue>(nulls).fill(null)];
}

/** ksqlDB's SLICE: 1-based inclusive bounds (null means the array's end); out of range is null. */
function slice(values: List, from: SqlValue, to: SqlValue): SqlValue {
  const start = from === null ? 0 : (from as number) - 1;
  const end = to === null ? values.length : (to as number);
  if (start < 0 || end > values.length || start > end) return null;
  return values.slice(start, end);
}

function series(start: bigint, end: bigint, step: bigint): bigint[] {
  if (step === 0n) throw new Error('GENERATE_SERIES step cannot be zero');
  if ((end > start && step < 0n) || (end < start && step > 0n)) {
    throw new Error('GENERATE_SERIES step has wrong sign');
  }
  const out: bigint[] = [];
  const count = (end - start) / step + 1n;
  if (count > 10_000_000n) throw new Error('GENERATE_SERIES would produce too many values');
  for (let v = start; step > 0n ? v <= end : v >= end; v += step) out.push(v);
  return out;
}

const JOINABLE = new Set(['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING']);

/** ARRAY_JOIN joins primitive elements only, as ksqlDB's does; a null element is `null`. */
function joiner(arrayArg: SqlType | null, fixedDelimiter?: string): ScalarImplementation {
  const element = arrayArg?.kind === 'ARRAY' ? arrayArg.element : SqlTypes.STRING;
  const joinable = JOINABLE.has(element.kind);
  return ([a, d]) => {
    if (a === null || a === undefined) return null;
    const values = a as List;
    if (!joinable && values.some((v) => v !== null)) {
      throw new Error(`ARRAY_JOIN does not support elements of type ${formatType(element)}`);
    }
    const delimiter = fixedDelimiter ?? ((d ?? null) === null ? '' : (d as string));
    return values.map((v) => valueText(element, v)).join(delimiter);
  };
}

export const arrayFunctions: readonly FunctionDefinition[] = [
  scalar('ARRAY_CONTAINS', ARRAY, 'Whether the array contains the value.', [
    sig('ARRAY<T> array, T value', 'BOOLEAN', ([a, v]) =>
      a === null ? false : (a as List).some((e) => valuesEqual(e, (v ?? null) as SqlValue)),
    ),
  ]),
  scalar('ARRAY_DISTINCT', ARRAY, 'The distinct elements, in order of first appearance.', [
    sig(
      'ARRAY<T> array',
      'ARRAY<T>',
      strict(([a]) => distinct(a as List)),
    ),
  ]),
  scalar('ARRAY_EXCEPT', ARRAY, 'The distinct elements of the left array that are not in the right one.', [
    sig(
      'ARRAY<T> left, ARRAY<T> right',
      'ARRAY<T>',
      strict(([l, r]) => {
        const exclude = keysOf(r as List);
        return distinct(l as List).filter((v) => !exclude.has(valueKey(v)));
      }),
    ),
  ]),
  scalar('ARRAY_INTERSECT', ARRAY, 'The distinct elements that are in both arrays.', [
    sig(
      'ARRAY<T> left, ARRAY<T> right',
      'ARRAY<T>',
      strict(([l, r]) => {
        const keep = keysOf(r as List);
        return distinct(l as List).filter((v) => keep.has(valueKey(v)));
      }),
    ),
  ]),
  scalar('ARRAY_UNION', ARRAY, 'The distinct elements of both arrays.', [
    sig(
      'ARRAY<T> left, ARRAY<T> right',
      'ARRAY<T>',
      strict(([l, r]) => distinct([...(l as List), ...(r as List)])),
    ),
  ]),
  scalar(
    'ARRAY_CONCAT',
    ARRAY,
    'The elements of both arrays, duplicates kept; a null array counts as empty.',
    [
      sig('ARRAY<T> left, ARRAY<T> right', 'ARRAY<T>', ([l, r]) => {
        if (l === null && r === null) return null;
        return [...((l as List | null) ?? []), ...((r as List | null) ?? [])];
      }),
    ],
  ),
  scalar('ARRAY_JOIN', ARRAY, 'The elements as text joined by a delimiter (a comma by default).', [
    sigFor('ARRAY<T> array', 'STRING', (call) => joiner(call.argTypes[0] ?? null, ',')),
    sigFor('ARRAY<T> array, STRING delimiter', 'STRING', (call) => joiner(call.argTypes[0] ?? null)),
  ]),
  scalar('ARRAY_LENGTH', ARRAY, 'The number of elements.', [
    sig(
      'ARRAY<T> array',
      'INT',
      strict(([a]) => (a as List).length),
    ),
  ]),
  scalar('ARRAY_MAX', ARRAY, 'The largest non-null element.', [
    sig(
      'ARRAY<T> array',
      'T',
      strict(([a]) => extreme(a as List, 1)),
    ),
  ]),
  scalar('ARRAY_MIN', ARRAY, 'The smallest non-null element.', [
    sig(
      'ARRAY<T> array',
      'T',
      strict(([a]) => extreme(a as List, -1)),
    ),
  ]),
  scalar('ARRAY_REMOVE', ARRAY, 'The array without the elements equal to the value.', [
    sig('ARRAY<T> array, T victim', 'ARRAY<T>', ([a, v]) =>
      a === null ? null : (a as List).filter((e) => !valuesEqual(e, (v ?? null) as SqlValue)),
    ),
  ]),
  scalar('ARRAY_SORT', ARRAY, "Sorts the array, nulls last, 'ASC' (default) or 'DESC'.", [
    sig(
      'ARRAY<T> array',
      'ARRAY<T>',
      strict(([a]) => sortArray(a as List, false)),
    ),
    sig(
      'ARRAY<T> array, STRING direction',
      'ARRAY<T>',
      strict(([a, d]) => {
        const direction = (d as string).toUpperCase();
        if (direction !== 'ASC' && direction !== 'DESC') return null;
        return sortArray(a as List, direction === 'DESC');
      }),
    ),
  ]),
  scalar('SLICE', ARRAY, 'The elements from one 1-based position to another, inclusive.', [
    sig('ARRAY<T> array, INT from, INT to', 'ARRAY<T>', ([a, f, t]) =>
      a === null ? null : slice(a as List, (f ?? null) as SqlValue, (t ?? null) as SqlValue),
    ),
  ]),
  scalar('GENERATE_SERIES', ARRAY, 'The integers from start to end inclusive, by step.', [
    sig(
      'INT start, INT end',
      'ARRAY<INT>',
      strict(([s, e]) =>
        series(BigInt(s as number), BigInt(e as number), (e as number) >= (s as number) ? 1n : -1n).map(
          Number,
        ),
      ),
    ),
    sig(
      'INT start, INT end, INT step',
      'ARRAY<INT>',
      strict(([s, e, st]) =>
        series(BigInt(s as number), BigInt(e as number), BigInt(st as number)).map(Number),
      ),
    ),
    sig(
      'BIGINT start, BIGINT end',
      'ARRAY<BIGINT>',
      strict(([s, e]) => series(s as bigint, e as bigint, (e as bigint) >= (s as bigint) ? 1n : -1n)),
    ),
    sig(
      'BIGINT start, BIGINT end, INT step',
      'ARRAY<BIGINT>',
      strict(([s, e, st]) => series(s as bigint, e as bigint, BigInt(st as number))),
    ),
  ]),
];
