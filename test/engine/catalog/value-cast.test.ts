import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';
import {
  castValue,
  exactDecimalOfDouble,
  javaBigDecimalText,
  javaObjectText,
} from '../../../engine/catalog/value-cast.js';
import { Decimal, makeStruct, type SqlValue, ValueError } from '../../../engine/catalog/values.js';

const { BOOLEAN, INTEGER, BIGINT, DOUBLE, STRING, DATE, TIME, TIMESTAMP, BYTES } = SqlTypes;

describe('numeric casts', () => {
  it('narrows integers as Java does (cast.json)', () => {
    expect(castValue(2147483648n, BIGINT, INTEGER)).toBe(-2147483648);
    expect(castValue(-1, INTEGER, BIGINT)).toBe(-1n);
    expect(castValue(1.1999999999999997, DOUBLE, INTEGER)).toBe(1);
    expect(castValue(-2.9, DOUBLE, INTEGER)).toBe(-2);
    expect(castValue(1e10, DOUBLE, INTEGER)).toBe(2147483647);
    expect(castValue(-1e30, DOUBLE, BIGINT)).toBe(-9223372036854775808n);
    expect(castValue(Number.NaN, DOUBLE, BIGINT)).toBe(0n);
    expect(castValue(new Decimal('-7.9'), decimalType(2, 1), INTEGER)).toBe(-7);
    expect(castValue(new Decimal('4294967297.5'), decimalType(11, 1), INTEGER)).toBe(1);
  });

  it('parses strings strictly', () => {
    expect(castValue(' 42 ', STRING, INTEGER)).toBe(42);
    expect(castValue('-9223372036854775808', STRING, BIGINT)).toBe(-9223372036854775808n);
    expect(() => castValue('2147483648', STRING, INTEGER)).toThrow(ValueError);
    expect(() => castValue('1.5', STRING, INTEGER)).toThrow('For input string: "1.5"');
    expect(castValue('1e3', STRING, DOUBLE)).toBe(1000);
    expect(castValue('NaN', STRING, DOUBLE)).toBeNaN();
    expect(() => castValue('abc', STRING, DOUBLE)).toThrow(ValueError);
  });

  it('casts to DECIMAL with HALF_UP rounding and overflow checks (cast.json)', () => {
    const d21 = decimalType(2, 1);
    const text = (v: SqlValue) => (v as Decimal).toFixed(1);
    expect(text(castValue(1, INTEGER, d21))).toBe('1.0');
    expect(text(castValue(-1, INTEGER, d21))).toBe('-1.0');
    expect(() => castValue(10, INTEGER, d21)).toThrow(/Numeric field overflow/);
    expect(text(castValue(0.1, DOUBLE, d21))).toBe('0.1');
    expect(text(castValue(0.99, DOUBLE, d21))).toBe('1.0');
    expect(text(castValue(0.01, DOUBLE, d21))).toBe('0.0');
    // The double 0.15 is just below 0.15; Java rounds it to 2 digits first (0.15), then to
    // scale 1 (0.2).
    expect(text(castValue(0.15, DOUBLE, d21))).toBe('0.2');
    expect((castValue(' 12.345 ', STRING, decimalType(5, 2)) as Decimal).toFixed(2)).toBe('12.35');
    expect(() => castValue(Number.POSITIVE_INFINITY, DOUBLE, d21)).toThrow(ValueError);
  });

  it('knows the exact value of a double', () => {
    expect(exactDecimalOfDouble(0.1).toFixed()).toBe(
      '0.1000000000000000055511151231257827021181583404541015625',
    );
    expect(exactDecimalOfDouble(-2.5).toFixed()).toBe('-2.5');
    expect(exactDecimalOfDouble(2 ** 60).toFixed()).toBe('1152921504606846976');
    expect(exactDecimalOfDouble(5e-324).toFixed()).toMatch(/^0\.0{323}49406564584124654/);
  });
});

describe('casts to and from STRING', () => {
  it('prints scalars as ksqlDB does', () => {
    expect(castValue(-1, INTEGER, STRING)).toBe('-1');
    expect(castValue(2147483648n, BIGINT, STRING)).toBe('2147483648');
    expect(castValue(1, DOUBLE, STRING)).toBe('1.0');
    expect(castValue(true, BOOLEAN, STRING)).toBe('true');
    expect(castValue(new Decimal('0'), decimalType(20, 16), STRING)).toBe('0.0000000000000000');
    expect(castValue(10, DATE, STRING)).toBe('1970-01-11');
    expect(castValue(5000, TIME, STRING)).toBe('00:00:05');
    expect(castValue(0, TIMESTAMP, STRING)).toBe('1970-01-01T00:00:00.000');
  });

  it('prints collections and structs as Java objects (cast.json)', () => {
    expect(castValue(new Map([['this', 1]]), mapType(STRING, INTEGER), STRING)).toBe('{this=1}');
    const t = struct(['F0', INTEGER], ['f1', INTEGER], ['G', STRING]);
    expect(castValue(makeStruct(t, { F0: 1, f1: 3 }), t, STRING)).toBe('Struct{F0=1,f1=3}');
    expect(castValue([1n, null, 3n], arrayType(BIGINT), STRING)).toBe('[1, null, 3]');
    expect(
      castValue(new Map([['a', [1.5, 2]]]) as SqlValue, mapType(STRING, arrayType(DOUBLE)), STRING),
    ).toBe('{a=[1.5, 2.0]}');
  });

  it('prints nested values with their Java classes', () => {
    expect(javaObjectText(new Decimal('0'), decimalType(20, 16))).toBe('0E-16');
    expect(javaBigDecimalText(new Decimal('0.00000012'), 8)).toBe('1.2E-7');
    expect(javaBigDecimalText(new Decimal('-0.000001'), 6)).toBe('-0.000001');
    expect(javaBigDecimalText(new Decimal('12.50'), 2)).toBe('12.50');
    expect(javaObjectText(Buffer.from('abc'), BYTES)).toBe('java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]');
    expect(javaObjectText(1_500, TIMESTAMP)).toBe('1970-01-01 00:00:01.5');
    expect(javaObjectText(0, TIMESTAMP)).toBe('1970-01-01 00:00:00.0');
    expect(javaObjectText(5_000, TIME)).toBe('00:00:05');
  });

  it('parses booleans and time texts', () => {
    expect(castValue('TRUE', STRING, BOOLEAN)).toBe(true);
    expect(castValue('yes', STRING, BOOLEAN)).toBe(false);
    expect(castValue('1970-01-11', STRING, DATE)).toBe(10);
    expect(castValue('00:00:05', STRING, TIME)).toBe(5000);
    expect(castValue('2018-01-01T00:00:00.001', STRING, TIMESTAMP)).toBe(Date.UTC(2018, 0, 1, 0, 0, 0, 1));
    expect(() => castValue('not a date', STRING, DATE)).toThrow(ValueError);
  });
});

describe('time and structured casts', () => {
  it('moves between time types (date.json, time.json)', () => {
    expect(castValue(5000, TIMESTAMP, DATE)).toBe(0);
    expect(castValue(-2000, TIMESTAMP, DATE)).toBe(-1);
    expect(castValue(86_400_100, TIMESTAMP, DATE)).toBe(1);
    expect(castValue(-2000, TIMESTAMP, TIME)).toBe(86_398_000);
    expect(castValue(86_400_100, TIMESTAMP, TIME)).toBe(100);
    expect(castValue(2, DATE, TIMESTAMP)).toBe(172_800_000);
  });

  it('casts collections and structs element-wise (cast.json)', () => {
    expect(castValue([1n, 3n, 2147483648n], arrayType(BIGINT), arrayType(INTEGER))).toEqual([
      1, 3, -2147483648,
    ]);
    expect(castValue([[1n, -3n]], arrayType(arrayType(BIGINT)), arrayType(arrayType(STRING)))).toEqual([
      ['1', '-3'],
    ]);
    expect(
      castValue(
        new Map([['k1', new Map([['k2', '10']])]]) as SqlValue,
        mapType(STRING, mapType(STRING, STRING)),
        mapType(STRING, mapType(STRING, INTEGER)),
      ),
    ).toEqual(new Map([['k1', new Map([['k2', 10]])]]));
    const from = struct(['A', INTEGER], ['B', STRING]);
    const to = struct(['B', INTEGER], ['C', STRING]);
    expect({ ...(castValue(makeStruct(from, { A: 1, B: '2' }), from, to) as object) }).toEqual({
      B: 2,
      C: null,
    });
  });

  it('refuses casts that do not type-check', () => {
    expect(() => castValue('x', STRING, arrayType(INTEGER))).toThrow(
      'Cast of STRING to ARRAY<INTEGER> is not supported',
    );
    expect(() => castValue(Buffer.from('x'), BYTES, STRING)).toThrow(ValueError);
    expect(castValue(null, STRING, INTEGER)).toBeNull();
  });
});
