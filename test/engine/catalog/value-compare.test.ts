import { describe, expect, it } from 'vitest';
import {
  compareValues,
  mapGet,
  rowKey,
  valueKey,
  valuesEqual,
} from '../../../engine/catalog/value-compare.js';
import { Decimal, type SqlValue } from '../../../engine/catalog/values.js';

function struct(fields: Record<string, SqlValue>): SqlValue {
  return Object.assign(Object.create(null), fields);
}

describe('valuesEqual', () => {
  it('compares primitives as group keys do', () => {
    expect(valuesEqual(null, null)).toBe(true);
    expect(valuesEqual(null, 0)).toBe(false);
    expect(valuesEqual(1, 1)).toBe(true);
    expect(valuesEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(valuesEqual(9223372036854775807n, 9223372036854775807n)).toBe(true);
    expect(valuesEqual(9223372036854775807n, 9223372036854775806n)).toBe(false);
    expect(valuesEqual('a', 'A')).toBe(false);
  });

  it('compares decimals by value, bytes by content', () => {
    expect(valuesEqual(new Decimal('1.50'), new Decimal('1.5'))).toBe(true);
    expect(valuesEqual(new Decimal('1.51'), new Decimal('1.5'))).toBe(false);
    expect(valuesEqual(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(valuesEqual(Buffer.from([1, 2]), Buffer.from([1, 3]))).toBe(false);
  });

  it('compares structured values deeply', () => {
    expect(valuesEqual([1, [2, null]], [1, [2, null]])).toBe(true);
    expect(valuesEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(
      valuesEqual(
        new Map<SqlValue, SqlValue>([
          ['a', 1],
          ['b', 2],
        ]),
        new Map<SqlValue, SqlValue>([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    ).toBe(true);
    expect(valuesEqual(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
    expect(valuesEqual(struct({ A: 1, B: 'x' }), struct({ A: 1, B: 'x' }))).toBe(true);
    expect(valuesEqual(struct({ A: 1 }), struct({ A: 1, B: null }))).toBe(false);
  });
});

describe('mapGet', () => {
  it('finds keys by value', () => {
    const m = new Map<SqlValue, SqlValue>([
      [new Decimal('1.5'), 'decimal'],
      [Buffer.from('ab'), 'bytes'],
      ['s', 'string'],
    ]);
    expect(mapGet(m, new Decimal('1.50'))).toBe('decimal');
    expect(mapGet(m, Buffer.from('ab'))).toBe('bytes');
    expect(mapGet(m, 's')).toBe('string');
    expect(mapGet(m, 'missing')).toBeUndefined();
  });
});

describe('compareValues', () => {
  it('orders with NULL first', () => {
    expect(compareValues(null, 1)).toBe(-1);
    expect(compareValues(1, null)).toBe(1);
    expect(compareValues(null, null)).toBe(0);
  });

  it('orders doubles as Java does', () => {
    const sorted = [Number.NaN, 1, Number.POSITIVE_INFINITY, 0, -0, Number.NEGATIVE_INFINITY].sort(
      compareValues,
    );
    expect(sorted.map(String)).toEqual(['-Infinity', '0', '0', '1', 'Infinity', 'NaN']);
    expect(Object.is(sorted[1], -0)).toBe(true);
  });

  it('orders numbers of different representations by value', () => {
    expect(compareValues(9007199254740993n, 9007199254740992)).toBe(1);
    expect(compareValues(new Decimal('2.5'), 3)).toBe(-1);
    expect(compareValues(2n, new Decimal('2.00'))).toBe(0);
    expect(compareValues(new Decimal('1'), Number.POSITIVE_INFINITY)).toBe(-1);
  });

  it('orders strings by UTF-16 code unit and bytes as signed', () => {
    expect(compareValues('B', 'a')).toBe(-1);
    expect(compareValues('\uffff', '\u{1F600}')).toBe(1);
    // 0x80 is -128 as a Java byte, below 0x01.
    expect(compareValues(Buffer.from([0x80]), Buffer.from([0x01]))).toBe(-1);
    expect(compareValues(Buffer.from([1]), Buffer.from([1, 0]))).toBe(-1);
  });

  it('orders arrays and booleans', () => {
    expect(compareValues([1, 2], [1, 3])).toBe(-1);
    expect(compareValues([1, 2], [1])).toBe(1);
    expect(compareValues(false, true)).toBe(-1);
  });
});

describe('valueKey', () => {
  it('is equal exactly for equal values of one type', () => {
    expect(valueKey(new Decimal('1.50'))).toBe(valueKey(new Decimal('1.5')));
    expect(
      valueKey(
        new Map<SqlValue, SqlValue>([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toBe(
      valueKey(
        new Map<SqlValue, SqlValue>([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    );
    expect(valueKey(-0)).toBe(valueKey(0));
    expect(valueKey('1')).not.toBe(valueKey(1));
    expect(valueKey(1n)).not.toBe(valueKey(1));
    expect(valueKey(null)).not.toBe(valueKey('n'));
    expect(valueKey(['a,b'])).not.toBe(valueKey(['a', 'b']));
    expect(valueKey(Buffer.from([1, 2]))).toBe(valueKey(new Uint8Array([1, 2])));
  });

  it('keys rows without ambiguity', () => {
    expect(rowKey(['a|b', 'c'])).not.toBe(rowKey(['a', 'b|c']));
    expect(rowKey([1n, 'x'])).toBe(rowKey([1n, 'x']));
  });
});
