import { describe, expect, it } from 'vitest';
import { decimalType, formatType, SqlTypes } from '../../../../engine/catalog/types.js';
import { Decimal, type SqlValue } from '../../../../engine/catalog/values.js';
import { callFunction, resolveCall } from './call-function.js';

const { INTEGER, BIGINT, DOUBLE, STRING, DATE, TIME } = SqlTypes;
const d = (v: number | null) => [DOUBLE, v] as const;
const i = (v: number | null) => [INTEGER, v] as const;
const l = (v: bigint | null) => [BIGINT, v] as const;
const dec = (p: number, s: number, v: string | null) =>
  [decimalType(p, s), v === null ? null : new Decimal(v)] as const;
const text = (v: SqlValue) => (v instanceof Decimal ? v.toFixed() : String(v));

describe('math functions', () => {
  it('ROUND of a DOUBLE: halves towards positive infinity, with decimal places (math.json)', () => {
    const rows: [number, bigint, number, number, number][] = [
      // v, ROUND(v), ROUND(v, 0), ROUND(v, 1), ROUND(v, -1)
      [1.2, 1n, 1.0, 1.2, 0.0],
      [1.5, 2n, 2.0, 1.5, 0.0],
      [1.234567, 1n, 1.0, 1.2, 0.0],
      [111, 111n, 111.0, 111.0, 110.0],
      [-1.5, -1n, -1.0, -1.5, 0.0],
      [-1.7, -2n, -2.0, -1.7, 0.0],
    ];
    for (const [v, r0, r00, r1, r1neg] of rows) {
      expect(callFunction('ROUND', d(v))).toBe(r0);
      expect(callFunction('ROUND', d(v), i(0))).toBe(r00);
      expect(callFunction('ROUND', d(v), i(1))).toBe(r1);
      expect(callFunction('ROUND', d(v), i(-1))).toBe(r1neg);
    }
    expect(callFunction('ROUND', d(1.234567), i(2))).toBe(1.23);
    expect(callFunction('ROUND', d(111), i(-2))).toBe(100);
    expect(callFunction('ROUND', d(null))).toBeNull();
    expect(resolveCall('ROUND', d(1)).returnType).toBe(BIGINT);
    expect(resolveCall('ROUND', d(1), i(1)).returnType).toBe(DOUBLE);
    expect(callFunction('ROUND', i(7))).toBe(7n);
    expect(resolveCall('ROUND', i(7)).returnType).toBe(BIGINT);
  });

  it('ROUND of a large DECIMAL keeps its digits (math.json)', () => {
    const v = dec(33, 16, '12345678987654321.2345678987654321');
    expect(text(callFunction('ROUND', v))).toBe('12345678987654321');
    expect(formatType(resolveCall('ROUND', v).returnType)).toBe('DECIMAL(17, 0)');
    expect(formatType(resolveCall('ROUND', v, i(2)).returnType)).toBe('DECIMAL(33, 16)');
    const places = (n: number) => {
      const call = resolveCall('ROUND', v, i(n));
      const result = callFunction('ROUND', v, i(n)) as Decimal;
      return result.toFixed((call.returnType as { scale: number }).scale);
    };
    expect(places(0)).toBe('12345678987654321.0000000000000000');
    expect(places(1)).toBe('12345678987654321.2000000000000000');
    expect(places(2)).toBe('12345678987654321.2300000000000000');
    expect(places(10)).toBe('12345678987654321.2345678988000000');
    expect(places(-1)).toBe('12345678987654320.0000000000000000');
    expect(places(-2)).toBe('12345678987654300.0000000000000000');
  });

  it('TRUNC drops digits towards zero (math.json)', () => {
    expect(callFunction('TRUNC', d(1.7))).toBe(1n);
    expect(callFunction('TRUNC', d(1.7), i(0))).toBe(1.0);
    expect(callFunction('TRUNC', d(1.234567), i(2))).toBe(1.23);
    expect(callFunction('TRUNC', d(111), i(-1))).toBe(110);
    expect(callFunction('TRUNC', l(2147483648n))).toBe(2147483648n);
    expect(text(callFunction('TRUNC', dec(12, 7, '1.7'), i(0)))).toBe('1');
    expect(text(callFunction('TRUNC', dec(12, 7, '-1.2345670')))).toBe('-1');
  });

  it('CEIL and FLOOR keep the argument type (math.json)', () => {
    expect(callFunction('CEIL', d(1.1))).toBe(2.0);
    expect(callFunction('FLOOR', d(1.9))).toBe(1.0);
    expect(callFunction('FLOOR', i(1))).toBe(1);
    expect(text(callFunction('CEIL', dec(2, 1, '1.1')))).toBe('2');
    expect(text(callFunction('FLOOR', dec(2, 1, '-1.1')))).toBe('-2');
    expect(formatType(resolveCall('CEIL', dec(2, 1, '1.1')).returnType)).toBe('DECIMAL(2, 1)');
  });

  it('functions of a DOUBLE accept INTEGER and BIGINT by widening (math.json)', () => {
    expect(callFunction('EXP', i(1))).toBe(Math.E);
    expect(callFunction('EXP', l(2n))).toBe(7.38905609893065);
    expect(callFunction('EXP', d(-3))).toBe(0.049787068367863944);
    expect(callFunction('LN', i(2))).toBe(Math.LN2);
    expect(callFunction('LN', i(0))).toBe(Number.NEGATIVE_INFINITY);
    expect(callFunction('LN', d(3))).toBe(1.0986122886681098);
    expect(callFunction('LOG', d(10), d(1000))).toBeCloseTo(3, 12);
    expect(callFunction('LOG', d(1), d(5))).toBeNaN();
    expect(callFunction('LOG', d(10), d(0))).toBe(Number.NEGATIVE_INFINITY);
    expect(callFunction('LN', i(-1))).toBeNaN();
    expect(callFunction('CBRT', i(-8))).toBe(-2.0);
    expect(callFunction('CBRT', l(3n))).toBe(1.4422495703074083);
    expect(callFunction('COT', i(0))).toBe(Number.POSITIVE_INFINITY);
    expect(callFunction('ACOS', i(2))).toBeNaN();
    expect(callFunction('ROUND', [DOUBLE, callFunction('ATAN2', i(-2), i(-3))], i(13))).toBe(
      -2.5535900500422,
    );
    expect(callFunction('ROUND', [DOUBLE, callFunction('DEGREES', d(1.2345))], i(12))).toBe(70.7316398089);
    expect(callFunction('ROUND', [DOUBLE, callFunction('COSH', i(-7))], i(13))).toBe(548.317035155212);
    expect(callFunction('SQRT', i(16))).toBe(4);
    expect(callFunction('POWER', i(2), i(10))).toBe(1024);
  });

  it('ABS and SIGN keep or report the sign', () => {
    expect(callFunction('ABS', i(-3))).toBe(3);
    expect(callFunction('ABS', l(-3n))).toBe(3n);
    expect(text(callFunction('ABS', dec(4, 2, '-1.25')))).toBe('1.25');
    expect(callFunction('SIGN', d(-0.5))).toBe(-1);
    expect(callFunction('SIGN', l(0n))).toBe(0);
  });

  it('GREATEST and LEAST ignore nulls and compare within one type (greatest.json, least.json)', () => {
    expect(callFunction('GREATEST', d(50000.555), d(-99999.555), d(null), [null, null])).toBe(50000.555);
    expect(callFunction('LEAST', d(50000.555), d(-99999.555), d(null), [null, null])).toBe(-99999.555);
    const strings = [STRING, 'apple'] as const;
    expect(callFunction('GREATEST', strings, [STRING, 'banana'], [STRING, null], [STRING, 'hello'])).toBe(
      'hello',
    );
    const decimal = resolveCall('GREATEST', dec(9, 2, '1234567.89'), dec(7, 6, '0.123456'));
    expect(formatType(decimal.returnType)).toBe('DECIMAL(13, 6)');
    expect(text(callFunction('GREATEST', dec(9, 2, '1234567.89'), dec(7, 6, '0.123456')))).toBe('1234567.89');
    // A STRING literal among DATEs and TIMEs is taken as one (greatest.json "with dates").
    expect(resolveCall('GREATEST', [DATE, 19071], [STRING, '2022-06-14']).parameterTypes).toEqual([
      DATE,
      DATE,
    ]);
    expect(callFunction('GREATEST', [DATE, 19071], [DATE, -5883], [DATE, 19157])).toBe(19157);
    expect(callFunction('GREATEST', [TIME, 33359999], [TIME, 10], [TIME, 33360000])).toBe(33360000);
  });

  it('GEO_DISTANCE in kilometres and miles (geodistance.json)', () => {
    const [lat1, lon1, lat2, lon2] = [d(37.4439), d(-122.1663), d(51.5257), d(-0.1122)];
    expect(callFunction('GEO_DISTANCE', lat1, lon1, lat2, lon2)).toBeCloseTo(8634.659796579544, 9);
    // udf-implicit-cast.json: the same doubles as Java, to the last digit.
    expect(callFunction('GEO_DISTANCE', d(37.4439), d(-122.1663), i(51), i(0))).toBe(8682.459061368269);
    expect(() => callFunction('GEO_DISTANCE', d(91), d(0), d(0), d(0))).toThrow(/latitude/);
    expect(() => callFunction('GEO_DISTANCE', d(0), d(0), d(0), d(0), [STRING, 'parsecs'])).toThrow(/units/);
    expect(callFunction('GEO_DISTANCE', lat1, lon1, lat2, lon2, [STRING, null])).toBeCloseTo(
      8634.659796579544,
      9,
    );
    expect(callFunction('GEO_DISTANCE', lat1, lon1, lat2, lon2, [STRING, 'MI'])).toBeCloseTo(
      5365.659729188262,
      9,
    );
    expect(
      callFunction('GEO_DISTANCE', d(39.18660374), d(-76.73262144), d(39.18660374), d(-76.73222145)),
    ).toBeCloseTo(0.03447366811448324, 12);
    expect(callFunction('GEO_DISTANCE', i(0), i(0), i(0), i(0))).toBe(0);
  });
});
