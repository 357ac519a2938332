/**
 * Function calls through the registry seam: argument conversions the registry asks for, time
 * unit arguments, lambdas (TRANSFORM / FILTER / REDUCE shapes, nested, over maps), ksqlDB's
 * nested error handling, and the strict and safe entry points.
 */
import { describe, expect, it } from 'vitest';
import { formatType, SqlTypes } from '../../../engine/catalog/types.js';
import type { SqlValue } from '../../../engine/catalog/values.js';
import {
  compileExpression,
  compileExpressionSafe,
  type ExpressionScope,
} from '../../../engine/expr/compile.js';
import { ExpressionEvaluationError } from '../../../engine/expr/errors.js';
import { compile, parse, ROW, scope, testRegistry } from './expr-harness.js';

describe('calls', () => {
  it('converts arguments to the parameter types the registry asks for', () => {
    // ABS takes a BIGINT only: the INTEGER argument is widened.
    expect(compile('ABS(I2)').evaluate(ROW)).toBe(3n);
    expect(compile('ABS(-5)').evaluate(ROW)).toBe(5n);
    // A STRING literal where a TIMESTAMP is expected is parsed (TIMESTAMPADD(SECONDS, 1, '2020-01-01')).
    expect(compile("TIMESTAMPADD(SECONDS, 1, '2020-01-01')").evaluate(ROW)).toBe(1577836801000);
    expect(compile('TIMESTAMPADD(MINUTES, I, TS)').evaluate(ROW)).toBe(1514764800001 + 7 * 60_000);
  });

  it('concatenates with || (CONCAT)', () => {
    expect(compile("S || '-' || NUM").evaluate(ROW)).toBe('hello-42');
    expect(compile("CONCAT('abc-', 'def')").evaluate(ROW)).toBe('abc-def');
  });

  it('passes typed NULL literals', () => {
    expect(compile('IFNULL(NI, 10)').evaluate(ROW)).toBe(10);
    expect(compile('IFNULL(NULL, 10)').evaluate(ROW)).toBe(10);
  });

  it('reports a failing nested call and goes on with null (ksqlDB nested error handling)', () => {
    const errors: ExpressionEvaluationError[] = [];
    const compiled = compile("IFNULL(FAIL(), 'fallback')", { onError: (e) => errors.push(e) });
    expect(compiled.evaluate(ROW)).toBe('fallback');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.expressionText).toBe('FAIL()');
    expect(errors[0]!.cause).toBeInstanceOf(Error);
  });

  it('throws an ExpressionEvaluationError from evaluate when the whole expression fails', () => {
    const compiled = compile('FAIL()');
    let caught: unknown;
    try {
      compiled.evaluate(ROW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionEvaluationError);
    expect((caught as ExpressionEvaluationError).expressionText).toBe('FAIL()');
    expect((caught as Error).message).toBe('Error computing expression FAIL(): boom');
  });

  it('gives null and reports instead, with compileExpressionSafe', () => {
    const errors: ExpressionEvaluationError[] = [];
    const compiled = compileExpressionSafe(parse('100 / ZERO'), scope, testRegistry, (e) => errors.push(e));
    expect(compiled.evaluate(ROW)).toBe(null);
    expect(errors.map((e) => e.message)).toEqual(['Error computing expression (100 / ZERO): / by zero']);
  });
});

describe('lambdas', () => {
  it.each([
    // ksqlDB's evaluator parity tests
    ['FILTER(ARRAY[1,2,3], x => x > 5)', []],
    ['FILTER(ARRAY[1,2,3], x => x > 1)', [2, 3]],
    [
      'FILTER(ARRAY[ARRAY[1,2,3],ARRAY[4,5,6],ARRAY[7,8,9]], x => ARRAY_LENGTH(FILTER(x, y => y % 2 = 0)) > 1)',
      [[4, 5, 6]],
    ],
    [
      'TRANSFORM(ARRAY[ARRAY[1,2,3],ARRAY[4,5,6],ARRAY[7,8,9]], x => TRANSFORM(x, y => y % 2 = 0))',
      [
        [false, true, false],
        [true, false, true],
        [false, true, false],
      ],
    ],
    ['TRANSFORM(ARR, x => x + I)', [17, 27, 37]],
    [
      'TRANSFORM(ARR, x => TRANSFORM(ARRAY[1, 2], y => x + y))',
      [
        [11, 12],
        [21, 22],
        [31, 32],
      ],
    ],
    ['REDUCE(ARR, 0, (s, x) => s + x)', 60],
    ['REDUCE(ARR, B, (s, x) => s + x)', 70n],
    ["TRANSFORM(ARRAY['a', 'b'], x => CONCAT(x, S))", ['ahello', 'bhello']],
  ] as const)('%s', (sql, expected) => {
    expect(compile(sql).evaluate(ROW)).toEqual(expected);
  });

  it('fails the whole call when the body fails on a NULL element (transform-array.json, reduce-array.json)', () => {
    const errors: string[] = [];
    const onError = (e: ExpressionEvaluationError) => errors.push(e.message);
    const transform = compileExpressionSafe(
      parse('TRANSFORM(ARRAY[5, NI], x => x + 5)'),
      scope,
      testRegistry,
      onError,
    );
    expect(transform.evaluate(ROW)).toBe(null);
    const reduce = compileExpressionSafe(
      parse('REDUCE(ARRAY[5, NI], 2, (s, x) => s + x)'),
      scope,
      testRegistry,
      onError,
    );
    expect(reduce.evaluate(ROW)).toBe(null);
    expect(errors).toHaveLength(2);
    // A comparison with NULL is false, so FILTER keeps going (filter.json).
    expect(compile('FILTER(ARRAY[5, NI, 7], x => x > 5)').evaluate(ROW)).toEqual([7]);
  });

  it('works over maps with two parameters', () => {
    expect(
      compile(
        "FILTER(MAP(1 := 'cat', 2 := 'dog', 3 := 'rat'), (x, y) => x > 1 AND INSTR(y, 'at') > 0)",
      ).evaluate(ROW),
    ).toEqual(new Map<SqlValue, SqlValue>([[3, 'rat']]));
    expect(
      compile(
        "TRANSFORM(MAP(1 := MAP('a' := 'cat', 'b' := 'rat'), 2 := MAP('c' := 'dog', 'd' := 'frog')), (x, y) => x, (x, y) => TRANSFORM(y, (a, b) => a + 'z', (a, b) => 'pet ' + b))",
      ).evaluate(ROW),
    ).toEqual(
      new Map<SqlValue, SqlValue>([
        [
          1,
          new Map<SqlValue, SqlValue>([
            ['az', 'pet cat'],
            ['bz', 'pet rat'],
          ]),
        ],
        [
          2,
          new Map<SqlValue, SqlValue>([
            ['cz', 'pet dog'],
            ['dz', 'pet frog'],
          ]),
        ],
      ]),
    );
  });

  it('types the result from the body', () => {
    expect(formatType(compile('TRANSFORM(ARR, x => CAST(x AS STRING))').type)).toBe('ARRAY<STRING>');
    expect(formatType(compile('TRANSFORM(ARR, x => x > 1)').type)).toBe('ARRAY<BOOLEAN>');
  });

  it('evaluates the same compiled lambda for many rows', () => {
    const compiled = compile('TRANSFORM(ARR, x => x * I)');
    const row2 = [...ROW];
    row2[0] = 2;
    expect(compiled.evaluate(ROW)).toEqual([70, 140, 210]);
    expect(compiled.evaluate(row2)).toEqual([20, 40, 60]);
  });

  it('fails to compile a body that does not type', () => {
    expect(() => compile('TRANSFORM(ARR, x => x + S)')).toThrow('Error processing expression: (X + S)');
    expect(() => compile("FILTER(ARR, x => x > 'a')")).toThrow("Cannot compare X (INTEGER) to 'a' (STRING)");
  });
});

describe('precomputed sub-expressions', () => {
  it('reads an expression the scope resolves (an aggregate in HAVING) from the row', () => {
    const having: ExpressionScope = {
      resolveColumn: (source, name) => scope.resolveColumn(source, name),
      resolveExpression: (e) =>
        e.kind === 'FunctionCall' && e.name === 'SUM' ? { index: 99, type: SqlTypes.BIGINT } : undefined,
    };
    const row = [...ROW];
    row[99] = 150n;
    const compiled = compileExpression(parse('SUM(I) > 100 AND I > 1'), having, testRegistry);
    expect(compiled.evaluate(row)).toBe(true);
    expect(() => compileExpression(parse("SUM(I) > '100'"), having, testRegistry)).toThrow(
      "Cannot compare SUM(I) (BIGINT) to '100' (STRING) with GREATER_THAN.",
    );
  });
});
