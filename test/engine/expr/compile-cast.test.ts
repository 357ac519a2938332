/**
 * CAST between every pair of types ksqlDB allows, with Java's conversions (cast.json and
 * ksqlDB's evaluator parity tests), and its message for the pairs it refuses. A conversion
 * that fails on a value gives null and a processing-log entry.
 */
import { describe, expect, it } from 'vitest';
import { formatType } from '../../../engine/catalog/types.js';
import { type Decimal, isDecimal, type SqlValue } from '../../../engine/catalog/values.js';
import type { ExpressionEvaluationError } from '../../../engine/expr/errors.js';
import { compile, compileError, ROW, structValue } from './expr-harness.js';

function castValue(sql: string): SqlValue {
  return compile(sql).evaluate(ROW);
}

describe('CAST to numbers', () => {
  it.each([
    ['CAST(1 AS DOUBLE)', 1],
    ['CAST(1 AS BIGINT)', 1n],
    ['CAST(1.23E1 AS INTEGER)', 12],
    ['CAST(1.23E1 AS BIGINT)', 12n],
    ['CAST(-1.9E0 AS INTEGER)', -1],
    ['CAST(2.345 AS DOUBLE)', 2.345],
    ['CAST(2.345 AS INTEGER)', 2],
    ['CAST(2.345 AS BIGINT)', 2n],
    ["CAST('123' AS INTEGER)", 123],
    ["CAST(' 123 ' AS INTEGER)", 123],
    ["CAST('123' AS BIGINT)", 123n],
    ["CAST('123' AS DOUBLE)", 123],
    ["CAST('1e3' AS DOUBLE)", 1000],
    // array<bigint> to array<int> in cast.json: Java's intValue keeps the low 32 bits
    ['CAST(2147483648 AS INTEGER)', -2147483648],
    ['CAST(BMAX AS INTEGER)', -1],
    // (int) and (long) of a double saturate
    ['CAST(1.0E20 AS INTEGER)', 2147483647],
    ['CAST(1.0E20 AS BIGINT)', 9223372036854775807n],
    ['CAST(I - I2 AS BIGINT)', 10n],
    ['CAST(D AS INTEGER)', 2],
  ] as const)('%s', (sql, expected) => {
    expect(castValue(sql)).toEqual(expected);
  });

  it.each([
    ['CAST(1 AS DECIMAL(2,1))', 'DECIMAL(2, 1)', '1.0'],
    ['CAST(1.23E1 AS DECIMAL(5,1))', 'DECIMAL(5, 1)', '12.3'],
    ["CAST('123' AS DECIMAL(5,1))", 'DECIMAL(5, 1)', '123.0'],
    // cast.json "double to decimal": HALF_UP to the scale
    ['CAST(0.99E0 AS DECIMAL(2,1))', 'DECIMAL(2, 1)', '1.0'],
    ['CAST(0.01E0 AS DECIMAL(2,1))', 'DECIMAL(2, 1)', '0.0'],
    ['CAST(0.05E0 AS DECIMAL(2,1))', 'DECIMAL(2, 1)', '0.1'],
    ['CAST(DEC AS DECIMAL(3,1))', 'DECIMAL(3, 1)', '10.0'],
    ['CAST(-1 AS DECIMAL(2,1))', 'DECIMAL(2, 1)', '-1.0'],
  ] as const)('%s is %s %s', (sql, type, text) => {
    const compiled = compile(sql);
    expect(formatType(compiled.type)).toBe(type);
    const value = compiled.evaluate(ROW);
    expect(isDecimal(value)).toBe(true);
    expect((value as Decimal).toFixed(compiled.type.kind === 'DECIMAL' ? compiled.type.scale : 0)).toBe(text);
  });
});

describe('CAST to and from STRING, BOOLEAN and time types', () => {
  it.each([
    ['CAST(I - I2 AS STRING)', '10'],
    ['CAST(B AS STRING)', '10'],
    ['CAST(D AS STRING)', '2.5'],
    ['CAST(1.0E7 AS STRING)', '1.0E7'],
    ['CAST(DEC AS STRING)', '10.01'],
    ['CAST(BOOL AS STRING)', 'true'],
    ['CAST(TS AS STRING)', '2018-01-01T00:00:00.001'],
    ['CAST(DT AS STRING)', '2018-01-01'],
    ['CAST(ARR AS STRING)', '[10, 20, 30]'],
    // cast.json "map to string" and "struct to string" (Java's toString; a struct drops nulls)
    ['CAST(M AS STRING)', '{a=1, b=2}'],
    ['CAST(STRUCT(F0 := 1, `f1` := 3) AS STRING)', 'Struct{F0=1,f1=3}'],
    ['CAST(STRUCT(F0 := 1, F1 := NI) AS STRING)', 'Struct{F0=1}'],
    ["CAST('true' AS BOOLEAN)", true],
    ["CAST('YES' AS BOOLEAN)", true],
    ["CAST('t' AS BOOLEAN)", true],
    ["CAST('no' AS BOOLEAN)", false],
    ["CAST('anything' AS BOOLEAN)", false],
    ["CAST('01:00:00.005' AS TIME)", 3600005],
    ["CAST('2002-02-20' AS DATE)", 11738],
    ["CAST('2018-01-01T00:00:00.001' AS TIMESTAMP)", 1514764800001],
    // ksqlDB parity tests: TIMESTAMP 1273881610000 is DATE 1273881600000 and TIME 10000
    ['CAST(TO_TS(CAST(1273881610000 AS STRING)) AS DATE)', null],
    ["CAST(TO_TS('2010-05-15T00:00:10') AS DATE)", 14744],
    ["CAST(TO_TS('2010-05-15T00:00:10') AS TIME)", 10000],
    ['CAST(TS AS DATE)', 17532],
    ['CAST(TS AS TIME)', 1],
    ['CAST(DT AS TIMESTAMP)', 1514764800000],
  ] as const)('%s', (sql, expected) => {
    expect(castValue(sql)).toEqual(expected);
  });

  it('casts collections and structs element by element', () => {
    expect(castValue('CAST(ARRB AS ARRAY<INTEGER>)')).toEqual([10, 20, 30]);
    expect(castValue('CAST(ARR AS ARRAY<STRING>)')).toEqual(['10', '20', '30']);
    expect(castValue('CAST(NESTED AS ARRAY<ARRAY<STRING>>)')).toEqual([['0', '1'], ['2']]);
    expect(castValue('CAST(M AS MAP<STRING, BIGINT>)')).toEqual(
      new Map<SqlValue, SqlValue>([
        ['a', 1n],
        ['b', 2n],
      ]),
    );
    expect(castValue("CAST(MAP('k1' := MAP('k2' := '10')) AS MAP<STRING, MAP<STRING, INTEGER>>)")).toEqual(
      new Map<SqlValue, SqlValue>([['k1', new Map<SqlValue, SqlValue>([['k2', 10]])]]),
    );
    expect(castValue('CAST(ST AS STRUCT<NAME STRING, MISSING INTEGER>)')).toEqual(
      structValue({ NAME: 'ann', MISSING: null }),
    );
  });
});

describe('CAST failures', () => {
  it.each([
    ["CAST('123' AS ARRAY<INTEGER>)", 'Cast of STRING to ARRAY<INTEGER> is not supported'],
    [
      'CAST(S AS STRUCT<F0 VARCHAR, F1 INTEGER>)',
      'Cast of STRING to STRUCT<`F0` STRING, `F1` INTEGER> is not supported',
    ],
    ['CAST(TM AS TIMESTAMP)', 'Cast of TIME to TIMESTAMP is not supported'],
    ['CAST(BYT AS STRING)', 'Cast of BYTES to STRING is not supported'],
    ['CAST(BOOL AS INTEGER)', 'Cast of BOOLEAN to INTEGER is not supported'],
    ['CAST(S AS NOSUCHTYPE)', 'NOSUCHTYPE'],
  ])('%s: %s', (sql, message) => {
    expect(compileError(sql).message).toContain(message);
  });

  it('gives null for a value that does not convert, and reports it', () => {
    const errors: ExpressionEvaluationError[] = [];
    const onError = (e: ExpressionEvaluationError) => errors.push(e);
    expect(compile('CAST(S AS INTEGER)', { onError }).evaluate(ROW)).toBe(null);
    // cast.json "integer to decimal": 10 does not fit DECIMAL(2,1)
    expect(compile('CAST(B AS DECIMAL(2,1))', { onError }).evaluate(ROW)).toBe(null);
    expect(compile("CAST('2020-13-45' AS DATE)", { onError }).evaluate(ROW)).toBe(null);
    expect(errors.map((e) => e.expressionText)).toEqual([
      'CAST(S AS INTEGER)',
      'CAST(B AS DECIMAL(2, 1))',
      "CAST('2020-13-45' AS DATE)",
    ]);
    expect(errors[0]!.message).toContain('For input string: "hello"');
    expect(errors[1]!.message).toContain('Numeric field overflow');
  });

  it('keeps evaluating around a failed cast (ksqlDB nested error handling)', () => {
    expect(compile('IFNULL(CAST(S AS INTEGER), 0)').evaluate(ROW)).toBe(0);
    expect(compile('CAST(NUM AS INTEGER) + 1').evaluate(ROW)).toBe(43);
  });
});
