/**
 * ksqlDB-style expression text (as its messages print expressions) and the generic walks the
 * planner builds on.
 */
import { describe, expect, it } from 'vitest';
import { expressionText } from '../../../engine/expr/expression-text.js';
import {
  childExpressions,
  collectAggregateCalls,
  collectColumnRefs,
  containsAggregateCall,
  rewriteExpression,
  walkExpression,
} from '../../../engine/expr/expression-walk.js';
import type { Expression } from '../../../parser/ast.js';
import { parse, testRegistry } from './expr-harness.js';

describe('expressionText', () => {
  it.each([
    // texts from ksqlDB's messages in its conformance files
    ['TRUE + 1.5', '(true + 1.5)'],
    ['F1 * SUM(F2)', '(F1 * SUM(F2))'],
    ['S1.ID = 0', '(S1.ID = 0)'],
    ['(L.A = R.A) AND (L.A = R.A)', '((L.A = R.A) AND (L.A = R.A))'],
    ["MAP('a' := VAL1)", "MAP('a':=VAL1)"],
    ['STRUCT(F0 := VAL1)', 'STRUCT(F0:=VAL1)'],
    ['ARRAY[VAL1]', 'ARRAY[VAL1]'],
    ['SUBSTRING(REGION, 7, 3)', 'SUBSTRING(REGION, 7, 3)'],
    ['CAST(LEFT_TABLE.FOREIGN_KEY AS STRING)', 'CAST(LEFT_TABLE.FOREIGN_KEY AS STRING)'],
    ['COUNT(*)', 'COUNT(*)'],
    ["'it''s'", "'it''s'"],
    ['NULL', 'null'],
    ['NOT A', '(NOT A)'],
    ['A IS NOT NULL', '(A IS NOT NULL)'],
    ['A BETWEEN 1 AND 2', '(A BETWEEN 1 AND 2)'],
    ['A NOT IN (1, 2)', '(NOT (A IN (1, 2)))'],
    ["A LIKE 'x!%' ESCAPE '!'", "(A LIKE 'x!%' ESCAPE '!')"],
    ["CASE WHEN A THEN 'x' ELSE 'y' END", "(CASE WHEN A THEN 'x' ELSE 'y' END)"],
    ['CASE A WHEN 1 THEN 2 END', '(CASE A WHEN 1 THEN 2 END)'],
    ['A->B[1]', 'A->B[1]'],
    ['TRANSFORM(A, x => x + 1)', 'TRANSFORM(A, (X) => (X + 1))'],
    ['-A', '-A'],
    ['1.5E0', '1.5E0'],
  ])('%s prints as %s', (sql, text) => {
    expect(expressionText(parse(sql))).toBe(text);
  });
});

describe('walks', () => {
  it('lists children in source order', () => {
    expect(childExpressions(parse('A + B * C')).map(expressionText)).toEqual(['A', '(B * C)']);
    expect(childExpressions(parse("CASE A WHEN 1 THEN 'x' ELSE 'y' END")).map(expressionText)).toEqual([
      'A',
      '1',
      "'x'",
      "'y'",
    ]);
  });

  it('collects column references, not lambda parameters', () => {
    const refs = collectColumnRefs(parse('TRANSFORM(ARR, x => x + T.I) [1] + ST->NAME'));
    expect(refs.map((r) => `${r.source ?? ''}.${r.name}`)).toEqual(['.ARR', 'T.I', '.ST']);
  });

  it('finds aggregate calls, outermost first', () => {
    expect(containsAggregateCall(parse('SUM(I) + 1'), testRegistry)).toBe(true);
    expect(containsAggregateCall(parse('ABS(I) + 1'), testRegistry)).toBe(false);
    expect(collectAggregateCalls(parse('SUM(COUNT(I)) + SUM(I)'), testRegistry).map(expressionText)).toEqual([
      'SUM(COUNT(I))',
      'SUM(I)',
    ]);
  });

  it('rewrites top-down, sharing what it does not change', () => {
    const original = parse('A + (B * C)');
    const rewritten = rewriteExpression(original, (node): Expression | undefined =>
      node.kind === 'ColumnRef' && node.name === 'B' ? { kind: 'IntegerLiteral', value: 2 } : undefined,
    );
    expect(expressionText(rewritten)).toBe('(A + (2 * C))');
    expect(expressionText(original)).toBe('(A + (B * C))');
    if (original.kind !== 'ArithmeticBinary' || rewritten.kind !== 'ArithmeticBinary')
      throw new Error('shape');
    expect(rewritten.left).toBe(original.left);
    expect(rewriteExpression(original, () => undefined)).toBe(original);
  });

  it('visits pre-order and can skip children', () => {
    const seen: string[] = [];
    walkExpression(parse('F(A + B) + C'), (node) => {
      seen.push(expressionText(node));
      return node.kind !== 'FunctionCall';
    });
    expect(seen).toEqual(['(F((A + B)) + C)', 'F((A + B))', 'C']);
  });
});
