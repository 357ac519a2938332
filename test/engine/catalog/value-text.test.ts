import { describe, expect, it } from 'vitest';
import {
  epochDay,
  formatDate,
  formatTime,
  formatTimestamp,
  javaDoubleToString,
  millisOfDay,
  parseDateText,
  parseTimestampText,
  parseTimeText,
} from '../../../engine/catalog/value-text.js';
import { ValueError } from '../../../engine/catalog/values.js';

describe('javaDoubleToString', () => {
  // Expected texts are what Java's Double.toString prints (JDK 19+ shortest digits); several
  // come straight from ksqlDB conformance outputs (literals.json, key-schemas.json).
  it.each([
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [123456.789, '123456.789'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [12345678, '1.2345678E7'],
    [1e21, '1.0E21'],
    [1e23, '1.0E23'],
    [100, '100.0'],
    [2e-323, '2.0E-323'],
    [22026.465794806718, '22026.465794806718'],
    [4.9e-324, '4.9E-324'],
    [-4.9e-324, '-4.9E-324'],
    [2.2250738585072014e-308, '2.2250738585072014E-308'],
    [1.7976931348623157e308, '1.7976931348623157E308'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('%s -> %s', (d, expected) => {
    expect(javaDoubleToString(d)).toBe(expected);
  });
});

describe('javaDoubleToString on many doubles', () => {
  it('reads back exactly, in the notation Java picks for the magnitude', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 5000; i++) {
      const d = (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
      const text = javaDoubleToString(d);
      expect(Number(text), text).toBe(d);
      const abs = Math.abs(d);
      if (abs >= 1e-3 && abs < 1e7) expect(text, String(d)).toMatch(/^-?\d+\.\d+$/);
      else expect(text, String(d)).toMatch(/^-?\d\.\d+E-?\d+$/);
    }
  });
});

describe('time texts', () => {
  it('formats dates as yyyy-MM-dd', () => {
    // date.json: CAST(DATE 10 AS STRING) is 1970-01-11, CAST(-1) is 1969-12-31.
    expect(formatDate(10)).toBe('1970-01-11');
    expect(formatDate(-1)).toBe('1969-12-31');
    expect(formatDate(19_000)).toBe('2022-01-08');
  });

  it('formats times as LocalTime does, without millis', () => {
    // time.json: CAST(TIME 5000 AS STRING) is 00:00:05.
    expect(formatTime(5000)).toBe('00:00:05');
    expect(formatTime(0)).toBe('00:00');
    expect(formatTime(3_600_000 + 60_000)).toBe('01:01');
    expect(formatTime(86_399_999)).toBe('23:59:59');
  });

  it('formats timestamps as yyyy-MM-ddTHH:mm:ss.SSS in UTC', () => {
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00.000');
    expect(formatTimestamp(1_524_760_769_983)).toBe('2018-04-26T16:39:29.983');
    expect(formatTimestamp(-1)).toBe('1969-12-31T23:59:59.999');
  });

  it('splits timestamps into days and millis of day, flooring negatives', () => {
    // date.json / time.json casts: TIMESTAMP -2000 is DATE -1 and TIME 86398000.
    expect(epochDay(-2000)).toBe(-1);
    expect(millisOfDay(-2000)).toBe(86_398_000);
    expect(epochDay(86_400_100)).toBe(1);
    expect(millisOfDay(86_400_100)).toBe(100);
  });
});

describe('parsing time texts', () => {
  it('parses partial ISO timestamps as ksqlDB does for ROWTIME comparisons', () => {
    expect(parseTimestampText('2018')).toBe(Date.UTC(2018, 0, 1));
    expect(parseTimestampText('2018-03')).toBe(Date.UTC(2018, 2, 1));
    expect(parseTimestampText('2019-01-01T00:00:00')).toBe(Date.UTC(2019, 0, 1));
    expect(parseTimestampText('2018-01-01T00:00:00.001')).toBe(Date.UTC(2018, 0, 1, 0, 0, 0, 1));
    expect(parseTimestampText('1970-01-01T00:00:00.010')).toBe(10);
    expect(parseTimestampText('2017-11-17T04:53')).toBe(Date.UTC(2017, 10, 17, 4, 53));
    expect(parseTimestampText('2018-01-01T00:00:00.123456')).toBe(Date.UTC(2018, 0, 1, 0, 0, 0, 123));
  });

  it('applies zone offsets', () => {
    // 00:00 at +04:45 is 19:15 UTC the day before.
    expect(parseTimestampText('2019-01-01T00:00:00+0445')).toBe(Date.UTC(2018, 11, 31, 19, 15));
    expect(parseTimestampText('2019-01-01T00:00:00+04:45')).toBe(Date.UTC(2018, 11, 31, 19, 15));
    expect(parseTimestampText('2019-01-01T00:00:00-02')).toBe(Date.UTC(2019, 0, 1, 2));
    expect(parseTimestampText('2019-01-01T00:00:00Z')).toBe(Date.UTC(2019, 0, 1));
  });

  it('round-trips with formatTimestamp', () => {
    for (const millis of [0, -1, 1_524_760_769_983, 253_402_300_799_999]) {
      expect(parseTimestampText(formatTimestamp(millis))).toBe(millis);
    }
  });

  it('refuses malformed or impossible timestamps', () => {
    for (const text of ['18', '2018-1-1', '2018-02-30', '2018-01-01T24:00', '2018-01-01 00:00', 'now', '']) {
      expect(() => parseTimestampText(text), text).toThrow(ValueError);
    }
  });

  it('parses dates and times', () => {
    expect(parseDateText('1970-01-11')).toBe(10);
    expect(parseDateText('1969-12-31')).toBe(-1);
    expect(() => parseDateText('1970-01-01T00:00')).toThrow(ValueError);
    expect(parseTimeText('00:00:00.010')).toBe(10);
    expect(parseTimeText('00:00:05')).toBe(5000);
    expect(parseTimeText('23:59')).toBe(86_340_000);
    expect(() => parseTimeText('24:00')).toThrow(ValueError);
    expect(() => parseTimeText('1:00')).toThrow(ValueError);
  });
});
