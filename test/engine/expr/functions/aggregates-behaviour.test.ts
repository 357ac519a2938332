import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, type SqlType, SqlTypes, struct } from '../../../../engine/catalog/types.js';
import { valueKey } from '../../../../engine/catalog/value-compare.js';
import { Decimal, isDecimal, type SqlValue, ValueError } from '../../../../engine/catalog/values.js';
import type {
  AggregateContext,
  ResolvedAggregateCall,
} from '../../../../engine/expr/functions/aggregate-types.js';
import type { ArgumentInfo } from '../../../../engine/expr/functions/function-types.js';
import { builtinFunctions } from '../../../../engine/expr/functions/registry.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN, BYTES, DATE } = SqlTypes;

/** A column argument of a type, or a literal (constant) one. */
type Arg = SqlType | { readonly type: SqlType; readonly constant: SqlValue };

function resolve(
  name: string,
  args: readonly Arg[],
  properties?: Record<string, unknown>,
): ResolvedAggregateCall {
  const infos: ArgumentInfo[] = args.map((a) =>
    'constant' in a ? { kind: 'value', type: a.type, constant: a.constant } : { kind: 'value', type: a },
  );
  return builtinFunctions.resolveAggregate(name, infos, properties && { properties });
}

/** A step: add a row's arguments, or retract them (`undo`). */
type Step = { readonly add: readonly SqlValue[] } | { readonly undo: readonly SqlValue[] };
const add = (...args: SqlValue[]): Step => ({ add: args });
const undo = (...args: SqlValue[]): Step => ({ undo: args });

/**
 * Runs the steps from a fresh accumulator and returns the result after each one, checking
 * that no step changes the accumulator it was given.
 */
function results(call: ResolvedAggregateCall, steps: readonly Step[], offsets = true): SqlValue[] {
  let acc = call.initialize();
  const out: SqlValue[] = [];
  steps.forEach((step, i) => {
    const before = valueKey(acc);
    const ctx: AggregateContext | undefined = offsets
      ? { offset: BigInt(i), partition: 0, timestamp: i }
      : undefined;
    const next = 'add' in step ? call.aggregate(acc, step.add, ctx) : call.undo?.(acc, step.undo);
    if (next === undefined) throw new Error('no undo');
    expect(valueKey(acc)).toBe(before);
    acc = next;
    out.push(plain(call.result(acc)));
  });
  return out;
}

function fold(
  call: ResolvedAggregateCall,
  rows: readonly (readonly SqlValue[])[],
  firstOffset = 0,
): SqlValue {
  return rows.reduce<SqlValue>(
    (acc, row, i) =>
      call.aggregate(acc, row, { offset: BigInt(firstOffset + i), partition: 0, timestamp: 0 }),
    call.initialize(),
  );
}

/** Decimals as their text and maps as entry lists, so expectations read like the QTT outputs. */
function plain(value: SqlValue): SqlValue {
  if (isDecimal(value)) return value.toFixed();
  if (value instanceof Map) return [...value].map(([k, v]) => [plain(k), plain(v)]);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

const dec = (s: string) => new Decimal(s);

describe('COUNT', () => {
  it('counts rows with COUNT() and back to zero on a table', () => {
    expect(results(resolve('COUNT', []), [add(), add(), undo(), undo()])).toEqual([1n, 2n, 1n, 0n]);
  });

  it('counts only the non-null values of COUNT(col)', () => {
    expect(
      results(resolve('COUNT', [STRING]), [add('a'), add(null), add('b'), undo(null), undo('a')]),
    ).toEqual([1n, 1n, 2n, 2n, 1n]);
  });

  it('merges by adding', () => {
    const count = resolve('COUNT', []);
    expect(count.merge?.(fold(count, [[], []]), fold(count, [[]]))).toBe(3n);
  });
});

describe('SUM', () => {
  it('sums a table column, a null value leaving it as it was', () => {
    // T1 LEFT JOIN T2: the sum of the joined totals as rows arrive and are replaced.
    expect(
      results(resolve('SUM', [INTEGER]), [add(null), add(5), undo(5), add(20), undo(20), add(null)]),
    ).toEqual([0, 5, 0, 20, 0, 0]);
  });

  it('sums BIGINT exactly, wrapping like a Java long', () => {
    expect(results(resolve('SUM', [BIGINT]), [add(2147483648n), add(100n)])).toEqual([
      2147483648n,
      2147483748n,
    ]);
    const sum = resolve('SUM', [BIGINT]);
    expect(sum.result(sum.aggregate(9223372036854775807n, [1n]))).toBe(-9223372036854775808n);
    expect(results(resolve('SUM', [INTEGER]), [add(2147483647), add(1)])).toEqual([2147483647, -2147483648]);
  });

  it('sums doubles and constants', () => {
    expect(results(resolve('SUM', [{ type: INTEGER, constant: 2 }]), [add(2), add(2), add(2)])).toEqual([
      2, 4, 6,
    ]);
    expect(results(resolve('SUM', [DOUBLE]), [add(1.5), add(2.25), undo(1.5)])).toEqual([1.5, 3.75, 2.25]);
  });

  it('keeps the DECIMAL type and fails when the sum outgrows it', () => {
    const sum = resolve('SUM', [decimalType(4, 1)]);
    expect(results(sum, [add(dec('5.4')), add(dec('100.1'))])).toEqual(['5.4', '105.5']);
    const big = fold(sum, [[dec('500.9')], [dec('300.8')]]);
    expect(plain(sum.result(big))).toBe('801.7');
    expect(() => sum.aggregate(big, [dec('400.8')])).toThrow(ValueError);
    const wider = resolve('SUM', [decimalType(6, 2)]);
    const total = wider.result(fold(wider, [[dec('500.90')], [dec('300.80')], [dec('400.80')]]));
    expect((total as Decimal).toFixed(2)).toBe('1202.50');
  });

  it('sums each array with SUM_LIST, skipping null elements', () => {
    expect(
      results(resolve('SUM_LIST', [arrayType(INTEGER)]), [add([1, 2, null]), add(null), add([4])]),
    ).toEqual([3, 3, 7]);
  });
});

describe('AVG', () => {
  it('averages integers into a double, skipping nulls', () => {
    expect(results(resolve('AVG', [INTEGER]), [add(1), add(2), add(2), add(null)])).toEqual([
      1.0, 1.5, 1.6666666666666667, 1.6666666666666667,
    ]);
  });

  it('takes a replaced table row back out', () => {
    // alice=1, bob=2, alice=null, alice=4 in one group.
    expect(
      results(resolve('AVG', [INTEGER]), [add(1), add(2), undo(1), add(null), undo(null), add(4)]),
    ).toEqual([1.0, 1.5, 2.0, 2.0, 2.0, 3.0]);
  });

  it('averages BIGINT past 2^53 and merges sums and counts', () => {
    const avg = resolve('AVG', [BIGINT]);
    expect(avg.result(fold(avg, [[9007199254740993n], [1n]]))).toBe(4503599627370497);
    expect(avg.result(avg.merge?.(fold(avg, [[1n], [2n]]), fold(avg, [[6n]])) ?? null)).toBe(3);
    expect(avg.result(avg.initialize())).toBe(0);
  });
});

describe('MIN and MAX', () => {
  it('keep the extreme non-null value, null until there is one', () => {
    expect(results(resolve('MIN', [DOUBLE]), [add(null), add(2.5), add(-1.0), add(null), add(3)])).toEqual([
      null,
      2.5,
      -1,
      -1,
      -1,
    ]);
    expect(results(resolve('MAX', [BIGINT]), [add(5n), add(100n), add(7n)])).toEqual([5n, 100n, 100n]);
  });

  it('order decimals by value, strings by code unit, bytes and dates', () => {
    const max = resolve('MAX', [decimalType(4, 2)]);
    expect(plain(max.result(fold(max, [[dec('9.50')], [dec('10.10')], [dec('-1.00')]])))).toBe('10.1');
    const min = resolve('MIN', [STRING]);
    expect(min.result(fold(min, [['b'], ['B'], ['a']]))).toBe('B');
    const bytes = resolve('MAX', [BYTES]);
    expect(
      bytes.result(fold(bytes, [[Uint8Array.of(1, 2)], [Uint8Array.of(1, 3)], [Uint8Array.of(0)]])),
    ).toEqual(Uint8Array.of(1, 3));
    const date = resolve('MIN', [DATE]);
    expect(date.result(fold(date, [[19000], [18000], [null]]))).toBe(18000);
  });

  it('merge to the extreme of both', () => {
    const max = resolve('MAX', [INTEGER]);
    expect(max.merge?.(fold(max, [[1], [9]]), fold(max, [[4]]))).toBe(9);
    expect(max.merge?.(max.initialize(), fold(max, [[4]]))).toBe(4);
  });
});

describe('COLLECT_LIST and COLLECT_SET', () => {
  it('collect in arrival order; a set keeps the first of equal values', () => {
    expect(results(resolve('COLLECT_LIST', [INTEGER]), [add(0), add(100), add(0)])).toEqual([
      [0],
      [0, 100],
      [0, 100, 0],
    ]);
    expect(results(resolve('COLLECT_SET', [INTEGER]), [add(500), add(100), add(500)])).toEqual([
      [500],
      [500, 100],
      [500, 100],
    ]);
  });

  it('follow a table row that is replaced', () => {
    expect(
      results(resolve('COLLECT_LIST', [BIGINT]), [add(2147483648n), undo(2147483648n), add(100n)]),
    ).toEqual([[2147483648n], [], [100n]]);
    // The last equal value goes, and a value never kept (past the limit) is not found.
    expect(
      results(resolve('COLLECT_LIST', [STRING]), [add('a'), add('b'), add('a'), undo('a'), undo('b')]),
    ).toEqual([['a'], ['a', 'b'], ['a', 'b', 'a'], ['a', 'b'], ['a']]);
    const limited = resolve('COLLECT_LIST', [STRING], { 'ksql.functions.collect_list.limit': '1' });
    expect(results(limited, [add('a'), add('b'), undo('b')])).toEqual([['a'], ['a'], ['a']]);
  });

  it('compare structured values by value', () => {
    const s = struct(['A', STRING]);
    const row = (a: string) => Object.assign(Object.create(null), { A: a }) as SqlValue;
    const set = resolve('COLLECT_SET', [s]);
    expect((set.result(fold(set, [[row('x')], [row('x')], [row('y')]])) as SqlValue[]).length).toBe(2);
  });

  it('stop at the configured limit', () => {
    const limited = resolve('COLLECT_LIST', [INTEGER], { 'ksql.functions.collect_list.limit': 1 });
    expect(results(limited, [add(0), add(100)])).toEqual([[0], [0]]);
    expect(limited.merge?.([1], [2])).toEqual([1]);
    const set = resolve('COLLECT_SET', [INTEGER], { 'ksql.functions.collect_set.limit': 2 });
    expect(results(set, [add(1), add(1), add(2), add(3)])).toEqual([[1], [1], [1, 2], [1, 2]]);
    expect(set.merge?.([1], [1, 3, 4])).toEqual([1, 3]);
    const unlimited = resolve('COLLECT_LIST', [INTEGER], { 'ksql.functions.collect_list.limit': -1 });
    expect(
      fold(
        unlimited,
        Array.from({ length: 1500 }, (_, i) => [i]),
      ),
    ).toHaveLength(1500);
  });
});

describe('HISTOGRAM and COUNT_DISTINCT', () => {
  it('count each string, dropping a value whose count falls to zero', () => {
    // A table of people moving between regions: bob leaves east, joins west, then is deleted.
    expect(
      results(resolve('HISTOGRAM', [STRING]), [add('alice'), add('bob'), undo('bob'), add(null)]),
    ).toEqual([
      [['alice', 1n]],
      [
        ['alice', 1n],
        ['bob', 1n],
      ],
      [['alice', 1n]],
      [['alice', 1n]],
    ]);
    const histogram = resolve('HISTOGRAM', [STRING]);
    expect(
      plain(histogram.merge?.(fold(histogram, [['a'], ['b']]), fold(histogram, [['a']])) ?? null),
    ).toEqual([
      ['a', 2n],
      ['b', 1n],
    ]);
  });

  it('counts distinct non-null values', () => {
    expect(
      results(resolve('COUNT_DISTINCT', [STRING]), [add('one'), add('two'), add('one'), add(null)]),
    ).toEqual([1n, 2n, 2n, 2n]);
    const distinct = resolve('COUNT_DISTINCT', [STRING]);
    expect(
      distinct.result(
        distinct.merge?.(fold(distinct, [['a'], ['b']]), fold(distinct, [['b'], ['c']])) ?? null,
      ),
    ).toBe(3n);
  });
});

describe('EARLIEST_BY_OFFSET and LATEST_BY_OFFSET', () => {
  it('skip nulls by default', () => {
    expect(results(resolve('EARLIEST_BY_OFFSET', [INTEGER]), [add(null), add(12), add(13)])).toEqual([
      null,
      12,
      12,
    ]);
    expect(results(resolve('LATEST_BY_OFFSET', [INTEGER]), [add(12), add(null), add(13)])).toEqual([
      12, 12, 13,
    ]);
  });

  it('keep nulls when ignoreNulls is false', () => {
    const ignore = { type: BOOLEAN, constant: false };
    expect(results(resolve('EARLIEST_BY_OFFSET', [INTEGER, ignore]), [add(null), add(13)])).toEqual([
      null,
      null,
    ]);
    expect(results(resolve('LATEST_BY_OFFSET', [INTEGER, ignore]), [add(12), add(null)])).toEqual([12, null]);
  });

  it('keep N values, oldest first', () => {
    const two = { type: INTEGER, constant: 2 };
    expect(
      results(resolve('EARLIEST_BY_OFFSET', [INTEGER, two, { type: BOOLEAN, constant: false }]), [
        add(null),
        add(13),
        add(14),
      ]),
    ).toEqual([[null], [null, 13], [null, 13]]);
    expect(results(resolve('EARLIEST_BY_OFFSET', [INTEGER, two]), [add(null), add(null)])).toEqual([[], []]);
    expect(
      results(resolve('LATEST_BY_OFFSET', [STRING, two]), [add('a'), add(null), add('b'), add('c')]),
    ).toEqual([['a'], ['a'], ['a', 'b'], ['b', 'c']]);
  });

  it('order by offset when session windows merge', () => {
    const latest = resolve('LATEST_BY_OFFSET', [INTEGER]);
    const early = fold(latest, [[1], [2]], 0);
    const late = fold(latest, [[3]], 10);
    expect(latest.result(latest.merge?.(late, early) ?? null)).toBe(3);
    const earliest = resolve('EARLIEST_BY_OFFSET', [INTEGER, { type: INTEGER, constant: 2 }]);
    expect(
      earliest.result(earliest.merge?.(fold(earliest, [[7]], 5), fold(earliest, [[1], [2]], 0)) ?? null),
    ).toEqual([1, 2]);
  });

  it('work without offsets, in arrival order', () => {
    expect(
      results(
        resolve('LATEST_BY_OFFSET', [INTEGER, { type: INTEGER, constant: 2 }]),
        [add(1), add(2), add(3)],
        false,
      ),
    ).toEqual([[1], [1, 2], [2, 3]]);
  });
});

describe('TOPK and TOPKDISTINCT', () => {
  const three = { type: INTEGER, constant: 3 };

  it('keep the k highest values, duplicates included', () => {
    expect(
      results(resolve('TOPK', [BIGINT, three]), [add(0n), add(100n), add(99n), add(null), add(100n)]),
    ).toEqual([[0n], [100n, 0n], [100n, 99n, 0n], [100n, 99n, 0n], [100n, 100n, 99n]]);
  });

  it('carry other columns with the sort column, the earlier of equal values first', () => {
    const topk = resolve('TOPK', [INTEGER, STRING, three]);
    const out = results(topk, [
      add(0, 'zero'),
      add(100, 'one'),
      add(99, 'two'),
      add(null, 'three'),
      add(100, null),
    ]);
    expect(out.at(-1)).toEqual([
      { sort_col: 100, col0: 'one' },
      { sort_col: 100, col0: null },
      { sort_col: 99, col0: 'two' },
    ]);
    expect(out[3]).toEqual(out[2]);
  });

  it('keep distinct values only in TOPKDISTINCT', () => {
    expect(
      results(resolve('TOPKDISTINCT', [STRING, three]), [add('a'), add('c'), add('c'), add('b'), add('d')]),
    ).toEqual([['a'], ['c', 'a'], ['c', 'a'], ['c', 'b', 'a'], ['d', 'c', 'b']]);
  });

  it('merge two lists into the top k', () => {
    const topk = resolve('TOPK', [INTEGER, { type: INTEGER, constant: 2 }]);
    expect(topk.merge?.(fold(topk, [[5], [1]]), fold(topk, [[3]]))).toEqual([5, 3]);
  });
});

describe('STDDEV_SAMP, STDDEV_SAMPLE and STDDEV_POP', () => {
  it('STDDEV_SAMP is the sample variance, as in ksqlDB', () => {
    expect(results(resolve('STDDEV_SAMP', [INTEGER]), [add(0), add(10), add(7), add(6)])).toEqual([
      0.0, 50.0, 26.333333333333332, 17.583333333333332,
    ]);
    expect(
      results(resolve('STDDEV_SAMP', [BIGINT]), [add(2147483648n), add(100n), add(-2n), add(null)]),
    ).toEqual([0.0, 2.3058427944653343e18, 1.5372286026580004e18, 1.5372286026580004e18]);
    expect(results(resolve('STDDEV_SAMP', [DOUBLE]), [add(-1.8), add(2.3), add(100.2)])).toEqual([
      0.0, 8.405, 3334.2033333333347,
    ]);
  });

  it('STDDEV_SAMPLE is its square root', () => {
    expect(results(resolve('STDDEV_SAMPLE', [INTEGER]), [add(50), add(10), add(3), add(null)])).toEqual([
      0.0, 28.284271247461902, 25.357444666211933, 25.357444666211933,
    ]);
  });

  it('undoes and merges back to the same moments', () => {
    const samp = resolve('STDDEV_SAMP', [INTEGER]);
    expect(results(samp, [add(0), add(10), add(7), undo(7), undo(10), undo(0)])).toEqual([
      0, 50, 26.333333333333332, 50, 0, 0,
    ]);
    const merged = samp.merge?.(fold(samp, [[0], [10]]), fold(samp, [[7], [6]])) ?? null;
    expect(samp.result(merged)).toBeCloseTo(17.583333333333332, 12);
    const pop = resolve('STDDEV_POP', [DOUBLE]);
    expect(pop.result(fold(pop, [[2], [4], [4], [4], [5], [5], [7], [9]]))).toBe(2);
  });
});

describe('CORRELATION', () => {
  it('is NaN for fewer than two points and skips rows with a null', () => {
    expect(
      results(resolve('CORRELATION', [DOUBLE, DOUBLE]), [
        add(1.5, 8.0),
        add(-1.0, -2.0),
        add(-4.5, -1.0),
        add(null, -6.0),
      ]),
    ).toEqual([Number.NaN, 1.0, 0.7580764521133173, 0.7580764521133173]);
  });

  it('follows a table row that is replaced', () => {
    expect(
      results(resolve('CORRELATION', [DOUBLE, DOUBLE]), [
        add(1.5, 8.0),
        add(-3.5, -2.0),
        undo(1.5, 8.0),
        add(-1.0, -2.0),
        add(-4.5, -1.0),
      ]),
    ).toEqual([Number.NaN, 1.0, Number.NaN, Number.NaN, -0.7205766921228921]);
  });
});

describe('ATTR', () => {
  it('is the value while every row agrees, NULL counting as a value', () => {
    expect(results(resolve('ATTR', [STRING]), [add('s'), add('s')])).toEqual(['s', 's']);
    expect(results(resolve('ATTR', [STRING]), [add('1'), add(null), add('1')])).toEqual(['1', null, null]);
    expect(results(resolve('ATTR', [STRING]), [add(null), add('2'), add('2')])).toEqual([null, null, null]);
    expect(results(resolve('ATTR', [arrayType(INTEGER)]), [add([1, 2, 3]), add([1, 2, 3])])).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('recovers the value once the odd row is retracted, and merges counts', () => {
    const attr = resolve('ATTR', [INTEGER]);
    expect(results(attr, [add(1), add(2), undo(2)])).toEqual([1, null, 1]);
    expect(attr.result(attr.merge?.(fold(attr, [[1]]), fold(attr, [[1]])) ?? null)).toBe(1);
    expect(attr.result(attr.merge?.(fold(attr, [[1]]), fold(attr, [[2]])) ?? null)).toBe(null);
  });
});
