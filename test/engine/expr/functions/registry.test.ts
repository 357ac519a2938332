import { describe, expect, it } from 'vitest';
import {
  arrayType,
  decimalType,
  formatType,
  mapType,
  type SqlType,
  SqlTypes,
} from '../../../../engine/catalog/types.js';
import type { SqlValue } from '../../../../engine/catalog/values.js';
import { scalar, sig, table, tableSig } from '../../../../engine/expr/functions/function-definition.js';
import {
  type ArgumentInfo,
  FunctionResolutionError,
  type LambdaValue,
} from '../../../../engine/expr/functions/function-types.js';
import { builtinFunctions, createFunctionRegistry } from '../../../../engine/expr/functions/registry.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN, DATE } = SqlTypes;

function v(type: SqlType | null, constant?: string | number): ArgumentInfo {
  return constant === undefined ? { kind: 'value', type } : { kind: 'value', type, constant };
}

function lambda(arity: number, typeBody: (params: readonly SqlType[]) => SqlType): ArgumentInfo {
  return { kind: 'lambda', arity, typeBody };
}

const registry = createFunctionRegistry(
  [
    scalar('PICK', 'TEST', 'overloads by type', [
      sig('INT x', 'STRING', () => 'int'),
      sig('BIGINT x', 'STRING', () => 'bigint'),
      sig('DOUBLE x', 'STRING', () => 'double'),
      sig('STRING x', 'STRING', () => 'string'),
    ]),
    scalar('WIDE', 'TEST', 'needs widening', [
      sig('DOUBLE x', 'DOUBLE', ([x]) => x as SqlValue),
      sig('STRING s, BIGINT n', 'STRING', ([s]) => s as SqlValue),
    ]),
    scalar('DEC', 'TEST', 'decimal parameter', [sig('DECIMAL d', 'STRING', () => 'dec')]),
    scalar('FIRST_OF', 'TEST', 'generic', [sig('ARRAY<T> list', 'T', ([l]) => (l as never[])[0] ?? null)]),
    scalar('PAIR', 'TEST', 'same generic twice', [
      sig('T a, T b', 'ARRAY<T>', ([a, b]) => [(a ?? null) as SqlValue, (b ?? null) as SqlValue]),
    ]),
    scalar('MAPPY', 'TEST', 'map generics', [sig('MAP<K, V> m, K key', 'V', () => null)]),
    scalar('VARI', 'TEST', 'variadic', [
      sig('STRING first, INT... rest', 'INT', (args) => args.length),
      sig('STRING first, INT second', 'STRING', () => 'fixed'),
    ]),
    scalar('APPLY', 'TEST', 'lambda', [
      sig('ARRAY<T> list, (T) => U fn', 'ARRAY<U>', ([list, fn]) =>
        (list as unknown[]).map((x) => (fn as LambdaValue)(x as never)),
      ),
    ]),
    scalar('STATE', 'TEST', 'lambda with state', [
      sig('ARRAY<T> list, S init, (S, T) => S fn', 'S', ([, s]) => (s ?? null) as SqlValue),
    ]),
    scalar('TWO_WAYS', 'TEST', 'lambda typed by two signatures', [
      sig('ARRAY<DOUBLE> list, (DOUBLE) => U fn, INT x', 'U', () => null),
      sig('ARRAY<BIGINT> list, (BIGINT) => U fn, INT... xs', 'U', () => null),
    ]),
    scalar('AMBI', 'TEST', 'ambiguous', [
      sig('BIGINT... xs', 'BIGINT', () => 1n),
      sig('DOUBLE... xs', 'DOUBLE', () => 1),
    ]),
    scalar('WHEN', 'TEST', 'time literal', [sig('DATE d', 'DATE', ([d]) => d as SqlValue)]),
    scalar('ADD_UNIT', 'TEST', 'unit', [
      sig('INTERVALUNIT unit, INT n, DATE d', 'DATE', ([u]) => u as string),
    ]),
    table('ROWS_OF', 'TEST', 'table function', [tableSig('ARRAY<T> list', 'T', ([l]) => l as never[])]),
  ],
  [{ name: 'MY_AGG', description: 'agg' }],
);

describe('function registry resolution', () => {
  it('finds names case-insensitively and tells the kinds apart', () => {
    expect(registry.isScalar('pick')).toBe(true);
    expect(registry.isScalar('Rows_Of')).toBe(false);
    expect(registry.isTable('rows_of')).toBe(true);
    expect(registry.isAggregate('my_agg')).toBe(true);
    expect(registry.isAggregate('pick')).toBe(false);
  });

  it('prefers the exact overload', () => {
    for (const [type, expected] of [
      [INTEGER, 'int'],
      [BIGINT, 'bigint'],
      [DOUBLE, 'double'],
      [STRING, 'string'],
    ] as const) {
      const call = registry.resolveScalar('PICK', [v(type)]);
      expect(call.invoke([null])).toBe(expected);
      expect(call.parameterTypes).toEqual([type]);
    }
  });

  it('widens numbers when no overload matches exactly', () => {
    const call = registry.resolveScalar('WIDE', [v(INTEGER)]);
    expect(call.returnType).toBe(DOUBLE);
    expect(call.parameterTypes).toEqual([DOUBLE]);
    const second = registry.resolveScalar('WIDE', [v(STRING), v(INTEGER)]);
    expect(second.parameterTypes).toEqual([STRING, BIGINT]);
  });

  it('keeps a DECIMAL argument as it is and widens integers to an exact DECIMAL', () => {
    expect(registry.resolveScalar('DEC', [v(decimalType(5, 2))]).parameterTypes).toEqual([decimalType(5, 2)]);
    expect(registry.resolveScalar('DEC', [v(INTEGER)]).parameterTypes).toEqual([decimalType(10, 0)]);
    expect(registry.resolveScalar('DEC', [v(BIGINT)]).parameterTypes).toEqual([decimalType(19, 0)]);
  });

  it('matches a NULL literal to any parameter', () => {
    const call = registry.resolveScalar('WIDE', [v(STRING), v(null)]);
    expect(call.parameterTypes).toEqual([STRING, BIGINT]);
  });

  it('binds generics consistently', () => {
    const first = registry.resolveScalar('FIRST_OF', [v(arrayType(STRING))]);
    expect(first.returnType).toBe(STRING);
    expect(registry.resolveScalar('PAIR', [v(STRING), v(STRING)]).returnType).toEqual(arrayType(STRING));
    expect(() => registry.resolveScalar('PAIR', [v(STRING), v(INTEGER)])).toThrow(FunctionResolutionError);
    const mappy = registry.resolveScalar('MAPPY', [v(mapType(STRING, DOUBLE)), v(STRING)]);
    expect(mappy.returnType).toBe(DOUBLE);
  });

  it('widens a generic bound to a number in the casting pass', () => {
    const call = registry.resolveScalar('PAIR', [v(INTEGER), v(BIGINT)]);
    expect(call.returnType).toEqual(arrayType(BIGINT));
    expect(call.parameterTypes).toEqual([BIGINT, BIGINT]);
  });

  it('binds a generic from a later argument when an earlier one is NULL', () => {
    const call = registry.resolveScalar('PAIR', [v(null), v(DOUBLE)]);
    expect(call.returnType).toEqual(arrayType(DOUBLE));
  });

  it('resolves variadic parameters, preferring a fixed signature', () => {
    expect(registry.resolveScalar('VARI', [v(STRING)]).returnType).toBe(INTEGER);
    expect(registry.resolveScalar('VARI', [v(STRING), v(INTEGER)]).returnType).toBe(STRING);
    const three = registry.resolveScalar('VARI', [v(STRING), v(INTEGER), v(INTEGER)]);
    expect(three.returnType).toBe(INTEGER);
    expect(three.invoke(['a', 1, 2])).toBe(3);
  });

  it('types lambdas with the bound generics', () => {
    const seen: string[] = [];
    const call = registry.resolveScalar('APPLY', [
      v(arrayType(INTEGER)),
      lambda(1, (params) => {
        seen.push(params.map((p) => formatType(p)).join(','));
        return BOOLEAN;
      }),
    ]);
    expect(new Set(seen)).toEqual(new Set(['INTEGER']));
    expect(call.returnType).toEqual(arrayType(BOOLEAN));
    expect(call.parameterTypes).toEqual([arrayType(INTEGER), null]);
    expect(call.invoke([[1, 2], ((x: number) => x > 1) as LambdaValue])).toEqual([false, true]);
  });

  it('types a two-parameter lambda against state and element generics', () => {
    const call = registry.resolveScalar('STATE', [
      v(arrayType(INTEGER)),
      v(BIGINT),
      lambda(2, (params) => {
        expect(params).toEqual([BIGINT, INTEGER]);
        return BIGINT;
      }),
    ]);
    expect(call.returnType).toBe(BIGINT);
  });

  it('widens a lambda state to the type of its result in the casting pass', () => {
    const typings: string[] = [];
    const call = registry.resolveScalar('STATE', [
      v(arrayType(BIGINT)),
      v(INTEGER),
      lambda(2, (params) => {
        typings.push(params.map((p) => formatType(p)).join(','));
        return BIGINT;
      }),
    ]);
    expect(call.returnType).toBe(BIGINT);
    expect(call.parameterTypes).toEqual([arrayType(BIGINT), BIGINT, null]);
    expect(typings.at(-1)).toBe('BIGINT,BIGINT');
    expect(() =>
      registry.resolveScalar('STATE', [v(arrayType(STRING)), v(INTEGER), lambda(2, () => STRING)]),
    ).toThrow(FunctionResolutionError);
  });

  it('types a lambda last with the parameter types of the chosen signature', () => {
    const typings: string[] = [];
    const call = registry.resolveScalar('TWO_WAYS', [
      v(arrayType(INTEGER)),
      lambda(1, (params) => {
        typings.push(params.map((p) => formatType(p)).join(','));
        return STRING;
      }),
      v(INTEGER),
    ]);
    expect(call.parameterTypes).toEqual([arrayType(DOUBLE), null, INTEGER]);
    expect(typings.at(-1)).toBe('DOUBLE');
  });

  it('rethrows the error of a lambda body that does not type', () => {
    const bodyError = new Error('Cannot compare X with Y');
    expect(() =>
      registry.resolveScalar('APPLY', [
        v(arrayType(INTEGER)),
        lambda(1, () => {
          throw bodyError;
        }),
      ]),
    ).toThrow(bodyError);
  });

  it('rejects a lambda whose arity does not fit', () => {
    expect(() => registry.resolveScalar('APPLY', [v(arrayType(INTEGER)), lambda(2, () => BOOLEAN)])).toThrow(
      "Function 'apply' does not accept parameters (ARRAY<INTEGER>, LAMBDA(2)).",
    );
  });

  it('accepts a STRING literal for a DATE parameter and asks for its conversion', () => {
    const call = registry.resolveScalar('WHEN', [v(STRING, '2022-06-14')]);
    expect(call.parameterTypes).toEqual([DATE]);
    expect(() => registry.resolveScalar('WHEN', [v(STRING)])).toThrow(FunctionResolutionError);
  });

  it('passes time unit arguments', () => {
    const call = registry.resolveScalar('ADD_UNIT', [{ kind: 'unit', unit: 'DAYS' }, v(INTEGER), v(DATE)]);
    expect(call.parameterTypes).toEqual([null, INTEGER, DATE]);
    expect(() => registry.resolveScalar('ADD_UNIT', [v(DATE), v(INTEGER), v(DATE)])).toThrow(
      "Function 'add_unit' does not accept parameters (DATE, INTEGER, DATE).",
    );
  });

  it("reports an unknown function with ksqlDB's message", () => {
    expect(() => registry.resolveScalar('wont_find_me', [])).toThrow(
      "Can't find any functions with the name 'WONT_FIND_ME'",
    );
    expect(() => registry.resolveScalar('rows_of', [v(arrayType(INTEGER))])).toThrow(FunctionResolutionError);
  });

  it("reports no matching signature with ksqlDB's message and the alternatives", () => {
    expect(() => registry.resolveScalar('WIDE', [v(BOOLEAN)])).toThrow(
      "Function 'wide' does not accept parameters (BOOLEAN).\nValid alternatives are:\n" +
        'wide(DOUBLE x)\nwide(STRING s, BIGINT n)\n' +
        'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
    );
  });

  it('reports an ambiguous call', () => {
    expect(() => registry.resolveScalar('AMBI', [v(INTEGER), v(INTEGER)])).toThrow(
      "Function 'ambi' cannot be resolved due to ambiguous method parameters (INTEGER, INTEGER).",
    );
    expect(() => registry.resolveScalar('AMBI', [v(null), v(null)])).toThrow(
      "Function 'ambi' cannot be resolved due to ambiguous method parameters (null, null).",
    );
  });

  it('resolves table functions', () => {
    const call = registry.resolveTable('ROWS_OF', [v(arrayType(STRING))]);
    expect(call.returnType).toBe(STRING);
    expect(call.invoke([['a', 'b']])).toEqual(['a', 'b']);
  });

  it('describes functions for SHOW FUNCTIONS and DESCRIBE FUNCTION', () => {
    const names = registry.list().map((f) => f.name);
    expect(names).toContain('MY_AGG');
    expect(names).toEqual([...names].sort());
    const vari = registry.describe('vari');
    expect(vari?.kind).toBe('SCALAR');
    expect(vari?.signatures[0]).toMatchObject({
      arguments: [
        { name: 'first', type: 'STRING' },
        { name: 'rest', type: 'INT[]' },
      ],
      returnType: 'INT',
      variadic: true,
    });
    expect(registry.describe('my_agg')?.kind).toBe('AGGREGATE');
    expect(registry.describe('nope')).toBeUndefined();
  });
});

describe('builtin registry messages from the conformance files', () => {
  it('explode of a map lists the array alternatives', () => {
    expect(() => builtinFunctions.resolveTable('explode', [v(mapType(STRING, INTEGER))])).toThrow(
      "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\n" +
        'explode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)',
    );
  });

  it('greatest: ambiguous widening, no parameters, mixed types', () => {
    expect(() => builtinFunctions.resolveScalar('GREATEST', [v(INTEGER), v(BIGINT)])).toThrow(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).",
    );
    expect(() =>
      builtinFunctions.resolveScalar('GREATEST', [v(INTEGER), v(BIGINT), v(decimalType(50, 30))]),
    ).toThrow(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30)).",
    );
    expect(() => builtinFunctions.resolveScalar('GREATEST', [v(null), v(null), v(null), v(null)])).toThrow(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (null, null, null, null).",
    );
    expect(() => builtinFunctions.resolveScalar('GREATEST', [])).toThrow(
      "Function 'greatest' does not accept parameters ().",
    );
    expect(() => builtinFunctions.resolveScalar('GREATEST', [v(STRING), v(INTEGER)])).toThrow(
      "Function 'greatest' does not accept parameters (STRING, INTEGER).",
    );
  });

  it('names functions in errors as ksqlDB declares them', () => {
    expect(() => builtinFunctions.resolveScalar('round', [v(STRING)])).toThrow(
      "Function 'Round' does not accept",
    );
    expect(() => builtinFunctions.resolveScalar('as_map', [v(STRING)])).toThrow(
      "Function 'AS_MAP' does not accept",
    );
    expect(() => builtinFunctions.resolveScalar('SUBSTRING', [v(STRING)])).toThrow(
      "Function 'substring' does not accept",
    );
  });

  it('date and time arithmetic reject a value where the unit belongs', () => {
    for (const [name, type] of [
      ['dateadd', DATE],
      ['datesub', DATE],
      ['timeadd', SqlTypes.TIME],
      ['timesub', SqlTypes.TIME],
      ['timestampadd', SqlTypes.TIMESTAMP],
    ] as const) {
      expect(() => builtinFunctions.resolveScalar(name, [v(type), v(INTEGER), v(type)])).toThrow(
        `Function '${name}' does not accept parameters (${type.kind}, INTEGER, ${type.kind}).`,
      );
    }
  });
});
