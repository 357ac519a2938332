import { describe, expect, it } from 'vitest';
import { decimalType, mapType, SqlTypes, struct } from '../../engine/catalog/types.js';
import { Decimal } from '../../engine/catalog/values.js';
import { actualFromSqlRow, actualFromSqlValue } from '../../testkit/actual-from-sql.js';
import {
  type ActualRecord,
  type ActualValue,
  decodeJsonForComparison,
  doubleAsExactDecimal,
  javaDoubleText,
} from '../../testkit/actual-values.js';
import { compareOutputs, describeMismatches, matchRecord, matchValue } from '../../testkit/compare.js';
import { ExactDecimal } from '../../testkit/exact-decimal.js';
import { parseQttJson, type QttJson } from '../../testkit/json-values.js';
import { parseTestFile } from '../../testkit/qtt-loader.js';
import type { QueryTest, TestRecord } from '../../testkit/qtt-model.js';

/** An expected value as a test file would spell it. */
const expected = (json: string): QttJson => parseQttJson(json);
const decimal = (text: string): ExactDecimal => ExactDecimal.parse(text) as ExactDecimal;
const matches = (json: string, actual: ActualValue): boolean =>
  matchValue(expected(json), actual, 'value') === undefined;

/** Expected output records as a test file would spell them. */
function outputs(records: unknown[]): readonly TestRecord[] {
  const text = JSON.stringify({ tests: [{ name: 't', statements: ['s;'], outputs: records }] });
  return (parseTestFile(text, 't.json').tests[0] as QueryTest).outputs;
}
const record = (fields: Partial<ActualRecord>): ActualRecord => ({
  key: null,
  value: null,
  timestamp: 0,
  headers: [],
  ...fields,
});
const strict = { zeroTimestampIsWildcard: false };

describe('comparing values as upstream does', () => {
  it('matches null only with null', () => {
    expect(matches('null', null)).toBe(true);
    expect(matches('null', '')).toBe(false);
    expect(matches('null', 0n)).toBe(false);
  });

  it('matches an integer literal with an int/long, a double within 1e-6, or a decimal of scale <= 0', () => {
    expect(matches('5', 5n)).toBe(true);
    expect(matches('5', 6n)).toBe(false);
    expect(matches('9223372036854775807', 9223372036854775807n)).toBe(true);
    expect(matches('5', 5.0000001)).toBe(true);
    expect(matches('5', 5.01)).toBe(false);
    expect(matches('5', decimal('5'))).toBe(true);
    expect(matches('500', decimal('5E+2'))).toBe(true);
    expect(matches('5', decimal('5.0'))).toBe(false);
    expect(matches('5', '5')).toBe(false);
  });

  it('matches a decimal literal with a decimal of the same value and scale', () => {
    expect(matches('1.50', decimal('1.50'))).toBe(true);
    expect(matches('1.50', decimal('1.5'))).toBe(false);
    expect(matches('1.5', decimal('1.50'))).toBe(false);
    expect(matches('1.2E9', decimal('1.2E9'))).toBe(true);
    expect(matches('1.2E9', decimal('1200000000'))).toBe(false);
    expect(matches('10.1234512345123451234', decimal('10.1234512345123451234'))).toBe(true);
    expect(matches('10.1234512345123451234', decimal('10.1234512345123451235'))).toBe(false);
  });

  it('matches a decimal literal with a double within 1e-6 absolute', () => {
    expect(matches('1.50', 1.5)).toBe(true);
    expect(matches('0.1', 0.1000009)).toBe(true);
    expect(matches('0.1', 0.100002)).toBe(false);
    expect(matches('1.7976931348623157E308', 1.7976931348623157e308)).toBe(true);
  });

  it('matches a decimal literal with an int/long after truncating it, as upstream does', () => {
    expect(matches('1.9', 1n)).toBe(true);
    expect(matches('-1.9', -1n)).toBe(true);
    expect(matches('1.9', 2n)).toBe(false);
  });

  it('matches a string with a string, a decimal of that text (scale included), or bytes by base64', () => {
    expect(matches('"abc"', 'abc')).toBe(true);
    expect(matches('"abc"', 'ABC')).toBe(false);
    expect(matches('"2.20"', decimal('2.20'))).toBe(true);
    expect(matches('"2.2"', decimal('2.20'))).toBe(false);
    expect(matches('"IQ=="', Buffer.from([0x21]))).toBe(true);
    expect(matches('"IQ=="', Buffer.from([0x22]))).toBe(false);
    expect(matches('"2.2"', 2.2)).toBe(false);
  });

  it('matches booleans by value only', () => {
    expect(matches('true', true)).toBe(true);
    expect(matches('true', false)).toBe(false);
    expect(matches('true', 'true')).toBe(false);
  });

  it('matches arrays element by element and by length', () => {
    expect(matches('[1, 2.50]', [1n, decimal('2.50')])).toBe(true);
    expect(matches('[1, 2]', [1n])).toBe(false);
    expect(matchValue(expected('[1, [2, 3]]'), [1n, [2n, 4n]], 'value')).toEqual({
      path: 'value[1][1]',
      expected: '3 (integer literal)',
      actual: '4 (INT/BIGINT)',
    });
  });

  it('matches objects by field count, exact name or upper-cased name', () => {
    expect(matches('{"v": 1, "W": null}', { V: 1n, W: null })).toBe(true);
    expect(matches('{"V": 1}', { V: 1n, W: null })).toBe(false);
    expect(matches('{"V": 1, "W": null}', { V: 1n })).toBe(false);
    expect(matches('{"v": 1}', { v: 1n })).toBe(true);
    expect(matchValue(expected('{"A": {"B": 1.50}}'), { A: { B: decimal('1.5') } }, 'value')).toEqual({
      path: 'value.A.B',
      expected: '1.50 (decimal literal)',
      actual: '1.5 (DECIMAL, scale 1)',
    });
  });
});

describe('comparing records', () => {
  it('treats a missing key as a required null key', () => {
    const [noKey] = outputs([{ topic: 'T', value: 1 }]);
    expect(matchRecord(noKey as TestRecord, record({ value: 1n }), strict)).toEqual([]);
    expect(
      matchRecord(noKey as TestRecord, record({ key: 'k', value: 1n }), strict).map((m) => m.path),
    ).toEqual(['key']);
  });

  it('accepts any timestamp when none is expected, and 0 as "any" only for tests without inputs', () => {
    const [any, zero] = outputs([
      { topic: 'T', value: 1 },
      { topic: 'T', value: 1, timestamp: 0 },
    ]);
    expect(matchRecord(any as TestRecord, record({ value: 1n, timestamp: 99 }), strict)).toEqual([]);
    expect(
      matchRecord(zero as TestRecord, record({ value: 1n, timestamp: 99 }), strict).map((m) => m.path),
    ).toEqual(['timestamp']);
    expect(
      matchRecord(zero as TestRecord, record({ value: 1n, timestamp: 99 }), {
        zeroTimestampIsWildcard: true,
      }),
    ).toEqual([]);
  });

  it('requires the exact window when one is expected, and an unwindowed key when not', () => {
    const [windowed, plain] = outputs([
      { topic: 'T', key: 0, value: '5', window: { start: 0, end: 10009, type: 'session' } },
      { topic: 'T', key: 0, value: '5' },
    ]);
    const session = { start: 0, end: 10009, type: 'session' as const };
    expect(
      matchRecord(windowed as TestRecord, record({ key: 0n, value: '5', window: session }), strict),
    ).toEqual([]);
    const wrongEnd = record({ key: 0n, value: '5', window: { ...session, end: 10010 } });
    expect(matchRecord(windowed as TestRecord, wrongEnd, strict)).toEqual([
      { path: 'window', expected: 'session [0, 10009]', actual: 'session [0, 10010]' },
    ]);
    const timeWindow = record({ key: 0n, value: '5', window: { ...session, type: 'time' } });
    expect(matchRecord(windowed as TestRecord, timeWindow, strict).map((m) => m.path)).toEqual(['window']);
    expect(
      matchRecord(windowed as TestRecord, record({ key: 0n, value: '5' }), strict).map((m) => m.path),
    ).toEqual(['window']);
    expect(
      matchRecord(plain as TestRecord, record({ key: 0n, value: '5', window: session }), strict)[0]?.path,
    ).toBe('window');
  });

  it('compares headers in order and byte for byte; none expected means none allowed', () => {
    const [withHeaders, without] = outputs([
      {
        topic: 'T',
        value: 1,
        headers: [
          { KEY: 'a', VALUE: 'IQ==' },
          { KEY: 'b', VALUE: null },
        ],
      },
      { topic: 'T', value: 1 },
    ]);
    const headers = [
      { key: 'a', value: Buffer.from([0x21]) },
      { key: 'b', value: null },
    ];
    expect(matchRecord(withHeaders as TestRecord, record({ value: 1n, headers }), strict)).toEqual([]);
    const swapped = record({ value: 1n, headers: [...headers].reverse() });
    expect(matchRecord(withHeaders as TestRecord, swapped, strict).map((m) => m.path)).toEqual(['headers']);
    const emptyValue = record({
      value: 1n,
      headers: [
        { key: 'a', value: Buffer.from([0x21]) },
        { key: 'b', value: Buffer.alloc(0) },
      ],
    });
    expect(matchRecord(withHeaders as TestRecord, emptyValue, strict).map((m) => m.path)).toEqual([
      'headers',
    ]);
    expect(matchRecord(without as TestRecord, record({ value: 1n, headers }), strict)).toEqual([
      { path: 'headers', expected: 'no headers', actual: '[a="IQ==", b=null]' },
    ]);
  });

  it('turns top-level BYTES fields of a struct into base64, and empty ones into null', () => {
    const [bytesField, nullField] = outputs([
      { topic: 'T', value: { B: 'IQ==' } },
      { topic: 'T', value: { B: null } },
    ]);
    expect(
      matchRecord(bytesField as TestRecord, record({ value: { B: Buffer.from([0x21]) } }), strict),
    ).toEqual([]);
    expect(matchRecord(nullField as TestRecord, record({ value: { B: Buffer.alloc(0) } }), strict)).toEqual(
      [],
    );
  });
});

describe('comparing the outputs of a case', () => {
  const expectedOutputs = outputs([
    { topic: 'OUTPUT', key: 1, value: { SUM: 1.5 } },
    { topic: 'OUTPUT', key: 1, value: { SUM: 3.5 } },
    { topic: 'OTHER', key: 'x', value: null },
  ]);
  const actualOutput = [
    record({ key: 1n, value: { SUM: decimal('1.5') } }),
    record({ key: 1n, value: { SUM: decimal('3.5') } }),
  ];

  it('passes when every topic with expected records holds the same records in order', () => {
    const actual = new Map([
      ['OUTPUT', actualOutput],
      ['OTHER', [record({ key: 'x' })]],
      ['UNCHECKED', [record({ value: 'anything' })]],
    ]);
    expect(compareOutputs(expectedOutputs, actual, strict)).toEqual([]);
  });

  it('fails on order, naming the first differing record and field', () => {
    const actual = new Map([
      ['OUTPUT', [...actualOutput].reverse()],
      ['OTHER', [record({ key: 'x' })]],
    ]);
    const [mismatch, ...rest] = compareOutputs(expectedOutputs, actual, strict);
    expect(rest).toEqual([]);
    expect(mismatch?.summary).toBe(
      'topic OUTPUT: record 1 differs at value.SUM: expected 1.5 (decimal literal), actual 3.5 (DECIMAL, scale 1)',
    );
    expect(mismatch?.detail).toEqual([
      '  expected #1: key 1, value {"SUM": 1.5}',
      '  actual   #1: key 1, value {"SUM": 3.5}, timestamp 0',
    ]);
  });

  it('fails on missing and extra records, listing them', () => {
    const missing = compareOutputs(
      expectedOutputs,
      new Map([
        ['OUTPUT', actualOutput.slice(0, 1)],
        ['OTHER', []],
      ]),
      strict,
    );
    expect(missing.map((m) => m.summary)).toEqual([
      'topic OUTPUT: expected 2 records, got 1; the first 1 records match',
      'topic OTHER: expected 1 records, got 0; the first 0 records match',
    ]);
    expect(missing[0]?.detail).toEqual(['  missing  #2: key 1, value {"SUM": 3.5}']);
    const extra = compareOutputs(
      expectedOutputs,
      new Map([
        ['OUTPUT', actualOutput],
        ['OTHER', [record({ key: 'x' }), record({ key: 'y', value: 'more' })]],
      ]),
      strict,
    );
    expect(extra.map((m) => m.summary)).toEqual([
      'topic OTHER: expected 1 records, got 2; the first 1 records match',
    ]);
    expect(extra[0]?.detail).toEqual(['  extra    #2: key "y", value "more", timestamp 0']);
  });

  it('fails when no source or sink owns a topic with expected records', () => {
    const found = compareOutputs(expectedOutputs, new Map([['OUTPUT', actualOutput]]), strict);
    expect(describeMismatches(found)).toBe(
      'topic OTHER: no source or sink owns this topic, so its records cannot be read',
    );
  });
});

describe('decoding actual values for the comparison', () => {
  it('reads JSON integers as int/long and fractions as exact decimals keeping their scale', () => {
    const value = decodeJsonForComparison(
      Buffer.from('{"A": 1, "B": 1.50, "C": 1.0E10, "D": [true, null, "s"]}'),
    );
    expect(value).toEqual({ A: 1n, B: decimal('1.50'), C: decimal('1.0E10'), D: [true, null, 's'] });
    expect(matches('1.50', (value as { B: ActualValue }).B)).toBe(true);
  });

  it('reads fractions as doubles when exact numeric comparison is off', () => {
    const value = decodeJsonForComparison('{"B": 1.50}', { exactNumericComparison: false });
    expect(value).toEqual({ B: 1.5 });
    expect(matches('{"B": 1.5000001}', value)).toBe(true);
  });

  it("writes doubles as Java's Double.toString does, and KAFKA doubles compare as those decimals", () => {
    expect(
      [2, 2.2, 0.001, 0.0001, 1e7, 1.5e-7, 123456.789, -0, 1.7976931348623157e308].map(javaDoubleText),
    ).toEqual([
      '2.0',
      '2.2',
      '0.001',
      '1.0E-4',
      '1.0E7',
      '1.5E-7',
      '123456.789',
      '-0.0',
      '1.7976931348623157E308',
    ]);
    expect(matches('2.0', doubleAsExactDecimal(2))).toBe(true);
    expect(matches('2', doubleAsExactDecimal(2))).toBe(false);
    expect(matches('"2.2"', doubleAsExactDecimal(2.2))).toBe(true);
  });
});

describe('converting engine values for the comparison', () => {
  it('keeps the kinds the comparison tells apart: int/long, double, decimal with its scale', () => {
    const row = actualFromSqlRow(
      [7, 8n, 1.5, new Decimal('1.5'), new Map([['k', 19000]]), { A: null }],
      [
        { name: 'I', type: SqlTypes.INTEGER },
        { name: 'B', type: SqlTypes.BIGINT },
        { name: 'D', type: SqlTypes.DOUBLE },
        { name: 'DEC', type: decimalType(4, 2) },
        { name: 'M', type: mapType(SqlTypes.STRING, SqlTypes.DATE) },
        { name: 'S', type: struct(['A', SqlTypes.STRING]) },
      ],
    );
    expect(row).toEqual({ I: 7n, B: 8n, D: 1.5, DEC: decimal('1.50'), M: { k: 19000n }, S: { A: null } });
    expect(matches('{"I": 7, "B": 8, "D": 1.5, "DEC": 1.50, "M": {"k": 19000}, "S": {"A": null}}', row)).toBe(
      true,
    );
  });

  it('reads KAFKA doubles and bytes back the way upstream writes them', () => {
    expect(actualFromSqlValue(2, SqlTypes.DOUBLE, { kafkaFormat: true })).toEqual(decimal('2.0'));
    expect(actualFromSqlValue(Buffer.from('abc'), SqlTypes.BYTES, { kafkaFormat: true })).toBe('abc');
    expect(actualFromSqlValue(Buffer.from('abc'), SqlTypes.BYTES)).toEqual(Buffer.from('abc'));
  });
});
