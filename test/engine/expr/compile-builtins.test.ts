/**
 * The compiler with the real built-in function registry: the seam between the two (argument
 * typing, lambdas typed by the registry, conversions it asks for, its messages) against
 * expectations from ksqlDB's conformance files.
 */
import { describe, expect, it } from 'vitest';
import { formatType } from '../../../engine/catalog/types.js';
import type { SqlValue } from '../../../engine/catalog/values.js';
import { compileExpression, compileExpressionSafe } from '../../../engine/expr/compile.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { parse, ROW, scope } from './expr-harness.js';

function run(sql: string): SqlValue {
  return compileExpressionSafe(parse(sql), scope, builtinFunctions, () => {}).evaluate(ROW);
}

describe('built-in functions through the compiler', () => {
  it.each([
    // transform-array.json, reduce-array.json, filter.json
    ['TRANSFORM(ARRAY[3, 6], x => x + 5)', [8, 11]],
    ['TRANSFORM(ARRAY[5, NI], x => x + 5)', null],
    ["TRANSFORM(ARRAY['check', NS, 'null'], x => UCASE(x))", ['CHECK', null, 'NULL']],
    ['REDUCE(ARRAY[3, 6], 2, (s, x) => s + x)', 11],
    ['REDUCE(ARRAY[5, NI], 2, (s, x) => s + x)', null],
    ["REDUCE(ARRAY['to be or', NS], '', (state, x) => CONCAT(state, x))", 'to be or'],
    ['FILTER(ARRAY[3, 6, 2, 10], x => x > 5)', [6, 10]],
    ['FILTER(ARRAY[5, NI], x => x > 5)', []],
    // null.json
    ['IFNULL(NI, 10)', 10],
    ["IFNULL(NS, 'x')", 'x'],
    ['IFNULL(ARR, ARRAY[10, 20])', [10, 20, 30]],
    ["IFNULL(M['missing'], -1)", -1],
    ['IFNULL(NESTED[2][2], -1)', -1],
    // concat.json: || is CONCAT
    ["S || '-' || NUM", 'hello-42'],
    ["TIMESTAMPADD(SECONDS, 1, '2020-01-01')", 1577836801000],
  ] as const)('%s', (sql, expected) => {
    expect(run(sql)).toEqual(expected);
  });

  it('types calls by the registry', () => {
    expect(
      formatType(
        compileExpression(parse('TRANSFORM(ARR, x => CAST(x AS STRING))'), scope, builtinFunctions).type,
      ),
    ).toBe('ARRAY<STRING>');
    expect(formatType(compileExpression(parse('ARRAY_LENGTH(ARR)'), scope, builtinFunctions).type)).toBe(
      'INTEGER',
    );
  });

  it("passes on the registry's messages (greatest.json)", () => {
    expect(() => compileExpression(parse('GREATEST(I, B)'), scope, builtinFunctions)).toThrow(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).",
    );
    expect(() => compileExpression(parse('WONT_FIND_ME(I)'), scope, builtinFunctions)).toThrow(
      "Can't find any functions with the name 'WONT_FIND_ME'",
    );
  });
});
