import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';
import { coerceValue } from '../../../engine/catalog/value-coerce.js';
import {
  assertValue,
  Decimal,
  decimalToString,
  exactDecimalOfDouble,
  fitDecimalExact,
  fitDecimalRounded,
  INT64_MAX,
  invalidValueReason,
  isSqlStruct,
  makeStruct,
  ValueError,
} from '../../../engine/catalog/values.js';

describe('DECIMAL values', () => {
  const d64 = decimalType(6, 4);

  it('keeps every digit of long decimals', () => {
    const text = '12345678987654321.2345678987654321';
    expect(new Decimal(text).toFixed()).toBe(text);
    expect(new Decimal('1').div(3).toFixed(30)).toBe('0.333333333333333333333333333333');
  });

  it('renders at the type scale, in plain notation', () => {
    expect(decimalToString(fitDecimalExact(new Decimal('10'), d64), d64)).toBe('10.0000');
    expect(
      decimalToString(fitDecimalExact(new Decimal('.12'), decimalType(33, 16)), decimalType(33, 16)),
    ).toBe('0.1200000000000000');
    expect(decimalToString(new Decimal('0'), decimalType(33, 16))).toBe('0.0000000000000000');
    expect(decimalToString(new Decimal('1E-20'), decimalType(21, 20))).toBe('0.00000000000000000001');
  });

  it('refuses to round when reading exact data', () => {
    expect(() => fitDecimalExact(new Decimal('1.005'), decimalType(4, 2))).toThrow(
      "Cannot fit decimal '1.005' into DECIMAL(4, 2) without rounding. (Requires 4,3)",
    );
  });

  it('reports overflow with ksqlDB wording', () => {
    expect(() => fitDecimalExact(new Decimal('100'), decimalType(4, 2))).toThrow(
      'Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 100',
    );
    expect(() => fitDecimalRounded(new Decimal('99.996'), decimalType(4, 2))).toThrow(ValueError);
  });

  it('knows the exact value of a double', () => {
    expect(exactDecimalOfDouble(0.1).toFixed()).toBe(
      '0.1000000000000000055511151231257827021181583404541015625',
    );
    expect(exactDecimalOfDouble(-2.5).toFixed()).toBe('-2.5');
    expect(exactDecimalOfDouble(2 ** 60).toFixed()).toBe('1152921504606846976');
    expect(exactDecimalOfDouble(5e-324).toFixed()).toMatch(/^0\.0{323}49406564584124654/);
    // Java's CAST(0.15 AS DECIMAL(2, 1)): two significant digits (0.15), then scale 1 (0.2).
    const viaPrecision = exactDecimalOfDouble(0.15).toSignificantDigits(2, Decimal.ROUND_HALF_UP);
    expect(fitDecimalRounded(viaPrecision, decimalType(2, 1)).toFixed(1)).toBe('0.2');
    expect(() => exactDecimalOfDouble(Number.NaN)).toThrow(ValueError);
  });

  it('rounds half up when casting', () => {
    expect(fitDecimalRounded(new Decimal('1.005'), decimalType(4, 2)).toFixed(2)).toBe('1.01');
    expect(fitDecimalRounded(new Decimal('-1.005'), decimalType(4, 2)).toFixed(2)).toBe('-1.01');
    expect(fitDecimalRounded(new Decimal('1.004'), decimalType(4, 2)).toFixed(2)).toBe('1.00');
  });
});

describe('value checks', () => {
  it('accepts the documented representations', () => {
    assertValue(SqlTypes.BOOLEAN, true);
    assertValue(SqlTypes.INTEGER, -2147483648);
    assertValue(SqlTypes.BIGINT, INT64_MAX);
    assertValue(SqlTypes.DOUBLE, 1.5);
    assertValue(decimalType(4, 2), new Decimal('12.34'));
    assertValue(SqlTypes.STRING, 'x');
    assertValue(SqlTypes.BYTES, Buffer.from([1]));
    assertValue(SqlTypes.DATE, -10);
    assertValue(SqlTypes.TIME, 86_399_999);
    assertValue(SqlTypes.TIMESTAMP, 1_700_000_000_000);
    assertValue(arrayType(SqlTypes.INTEGER), [1, null, 3]);
    assertValue(mapType(SqlTypes.STRING, SqlTypes.BIGINT), new Map([['a', 1n]]));
    const t = struct(['A', SqlTypes.INTEGER], ['B', SqlTypes.STRING]);
    assertValue(t, makeStruct(t, { A: 1 }));
    assertValue(SqlTypes.INTEGER, null);
  });

  it('rejects wrong representations', () => {
    expect(invalidValueReason(SqlTypes.INTEGER, 2147483648)).toMatch(/INTEGER/);
    expect(invalidValueReason(SqlTypes.INTEGER, 1.5)).toBeDefined();
    expect(invalidValueReason(SqlTypes.BIGINT, 1)).toMatch(/bigint/);
    expect(invalidValueReason(SqlTypes.BIGINT, INT64_MAX + 1n)).toBeDefined();
    expect(invalidValueReason(decimalType(4, 2), new Decimal('1.234'))).toMatch(/scale/);
    expect(invalidValueReason(decimalType(4, 2), new Decimal('100'))).toMatch(/overflows/);
    expect(invalidValueReason(decimalType(4, 2), 1.5)).toBeDefined();
    expect(invalidValueReason(SqlTypes.TIME, 86_400_000)).toBeDefined();
    expect(invalidValueReason(arrayType(SqlTypes.INTEGER), [1, 'x'])).toBeDefined();
    const t = struct(['A', SqlTypes.INTEGER]);
    expect(invalidValueReason(t, { A: 1, B: 2 })).toBeDefined();
    expect(invalidValueReason(t, new Map())).toBeDefined();
    expect(() => assertValue(SqlTypes.STRING, 1)).toThrow(ValueError);
  });

  it('builds structs with every field of the type', () => {
    const t = struct(['B', SqlTypes.INTEGER], ['A', SqlTypes.STRING]);
    const s = makeStruct(t, { A: 'x', C: 1 });
    expect(Object.keys(s)).toEqual(['B', 'A']);
    expect(s.B).toBeNull();
    expect(isSqlStruct(s)).toBe(true);
    expect(isSqlStruct([1])).toBe(false);
    expect(isSqlStruct(new Decimal(1))).toBe(false);
  });
});

describe('implicit widening of values', () => {
  it('widens numbers exactly', () => {
    expect(coerceValue(7, SqlTypes.INTEGER, SqlTypes.BIGINT)).toBe(7n);
    expect(coerceValue(7, SqlTypes.INTEGER, SqlTypes.DOUBLE)).toBe(7);
    expect(coerceValue(2n ** 62n, SqlTypes.BIGINT, SqlTypes.DOUBLE)).toBe(2 ** 62);
    const asDecimal = coerceValue(9007199254740993n, SqlTypes.BIGINT, decimalType(19, 0)) as Decimal;
    expect(asDecimal.toFixed()).toBe('9007199254740993');
    expect(
      (coerceValue(new Decimal('1.5'), decimalType(2, 1), decimalType(4, 2)) as Decimal).toFixed(2),
    ).toBe('1.50');
    expect(coerceValue(new Decimal('1.25'), decimalType(3, 2), SqlTypes.DOUBLE)).toBe(1.25);
  });

  it('widens inside collections and structs', () => {
    expect(coerceValue([1, null], arrayType(SqlTypes.INTEGER), arrayType(SqlTypes.BIGINT))).toEqual([
      1n,
      null,
    ]);
    const widened = coerceValue(
      new Map([['a', 1]]),
      mapType(SqlTypes.STRING, SqlTypes.INTEGER),
      mapType(SqlTypes.STRING, SqlTypes.BIGINT),
    );
    expect(widened).toEqual(new Map([['a', 1n]]));
    const from = struct(['A', SqlTypes.INTEGER]);
    const to = struct(['A', SqlTypes.BIGINT], ['B', SqlTypes.STRING]);
    expect({ ...(coerceValue(makeStruct(from, { A: 2 }), from, to) as object) }).toEqual({ A: 2n, B: null });
  });

  it('refuses narrowing', () => {
    expect(() => coerceValue(1n, SqlTypes.BIGINT, SqlTypes.INTEGER)).toThrow(
      'Cannot implicitly cast BIGINT to INTEGER',
    );
    expect(coerceValue(null, SqlTypes.BIGINT, SqlTypes.INTEGER)).toBeNull();
  });
});
