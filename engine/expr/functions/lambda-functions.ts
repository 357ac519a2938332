/**
 * ksqlDB's lambda ("invocation") functions over arrays and maps. A null collection gives null
 * (REDUCE gives its initial state); a null from a FILTER predicate drops the element.
 * TRANSFORM of a map fails on a null or repeated key and on a null value, as ksqlDB's does
 * (the engine logs the error and produces null). Map entries are visited in the order ksqlDB
 * visits them (java-map-order.ts).
 */
import { mapGet } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig } from './function-definition.js';
import type { LambdaValue } from './function-types.js';
import { javaMapEntries } from './java-map-order.js';

const LAMBDA = 'LAMBDA';
type List = readonly SqlValue[];
type SqlMap = ReadonlyMap<SqlValue, SqlValue>;

function transformMap(map: SqlMap, keyFn: LambdaValue, valueFn: LambdaValue): SqlValue {
  const out = new Map<SqlValue, SqlValue>();
  for (const [k, v] of javaMapEntries(map)) {
    const key = keyFn(k, v);
    const value = valueFn(k, v);
    if (key === null) throw new Error('TRANSFORM produced a null map key');
    if (value === null) throw new Error(`TRANSFORM produced a null value for key ${String(key)}`);
    if (mapGet(out, key) !== undefined)
      throw new Error(`TRANSFORM produced the duplicate map key ${String(key)}`);
    out.set(key, value);
  }
  return out;
}

export const lambdaFunctions: readonly FunctionDefinition[] = [
  scalar(
    'TRANSFORM',
    LAMBDA,
    'Applies a lambda to each element of an array, or to the keys and values of a map.',
    [
      sig('ARRAY<T> array, (T) => O function', 'ARRAY<O>', ([a, fn]) =>
        a === null ? null : (a as List).map((e) => (fn as LambdaValue)(e)),
      ),
      sig(
        'MAP<K, V> map, (K, V) => NK keyFunction, (K, V) => NV valueFunction',
        'MAP<NK, NV>',
        ([m, kf, vf]) =>
          m === null ? null : transformMap(m as SqlMap, kf as LambdaValue, vf as LambdaValue),
      ),
    ],
  ),
  scalar('FILTER', LAMBDA, 'The elements of an array, or entries of a map, for which the lambda is true.', [
    sig('ARRAY<T> array, (T) => BOOLEAN function', 'ARRAY<T>', ([a, fn]) =>
      a === null ? null : (a as List).filter((e) => (fn as LambdaValue)(e) === true),
    ),
    sig('MAP<K, V> map, (K, V) => BOOLEAN function', 'MAP<K, V>', ([m, fn]) =>
      m === null
        ? null
        : new Map(javaMapEntries(m as SqlMap).filter(([k, v]) => (fn as LambdaValue)(k, v) === true)),
    ),
  ]),
  scalar('REDUCE', LAMBDA, 'Folds an array or map into a state with a lambda, from an initial state.', [
    sig('ARRAY<T> array, S initialState, (S, T) => S function', 'S', ([a, initial, fn]) => {
      if (initial === null || initial === undefined) return null;
      let state = initial as SqlValue;
      if (a === null) return state;
      for (const e of a as List) state = (fn as LambdaValue)(state, e);
      return state;
    }),
    sig('MAP<K, V> map, S initialState, (S, K, V) => S function', 'S', ([m, initial, fn]) => {
      if (initial === null || initial === undefined) return null;
      let state = initial as SqlValue;
      if (m === null) return state;
      for (const [k, v] of javaMapEntries(m as SqlMap)) state = (fn as LambdaValue)(state, k, v);
      return state;
    }),
  ]),
];
