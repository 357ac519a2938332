import { describe, expect, it } from 'vitest';
import {
  arrayType,
  decimalType,
  formatType,
  mapType,
  type SqlType,
  SqlTypes,
  struct,
} from '../../../../engine/catalog/types.js';
import { Decimal, type SqlValue } from '../../../../engine/catalog/values.js';
import type { LambdaValue } from '../../../../engine/expr/functions/function-types.js';
import { callFunction, callTable, resolveCall } from './call-function.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN } = SqlTypes;
const ints = (v: (number | null)[] | null) => [arrayType(INTEGER), v] as const;
const strs = (v: (string | null)[] | null) => [arrayType(STRING), v] as const;
const smap = (v: Record<string, SqlValue> | null, value: SqlType = INTEGER) =>
  [mapType(STRING, value), v === null ? null : new Map(Object.entries(v))] as const;
const fn = (lambda: (...p: SqlValue[]) => SqlValue, params: number, returns: SqlType = BOOLEAN) => ({
  lambda: lambda as LambdaValue,
  params,
  returns,
});
const entries = (v: SqlValue) => Object.fromEntries(v as Map<string, SqlValue>);

describe('array functions', () => {
  it('ARRAY_CONTAINS, ARRAY_LENGTH, ARRAY_MAX and ARRAY_MIN', () => {
    expect(callFunction('ARRAY_CONTAINS', strs(['Red', 'Pink']), [STRING, 'Pink'])).toBe(true);
    expect(callFunction('ARRAY_CONTAINS', strs(null), [STRING, 'Pink'])).toBe(false);
    expect(callFunction('ARRAY_LENGTH', ints([1, 2, 3]))).toBe(3);
    expect(callFunction('ARRAY_LENGTH', ints(null))).toBeNull();
    expect(callFunction('ARRAY_MAX', ints([0, null, 1, 0, -1]))).toBe(1);
    expect(callFunction('ARRAY_MIN', ints([0, null, 1, 0, -1]))).toBe(-1);
    expect(callFunction('ARRAY_MAX', ints([]))).toBeNull();
    expect(callFunction('ARRAY_MAX', strs(['foo', 'fo', 'Food', null, 'food']))).toBe('food');
    expect(resolveCall('ARRAY_MAX', ints([])).returnType).toBe(INTEGER);
  });

  it('ARRAY_SORT puts nulls last in either direction (array-min-max-sort.json)', () => {
    expect(callFunction('ARRAY_SORT', ints([0, null, 1, 0, -1]))).toEqual([-1, 0, 0, 1, null]);
    expect(callFunction('ARRAY_SORT', ints([0, null, 1, 0, -1]), [STRING, 'desc'])).toEqual([
      1,
      0,
      0,
      -1,
      null,
    ]);
    expect(callFunction('ARRAY_SORT', [arrayType(BOOLEAN), [null, false, true]])).toEqual([
      false,
      true,
      null,
    ]);
    expect(callFunction('ARRAY_SORT', ints(null))).toBeNull();
    expect(callFunction('ARRAY_SORT', ints([2, 1]), [STRING, 'sideways'])).toBeNull();
  });

  it('ARRAY_REMOVE removes every equal element, nulls too (array-remove.json)', () => {
    expect(callFunction('ARRAY_REMOVE', ints([0, 0, 1, 0, -1]), [INTEGER, -1])).toEqual([0, 0, 1, 0]);
    expect(callFunction('ARRAY_REMOVE', ints([0, null, 1, 0, -1]), [INTEGER, null])).toEqual([0, 1, 0, -1]);
    const lists = [
      arrayType(arrayType(STRING)),
      [['foo', 'bar', 'foo'], ['foo', 'bar', 'foo'], ['foo']],
    ] as const;
    expect(callFunction('ARRAY_REMOVE', lists, [arrayType(STRING), ['foo', 'bar', 'foo']])).toEqual([
      ['foo'],
    ]);
    expect(callFunction('ARRAY_REMOVE', ints(null), [INTEGER, 1])).toBeNull();
  });

  it('set functions de-duplicate by value (array-set-functions.json)', () => {
    expect(callFunction('ARRAY_DISTINCT', strs(['foo', 'bar', 'foo']))).toEqual(['foo', 'bar']);
    const maps = [
      arrayType(mapType(STRING, INTEGER)),
      [new Map([['apple', 1]]), new Map([['apple', 3]]), new Map([['apple', 1]]), null],
    ] as const;
    expect(callFunction('ARRAY_DISTINCT', maps)).toEqual([
      new Map([['apple', 1]]),
      new Map([['apple', 3]]),
      null,
    ]);
    expect(callFunction('ARRAY_EXCEPT', ints([0, 0, 1, 0, -1]), ints([1, -2]))).toEqual([0, -1]);
    expect(callFunction('ARRAY_EXCEPT', ints([0, 0, 1, 0, -1]), ints([]))).toEqual([0, 1, -1]);
    expect(callFunction('ARRAY_EXCEPT', ints(null), ints([1]))).toBeNull();
    expect(callFunction('ARRAY_INTERSECT', strs(['foo', 'bar', 'foo']), strs(['foo', 'baz']))).toEqual([
      'foo',
    ]);
    expect(callFunction('ARRAY_UNION', ints([0, 0, 1, 0, -1]), ints([1, -2, 0]))).toEqual([0, 1, -1, -2]);
    expect(callFunction('ARRAY_UNION', ints([1]), ints(null))).toBeNull();
    expect(callFunction('ARRAY_CONCAT', ints(null), ints([1, -2]))).toEqual([1, -2]);
    expect(callFunction('ARRAY_CONCAT', ints([0, 1]), ints([1]))).toEqual([0, 1, 1]);
    expect(callFunction('ARRAY_CONCAT', ints(null), ints(null))).toBeNull();
  });

  it('ARRAY_JOIN writes elements as Java prints them (arrayjoin.json)', () => {
    expect(callFunction('ARRAY_JOIN', [arrayType(BOOLEAN), [true, null, false]])).toBe('true,null,false');
    expect(callFunction('ARRAY_JOIN', [arrayType(BIGINT), [-4294967297n, 8589934592n]], [STRING, ';'])).toBe(
      '-4294967297;8589934592',
    );
    expect(callFunction('ARRAY_JOIN', [arrayType(DOUBLE), [1.23, -23.42, 0.0]], [STRING, ' '])).toBe(
      '1.23 -23.42 0.0',
    );
    const decimals = [arrayType(decimalType(5, 2)), [new Decimal('123.45'), new Decimal('987.65')]] as const;
    expect(callFunction('ARRAY_JOIN', decimals, [STRING, '#'])).toBe('123.45#987.65');
    expect(callFunction('ARRAY_JOIN', strs(['a', 'b']), [STRING, null])).toBe('ab');
    expect(() => callFunction('ARRAY_JOIN', [arrayType(arrayType(INTEGER)), [[1]]])).toThrow(/not support/);
  });

  it('SLICE and GENERATE_SERIES', () => {
    expect(callFunction('SLICE', strs(['a', 'b', 'c', 'd']), [INTEGER, 2], [INTEGER, 3])).toEqual(['b', 'c']);
    expect(callFunction('SLICE', strs(['a', 'b']), [INTEGER, null], [INTEGER, 1])).toEqual(['a']);
    expect(callFunction('SLICE', strs(['a', 'b']), [INTEGER, 0], [INTEGER, 1])).toBeNull();
    expect(callFunction('SLICE', strs(['a', 'b']), [INTEGER, 1], [INTEGER, 3])).toBeNull();
    expect(callFunction('GENERATE_SERIES', [INTEGER, 1], [INTEGER, 5])).toEqual([1, 2, 3, 4, 5]);
    expect(callFunction('GENERATE_SERIES', [INTEGER, 5], [INTEGER, 1], [INTEGER, -2])).toEqual([5, 3, 1]);
    expect(callFunction('GENERATE_SERIES', [BIGINT, 1n], [BIGINT, 3n])).toEqual([1n, 2n, 3n]);
    expect(() => callFunction('GENERATE_SERIES', [INTEGER, 1], [INTEGER, 5], [INTEGER, 0])).toThrow();
  });
});

describe('map functions', () => {
  it('MAP_KEYS, MAP_VALUES, MAP_UNION, AS_MAP', () => {
    // In the order of Java's HashMap, as ksqlDB's maps iterate (java-map-order.ts).
    expect(callFunction('MAP_KEYS', smap({ apple: 1, banana: 2 }))).toEqual(['banana', 'apple']);
    expect(callFunction('MAP_VALUES', smap({ apple: 1, banana: 2 }))).toEqual([2, 1]);
    expect(entries(callFunction('MAP_UNION', smap({ a: 1, b: 2 }), smap({ b: 3, c: 4 })))).toEqual({
      a: 1,
      b: 3,
      c: 4,
    });
    expect(entries(callFunction('MAP_UNION', smap(null), smap({ c: 4 })))).toEqual({ c: 4 });
    expect(entries(callFunction('AS_MAP', strs(['a', 'b']), ints([1, 2])))).toEqual({ a: 1, b: 2 });
  });

  it('ENTRIES gives structs of K and V, sorted on request', () => {
    const call = resolveCall('ENTRIES', smap({ b: 2, a: 1 }), [BOOLEAN, true]);
    expect(formatType(call.returnType)).toBe(formatType(arrayType(struct(['K', STRING], ['V', INTEGER]))));
    const result = callFunction('ENTRIES', smap({ b: 2, a: 1 }), [BOOLEAN, true]) as Record<
      string,
      SqlValue
    >[];
    expect(result.map((e) => [e.K, e.V])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('lambda functions', () => {
  it('TRANSFORM an array and a map (transform-array.json, transform-map.json)', () => {
    const call = resolveCall(
      'TRANSFORM',
      ints([1]),
      fn((x) => x, 1, STRING),
    );
    expect(call.returnType).toEqual(arrayType(STRING));
    expect(
      callFunction(
        'TRANSFORM',
        ints([1, 2]),
        fn((x) => (x as number) * 2, 1, INTEGER),
      ),
    ).toEqual([2, 4]);
    const transformed = callFunction(
      'TRANSFORM',
      smap({ test: 3.21, hello: 4.49 }, DOUBLE),
      fn((k) => (k as string).toUpperCase(), 2, STRING),
      fn((_, v) => BigInt(Math.round(v as number)), 2, BIGINT),
    );
    expect(entries(transformed)).toEqual({ TEST: 3n, HELLO: 4n });
    const duplicate = () =>
      callFunction(
        'TRANSFORM',
        smap({ a: 1, b: 2 }),
        fn(() => 'same', 2, STRING),
        fn((_, v) => v, 2, INTEGER),
      );
    expect(duplicate).toThrow(/duplicate/);
    const nullValue = () =>
      callFunction(
        'TRANSFORM',
        smap({ q: 1 }),
        fn((k) => k, 2, STRING),
        fn(() => null, 2, INTEGER),
      );
    expect(nullValue).toThrow(/null/);
  });

  it('FILTER keeps elements whose predicate is true, not null (filter.json)', () => {
    expect(
      callFunction(
        'FILTER',
        ints([3, 6, 2, 10]),
        fn((x) => (x as number) > 5, 1),
      ),
    ).toEqual([6, 10]);
    expect(
      callFunction(
        'FILTER',
        ints([5, null]),
        fn((x) => (x === null ? null : (x as number) > 5), 1),
      ),
    ).toEqual([]);
    expect(
      callFunction(
        'FILTER',
        ints(null),
        fn(() => true, 1),
      ),
    ).toBeNull();
    expect(
      entries(
        callFunction(
          'FILTER',
          smap({ a: 1, b: 2 }),
          fn((_, v) => (v as number) > 1, 2),
        ),
      ),
    ).toEqual({ b: 2 });
  });

  it('REDUCE folds from the initial state (reduce-array.json, reduce-map.json)', () => {
    const add = fn((s, x) => (s === null || x === null ? null : (s as number) + (x as number)), 2, INTEGER);
    expect(callFunction('REDUCE', ints([3, 6]), [INTEGER, 2], add)).toBe(11);
    expect(callFunction('REDUCE', ints([5, null]), [INTEGER, 2], add)).toBeNull();
    expect(callFunction('REDUCE', ints(null), [INTEGER, 2], add)).toBe(2);
    expect(callFunction('REDUCE', ints([1, 2]), [INTEGER, null], add)).toBeNull();
    const addBigints = fn((s, x) => (s as bigint) + (x as bigint), 2, BIGINT);
    expect(resolveCall('REDUCE', [arrayType(BIGINT), [1n]], [INTEGER, 0], addBigints).returnType).toBe(
      BIGINT,
    );
    expect(callFunction('REDUCE', [arrayType(BIGINT), [1n, 2n]], [INTEGER, 0], addBigints)).toBe(3n);
    const concat = fn((s, x) => (s as string) + ((x as string | null) ?? ''), 2, STRING);
    expect(callFunction('REDUCE', strs(['blah', 'blah', 'blaaah']), [STRING, ''], concat)).toBe(
      'blahblahblaaah',
    );
    const mapSum = fn((s, _k, v) => (s as number) + (v as number), 3, INTEGER);
    expect(callFunction('REDUCE', smap({ a: 6, b: 7 }), [INTEGER, 1], mapSum)).toBe(14);
    expect(callFunction('REDUCE', smap(null), [INTEGER, 1], mapSum)).toBe(1);
  });
});

describe('conditional functions', () => {
  it('COALESCE, IFNULL, NULLIF', () => {
    expect(callFunction('COALESCE', [INTEGER, null], [INTEGER, 2], [INTEGER, 3])).toBe(2);
    expect(callFunction('COALESCE', [null, null], [STRING, 'x'])).toBe('x');
    expect(resolveCall('COALESCE', [INTEGER, null], [BIGINT, 2n]).returnType).toBe(BIGINT);
    expect(callFunction('IFNULL', [STRING, null], [STRING, 'alt'])).toBe('alt');
    expect(callFunction('IFNULL', [STRING, 'x'], [STRING, 'alt'])).toBe('x');
    expect(callFunction('NULLIF', [INTEGER, 1], [INTEGER, 1])).toBeNull();
    expect(callFunction('NULLIF', [INTEGER, 1], [INTEGER, 2])).toBe(1);
  });
});

describe('table functions', () => {
  it('EXPLODE gives one row per element, none for null or empty (explode.json)', () => {
    expect(callTable('EXPLODE', ints([1, 2]))).toEqual([1, 2]);
    expect(callTable('EXPLODE', ints([]))).toEqual([]);
    expect(callTable('EXPLODE', ints(null))).toEqual([]);
    const decimals = [arrayType(decimalType(20, 10)), [new Decimal('123.456')]] as const;
    expect(callTable('EXPLODE', decimals)).toEqual([new Decimal('123.456')]);
  });

  it('CUBE_EXPLODE gives each combination once (cube.json)', () => {
    expect(callTable('CUBE_EXPLODE', ints([1, 2]))).toEqual([
      [null, null],
      [null, 2],
      [1, null],
      [1, 2],
    ]);
    expect(callTable('CUBE_EXPLODE', ints([1, null]))).toEqual([
      [null, null],
      [1, null],
    ]);
  });
});
