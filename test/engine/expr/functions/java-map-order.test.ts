import { describe, expect, it } from 'vitest';
import { mapType, SqlTypes } from '../../../../engine/catalog/types.js';
import type { SqlValue } from '../../../../engine/catalog/values.js';
import type { LambdaValue } from '../../../../engine/expr/functions/function-types.js';
import { javaMapEntries } from '../../../../engine/expr/functions/java-map-order.js';
import { callFunction } from './call-function.js';

const { STRING, DOUBLE } = SqlTypes;

describe("maps iterate in Java HashMap order, as ksqlDB's functions see them", () => {
  it('orders string keys by hash bucket of a copied HashMap', () => {
    const map = new Map<SqlValue, SqlValue>([
      ['yes, thanks', 3.5],
      ['nope', 7.3],
      ['sure, yeah', 2.1],
    ]);
    expect(javaMapEntries(map).map(([k]) => k)).toEqual(['yes, thanks', 'sure, yeah', 'nope']);
  });

  it('keeps small maps and unmodelled keys as they are', () => {
    expect(javaMapEntries(new Map([['only', 1]]))).toEqual([['only', 1]]);
    const structKeys = new Map<SqlValue, SqlValue>([
      [[2], 'b'],
      [[1], 'a'],
    ]);
    expect(javaMapEntries(structKeys).map(([, v]) => v)).toEqual(['b', 'a']);
  });

  it('REDUCE over a map folds in that order (reduce-map.json "reduce map with double")', () => {
    const map = new Map<SqlValue, SqlValue>([
      ['yes, thanks', 3.5],
      ['nope', 7.3],
      ['sure, yeah', 2.1],
    ]);
    // (s, x, y) => CASE WHEN instr(x, 'ye') > 0 THEN ceil(y * s) ELSE floor(s * y) END
    const step = ((s: number, x: string, y: number) =>
      x.includes('ye') ? Math.ceil(y * s) : Math.floor(s * y)) as unknown as LambdaValue;
    const result = callFunction('REDUCE', [mapType(STRING, DOUBLE), map], [DOUBLE, 3.2], {
      lambda: step,
      params: 3,
      returns: DOUBLE,
    });
    expect(result).toBe(189);
  });
});
