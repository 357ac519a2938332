import { describe, expect, it } from 'vitest';
import {
  arrayType,
  decimalType,
  formatType,
  mapType,
  type SqlType,
  SqlTypes,
  struct,
} from '../../../../engine/catalog/types.js';
import type { SqlValue } from '../../../../engine/catalog/values.js';
import { tableSourceAggregateMessage } from '../../../../engine/expr/functions/aggregate-types.js';
import {
  type ArgumentInfo,
  FunctionResolutionError,
} from '../../../../engine/expr/functions/function-types.js';
import { builtinFunctions, createFunctionRegistry } from '../../../../engine/expr/functions/registry.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN, BYTES, DATE, TIME, TIMESTAMP } = SqlTypes;

function v(type: SqlType | null, constant?: SqlValue): ArgumentInfo {
  return constant === undefined ? { kind: 'value', type } : { kind: 'value', type, constant };
}

function types(name: string, ...args: ArgumentInfo[]) {
  const call = builtinFunctions.resolveAggregate(name, args);
  return {
    returns: formatType(call.returnType),
    intermediate: formatType(call.intermediateType),
    params: call.parameterTypes.map((t) => (t === null ? null : formatType(t))),
  };
}

describe('aggregate resolution', () => {
  it('types COUNT with and without an argument', () => {
    expect(types('count')).toMatchObject({ returns: 'BIGINT', intermediate: 'BIGINT' });
    expect(types('COUNT', v(STRING))).toMatchObject({ returns: 'BIGINT', params: ['STRING'] });
    expect(types('COUNT', v(INTEGER, 1))).toMatchObject({ returns: 'BIGINT' });
  });

  it('keeps SUM in the argument type, DECIMAL precision included', () => {
    expect(types('SUM', v(INTEGER)).returns).toBe('INTEGER');
    expect(types('SUM', v(BIGINT)).returns).toBe('BIGINT');
    expect(types('SUM', v(DOUBLE)).returns).toBe('DOUBLE');
    expect(types('SUM', v(decimalType(4, 1)))).toMatchObject({
      returns: 'DECIMAL(4, 1)',
      intermediate: 'DECIMAL(4, 1)',
      params: ['DECIMAL(4, 1)'],
    });
    expect(types('SUM_LIST', v(arrayType(DOUBLE))).returns).toBe('DOUBLE');
  });

  it('averages INT, BIGINT and DOUBLE into a DOUBLE; a DECIMAL widens to DOUBLE', () => {
    expect(types('AVG', v(INTEGER))).toMatchObject({ returns: 'DOUBLE', params: ['INTEGER'] });
    expect(types('AVG', v(BIGINT)).intermediate).toBe('STRUCT<`SUM` BIGINT, `COUNT` BIGINT>');
    expect(types('AVG', v(INTEGER)).intermediate).toBe('STRUCT<`SUM` INTEGER, `COUNT` BIGINT>');
    expect(types('AVG', v(decimalType(5, 2)))).toMatchObject({ returns: 'DOUBLE', params: ['DOUBLE'] });
  });

  it('orders numbers, strings, bytes, dates and times in MIN and MAX, and nothing else', () => {
    for (const type of [INTEGER, BIGINT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP, decimalType(6, 3)]) {
      expect(types('MIN', v(type)).returns).toBe(formatType(type));
      expect(types('MAX', v(type)).intermediate).toBe(formatType(type));
    }
    expect(() => builtinFunctions.resolveAggregate('MAX', [v(BOOLEAN)])).toThrow(
      "Function 'MAX' does not accept parameters (BOOLEAN).",
    );
  });

  it('collects any type into arrays, and keys histograms by string', () => {
    const s = struct(['A', STRING], ['B', INTEGER]);
    expect(types('COLLECT_LIST', v(s)).returns).toBe('ARRAY<STRUCT<`A` STRING, `B` INTEGER>>');
    expect(types('COLLECT_SET', v(mapType(STRING, DOUBLE))).returns).toBe('ARRAY<MAP<STRING, DOUBLE>>');
    expect(types('HISTOGRAM', v(STRING)).returns).toBe('MAP<STRING, BIGINT>');
    expect(types('COUNT_DISTINCT', v(STRING)).returns).toBe('BIGINT');
    expect(types('ATTR', v(arrayType(INTEGER))).returns).toBe('ARRAY<INTEGER>');
  });

  it('returns one value or an array from the *_BY_OFFSET overloads', () => {
    expect(types('LATEST_BY_OFFSET', v(INTEGER)).returns).toBe('INTEGER');
    expect(types('LATEST_BY_OFFSET', v(INTEGER), v(BOOLEAN, false)).returns).toBe('INTEGER');
    expect(types('EARLIEST_BY_OFFSET', v(STRING), v(INTEGER, 2)).returns).toBe('ARRAY<STRING>');
    expect(types('EARLIEST_BY_OFFSET', v(STRING), v(INTEGER, 2), v(BOOLEAN, true)).returns).toBe(
      'ARRAY<STRING>',
    );
    expect(() => builtinFunctions.resolveAggregate('LATEST_BY_OFFSET', [v(INTEGER), v(INTEGER, 0)])).toThrow(
      'latestN must be 1 or greater',
    );
    expect(() => builtinFunctions.resolveAggregate('LATEST_BY_OFFSET', [v(INTEGER), v(BOOLEAN)])).toThrow(
      FunctionResolutionError,
    );
  });

  it('types TOPK over one column or a sort column with others carried along', () => {
    expect(types('TOPK', v(BIGINT), v(INTEGER, 3)).returns).toBe('ARRAY<BIGINT>');
    expect(types('TOPK', v(INTEGER), v(STRING), v(INTEGER, 3)).returns).toBe(
      'ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>',
    );
    expect(types('TOPKDISTINCT', v(decimalType(4, 2)), v(INTEGER, 2)).returns).toBe('ARRAY<DECIMAL(4, 2)>');
    expect(() => builtinFunctions.resolveAggregate('TOPK', [v(INTEGER), v(INTEGER)])).toThrow(
      'The TOPK k argument must be a literal integer.',
    );
  });

  it('widens integers to DOUBLE for CORRELATION and keeps exact sums for the deviations', () => {
    expect(types('CORRELATION', v(INTEGER), v(DOUBLE))).toMatchObject({
      returns: 'DOUBLE',
      params: ['DOUBLE', 'DOUBLE'],
    });
    expect(types('STDDEV_SAMP', v(INTEGER)).intermediate).toBe(
      'STRUCT<`COUNT` BIGINT, `SUM` BIGINT, `M2` DOUBLE>',
    );
    expect(types('STDDEV_SAMPLE', v(DOUBLE)).returns).toBe('DOUBLE');
  });

  it("explains a call that matches no signature in ksqlDB's words", () => {
    let error: unknown;
    try {
      builtinFunctions.resolveAggregate('SUM', [v(STRING)]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunctionResolutionError);
    expect((error as Error).message).toBe(
      "Function 'SUM' does not accept parameters (STRING).\n" +
        'Valid alternatives are:\nSUM(INT val)\nSUM(BIGINT val)\nSUM(DOUBLE val)\nSUM(DECIMAL val)\n' +
        'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
    );
    expect(() => builtinFunctions.resolveAggregate('NOPE', [])).toThrow(
      "Can't find any functions with the name 'NOPE'",
    );
    expect(() => builtinFunctions.resolveAggregate('UCASE', [v(STRING)])).toThrow(
      "Can't find any functions with the name 'UCASE'",
    );
  });

  it('leaves undo out where ksqlDB rejects a table source', () => {
    const withoutUndo: [string, ArgumentInfo[]][] = [
      ['MIN', [v(INTEGER)]],
      ['MAX', [v(INTEGER)]],
      ['EARLIEST_BY_OFFSET', [v(INTEGER)]],
      ['LATEST_BY_OFFSET', [v(INTEGER)]],
      ['TOPK', [v(INTEGER), v(INTEGER, 2)]],
      ['TOPKDISTINCT', [v(INTEGER), v(INTEGER, 2)]],
      ['COUNT_DISTINCT', [v(INTEGER)]],
      ['COLLECT_SET', [v(INTEGER)]],
    ];
    const withUndo: [string, ArgumentInfo[]][] = [
      ['COUNT', []],
      ['SUM', [v(INTEGER)]],
      ['AVG', [v(INTEGER)]],
      ['COLLECT_LIST', [v(INTEGER)]],
      ['HISTOGRAM', [v(STRING)]],
      ['ATTR', [v(INTEGER)]],
      ['STDDEV_SAMP', [v(INTEGER)]],
      ['CORRELATION', [v(DOUBLE), v(DOUBLE)]],
    ];
    for (const [name, args] of withoutUndo) {
      expect(builtinFunctions.resolveAggregate(name, args).undo, name).toBeUndefined();
    }
    for (const [name, args] of withUndo) {
      expect(builtinFunctions.resolveAggregate(name, args).undo, name).toBeDefined();
    }
    expect(tableSourceAggregateMessage(['LATEST_BY_OFFSET', 'min', 'MAX'])).toBe(
      'The aggregation functions LATEST_BY_OFFSET, MIN and MAX cannot be applied to a table source, only to a stream source.',
    );
  });
});

describe('aggregates in the registry', () => {
  it('answers isAggregate and describes aggregates with their signatures', () => {
    expect(builtinFunctions.isAggregate('topk')).toBe(true);
    expect(builtinFunctions.isScalar('topk')).toBe(false);
    const sum = builtinFunctions.describe('sum');
    expect(sum?.kind).toBe('AGGREGATE');
    expect(
      sum?.signatures.map((s) => `${s.arguments.map((a) => a.type).join(', ')} => ${s.returnType}`),
    ).toEqual(['INT => INT', 'BIGINT => BIGINT', 'DOUBLE => DOUBLE', 'DECIMAL => DECIMAL']);
    const listed = builtinFunctions
      .list()
      .filter((f) => f.kind === 'AGGREGATE')
      .map((f) => f.name);
    expect(listed).toEqual(expect.arrayContaining(['COUNT', 'CORRELATION', 'HISTOGRAM', 'SUM_LIST', 'ATTR']));
  });

  it('describes the TOPK forms that carry other columns', () => {
    const lines = builtinFunctions
      .describe('TOPK')
      ?.signatures.map(
        (s) => `${s.arguments.map((a) => `${a.type} ${a.name}`).join(', ')} => ${s.returnType}`,
      );
    expect(lines).toContain('INT val, INT k => ARRAY<INT>');
    expect(lines).toContain('STRING sort_col, U col0, INT k => ARRAY<STRUCT<sort_col STRING, col0 U>>');
    expect(builtinFunctions.describe('latest_by_offset')?.signatures.map((s) => s.arguments.length)).toEqual([
      1, 2, 2, 3,
    ]);
  });

  it('still accepts bare aggregate names, which are known but do not resolve', () => {
    const registry = createFunctionRegistry([], [{ name: 'MY_AGG', description: 'agg' }]);
    expect(registry.isAggregate('my_agg')).toBe(true);
    expect(registry.describe('my_agg')).toMatchObject({ kind: 'AGGREGATE', signatures: [] });
    expect(() => registry.resolveAggregate('my_agg', [])).toThrow(
      "Can't find any functions with the name 'MY_AGG'",
    );
  });
});
