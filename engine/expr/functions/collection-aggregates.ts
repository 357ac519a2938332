/** ksqlDB's COLLECT_LIST, COLLECT_SET, HISTOGRAM and COUNT_DISTINCT. */
import { arrayType, mapType, SqlTypes } from '../../catalog/types.js';
import { valueKey, valuesEqual } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import {
  type AggregateCallInfo,
  type AggregateDefinition,
  aggregate,
  aggSig,
  list,
  parameterType,
} from './aggregate-definition.js';
import type { AggregateImplementation } from './aggregate-types.js';

const { STRING, BIGINT } = SqlTypes;

/** HISTOGRAM stops adding new distinct values past this many, as in ksqlDB. */
const HISTOGRAM_LIMIT = 1000;

/**
 * `ksql.functions.collect_list.limit` or `...collect_set.limit`: how many values to keep.
 * Unset or negative means no limit, as in ksqlDB.
 */
function limitOf(call: AggregateCallInfo, property: string): number {
  const configured = call.options.properties?.[property];
  const limit = typeof configured === 'string' ? Number.parseInt(configured, 10) : configured;
  return typeof limit === 'number' && Number.isFinite(limit) && limit >= 0
    ? Math.trunc(limit)
    : Number.POSITIVE_INFINITY;
}

/** COLLECT_LIST keeps every value in arrival order, nulls included, up to the limit. */
function collectList(call: AggregateCallInfo): AggregateImplementation {
  const limit = limitOf(call, 'ksql.functions.collect_list.limit');
  return {
    intermediateType: arrayType(parameterType(call, 0)),
    initialize: () => [],
    aggregate: (acc, [v]) => {
      const values = list(acc);
      return values.length < limit ? [...values, v ?? null] : values;
    },
    // The row's own occurrence is not tracked; removing the last equal value gives the same
    // list when rows are retracted in the order they came. A value never kept (past the
    // limit) is not found and changes nothing.
    undo: (acc, [v]) => {
      const values = list(acc);
      let index = values.length - 1;
      while (index >= 0 && !valuesEqual(values[index] ?? null, v ?? null)) index--;
      return index < 0 ? values : values.filter((_, i) => i !== index);
    },
    merge: (a, b) => [...list(a), ...list(b)].slice(0, limit),
    result: (acc) => acc,
  };
}

/**
 * COLLECT_SET keeps the first occurrence of each distinct value, up to the limit. No undo: a
 * set does not know how many rows brought a value, and ksqlDB rejects it on a table source.
 */
function collectSet(call: AggregateCallInfo): AggregateImplementation {
  const limit = limitOf(call, 'ksql.functions.collect_set.limit');
  const add = (values: readonly SqlValue[], v: SqlValue) =>
    values.length >= limit || values.some((x) => valuesEqual(x, v)) ? values : [...values, v];
  return {
    intermediateType: arrayType(parameterType(call, 0)),
    initialize: () => [],
    aggregate: (acc, [v]) => add(list(acc), v ?? null),
    merge: (a, b) => list(b).reduce<readonly SqlValue[]>((values, v) => add(values, v), list(a)),
    result: (acc) => acc,
  };
}

type Counts = ReadonlyMap<SqlValue, SqlValue>;

/** HISTOGRAM counts each non-null value; a count that falls to zero leaves the map. */
function histogram(): AggregateImplementation {
  const adjust = (acc: SqlValue, v: SqlValue, delta: bigint): SqlValue => {
    if (v === null) return acc;
    const counts = acc as Counts;
    const current = (counts.get(v) ?? null) as bigint | null;
    if (current === null && (delta < 0n || counts.size >= HISTOGRAM_LIMIT)) return acc;
    const next = new Map(counts);
    const count = (current ?? 0n) + delta;
    if (count > 0n) next.set(v, count);
    else next.delete(v);
    return next;
  };
  return {
    intermediateType: mapType(STRING, BIGINT),
    initialize: () => new Map(),
    aggregate: (acc, [v]) => adjust(acc, v ?? null, 1n),
    undo: (acc, [v]) => adjust(acc, v ?? null, -1n),
    merge: (a, b) => {
      let acc: SqlValue = a;
      for (const [v, count] of b as Counts) acc = adjust(acc, v, count as bigint);
      return acc;
    },
    result: (acc) => acc,
  };
}

/**
 * COUNT_DISTINCT counts distinct non-null values. ksqlDB estimates with HyperLogLog; Sluice
 * keeps the set of value keys and counts exactly, which agrees with ksqlDB wherever its
 * estimate is exact (small groups) at the cost of state that grows with the distinct values.
 */
function countDistinct(): AggregateImplementation {
  const add = (keys: readonly SqlValue[], key: string) => (keys.includes(key) ? keys : [...keys, key]);
  return {
    intermediateType: arrayType(STRING),
    initialize: () => [],
    aggregate: (acc, [v]) => (v === null || v === undefined ? acc : add(list(acc), valueKey(v))),
    merge: (a, b) => list(b).reduce<readonly SqlValue[]>((keys, k) => add(keys, k as string), list(a)),
    result: (acc) => BigInt(list(acc).length),
  };
}

export const collectionAggregates: readonly AggregateDefinition[] = [
  aggregate('COLLECT_LIST', 'Collects the values into an array.', [aggSig('T val', 'ARRAY<T>', collectList)]),
  aggregate('COLLECT_SET', 'Collects the distinct values into an array.', [
    aggSig('T val', 'ARRAY<T>', collectSet),
  ]),
  aggregate('HISTOGRAM', 'A map of each value to how often it occurs.', [
    aggSig('STRING val', 'MAP<STRING, BIGINT>', histogram),
  ]),
  aggregate('COUNT_DISTINCT', 'Approximate count of distinct values.', [
    aggSig('T val', 'BIGINT', countDistinct),
  ]),
];
