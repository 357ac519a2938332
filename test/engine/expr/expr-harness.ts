/**
 * Test support for the expression compiler: expressions parsed from SQL text by the real
 * parser, a scope over named typed columns, and a small function registry with the shapes
 * the compiler must handle (plain, variadic-free generic, lambdas, time units, a function
 * that throws, an aggregate and a table function).
 */
import {
  arrayType,
  mapType,
  type SqlType,
  SqlTypes,
  struct,
  typesEqual,
} from '../../../engine/catalog/types.js';
import type { SqlValue } from '../../../engine/catalog/values.js';
import { Decimal } from '../../../engine/catalog/values.js';
import {
  type CompiledExpression,
  type CompileOptions,
  compileExpression,
  type ExpressionScope,
  typeOfExpression,
} from '../../../engine/expr/compile.js';
import {
  type ArgumentInfo,
  type FunctionRegistry,
  FunctionResolutionError,
  type LambdaValue,
  type ResolvedScalarCall,
} from '../../../engine/expr/functions/function-types.js';
import type { Expression } from '../../../parser/ast.js';
import { parseStatement } from '../../../parser/parse.js';

/** Columns of the test row: name, type, value. */
export const COLUMNS: readonly (readonly [string, SqlType, SqlValue])[] = [
  ['I', SqlTypes.INTEGER, 7],
  ['I2', SqlTypes.INTEGER, -3],
  ['IMAX', SqlTypes.INTEGER, 2147483647],
  ['IMIN', SqlTypes.INTEGER, -2147483648],
  ['ZERO', SqlTypes.INTEGER, 0],
  ['B', SqlTypes.BIGINT, 10n],
  ['BMAX', SqlTypes.BIGINT, 9223372036854775807n],
  ['D', SqlTypes.DOUBLE, 2.5],
  ['DEC', { kind: 'DECIMAL', precision: 4, scale: 2 }, new Decimal('10.01')],
  ['S', SqlTypes.STRING, 'hello'],
  ['NUM', SqlTypes.STRING, '42'],
  ['BOOL', SqlTypes.BOOLEAN, true],
  ['NI', SqlTypes.INTEGER, null],
  ['NS', SqlTypes.STRING, null],
  ['NB', SqlTypes.BOOLEAN, null],
  ['ARR', arrayType(SqlTypes.INTEGER), [10, 20, 30]],
  ['ARRB', arrayType(SqlTypes.BIGINT), [10n, 20n, 30n]],
  ['NESTED', arrayType(arrayType(SqlTypes.INTEGER)), [[0, 1], [2]]],
  [
    'M',
    mapType(SqlTypes.STRING, SqlTypes.INTEGER),
    new Map<SqlValue, SqlValue>([
      ['a', 1],
      ['b', 2],
    ]),
  ],
  ['MI', mapType(SqlTypes.INTEGER, SqlTypes.STRING), new Map<SqlValue, SqlValue>([[1, 'one']])],
  [
    'ST',
    struct(['NAME', SqlTypes.STRING], ['ADDR', struct(['CITY', SqlTypes.STRING])], ['n', SqlTypes.INTEGER]),
    structValue({ NAME: 'ann', ADDR: structValue({ CITY: 'oslo' }), n: 1 }),
  ],
  ['NST', struct(['X', SqlTypes.INTEGER]), null],
  ['TS', SqlTypes.TIMESTAMP, 1514764800001],
  ['DT', SqlTypes.DATE, 17532],
  ['TM', SqlTypes.TIME, 3600000],
  ['ROWTIME', SqlTypes.BIGINT, 1514764800001n],
  ['BYT', SqlTypes.BYTES, new Uint8Array([1, 2])],
];

export function structValue(fields: Record<string, SqlValue>): SqlValue {
  return Object.assign(Object.create(null), fields);
}

export const ROW: readonly SqlValue[] = COLUMNS.map((c) => c[2]);

export const scope: ExpressionScope = {
  resolveColumn(source, name) {
    if (source !== undefined && source !== 'T') return undefined;
    const index = COLUMNS.findIndex((c) => c[0] === name);
    return index < 0 ? undefined : { index, type: COLUMNS[index]![1] };
  },
};

/** The select item of `SELECT <text> FROM T;`, parsed by the real parser. */
export function parse(text: string): Expression {
  const { statement } = parseStatement(`SELECT ${text} FROM T;`);
  if (statement.kind !== 'Query') throw new Error(`not a query: ${statement.kind}`);
  const item = statement.select[0];
  if (item === undefined || item.kind !== 'SingleColumn') throw new Error('no single select item');
  return item.expression;
}

export function compile(text: string, options: CompileOptions = {}): CompiledExpression {
  return compileExpression(parse(text), scope, testRegistry, options);
}

export function evaluate(text: string): SqlValue {
  return compile(text).evaluate(ROW);
}

export function typeOf(text: string): SqlType {
  return typeOfExpression(parse(text), scope, testRegistry);
}

/** The message of the compile error `text` raises. */
export function compileError(text: string): Error & { location?: { line: number; column: number } } {
  try {
    compile(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${text} not to compile`);
}

// ---------------------------------------------------------------------------------------------
// A small registry

type Resolver = (args: readonly ArgumentInfo[]) => ResolvedScalarCall;

function valueType(arg: ArgumentInfo | undefined): SqlType | null {
  return arg?.kind === 'value' ? arg.type : null;
}

function noMatch(name: string, args: readonly ArgumentInfo[]): FunctionResolutionError {
  const types = args.map((a) => (a.kind === 'value' ? (a.type === null ? 'null' : a.type.kind) : a.kind));
  return new FunctionResolutionError(
    `Function '${name.toLowerCase()}' does not accept parameters (${types.join(', ')}).`,
  );
}

const SCALARS: Record<string, Resolver> = {
  CONCAT: (args) => ({
    returnType: SqlTypes.STRING,
    parameterTypes: args.map(() => SqlTypes.STRING),
    invoke: (values) => (values.some((v) => v === null) ? null : values.join('')),
  }),
  ABS: (args) => {
    const type = valueType(args[0]);
    if (type === null || type.kind !== 'BIGINT') {
      // ABS(BIGINT) only, so INTEGER arguments show the inserted conversion.
      if (type?.kind !== 'INTEGER') throw noMatch('ABS', args);
    }
    return {
      returnType: SqlTypes.BIGINT,
      parameterTypes: [SqlTypes.BIGINT],
      invoke: ([v]) =>
        v === null || v === undefined ? null : (v as bigint) < 0n ? -(v as bigint) : (v as bigint),
    };
  },
  IFNULL: (args) => {
    const type = valueType(args[0]) ?? valueType(args[1]) ?? SqlTypes.STRING;
    return {
      returnType: type,
      parameterTypes: [type, type],
      invoke: ([a, b]) => (a ?? b ?? null) as SqlValue,
    };
  },
  ARRAY_LENGTH: () => ({
    returnType: SqlTypes.INTEGER,
    parameterTypes: [null],
    invoke: ([a]) => (a === null ? null : (a as readonly SqlValue[]).length),
  }),
  INSTR: () => ({
    returnType: SqlTypes.INTEGER,
    parameterTypes: [SqlTypes.STRING, SqlTypes.STRING],
    invoke: ([s, t]) => (s === null || t === null ? null : (s as string).indexOf(t as string) + 1),
  }),
  FAIL: () => ({
    returnType: SqlTypes.STRING,
    parameterTypes: [],
    invoke: () => {
      throw new Error('boom');
    },
  }),
  TO_TS: () => ({
    returnType: SqlTypes.TIMESTAMP,
    parameterTypes: [SqlTypes.TIMESTAMP],
    invoke: ([t]) => t as SqlValue,
  }),
  TIMESTAMPADD: (args) => {
    if (args[0]?.kind !== 'unit') throw noMatch('TIMESTAMPADD', args);
    return {
      returnType: SqlTypes.TIMESTAMP,
      parameterTypes: [null, SqlTypes.INTEGER, SqlTypes.TIMESTAMP],
      invoke: ([unit, n, ts]) => {
        if (n === null || ts === null) return null;
        const scale = unit === 'SECONDS' ? 1000 : unit === 'MINUTES' ? 60_000 : 1;
        return (ts as number) + (n as number) * scale;
      },
    };
  },
  TRANSFORM: (args) => {
    const input = valueType(args[0]);
    if (input?.kind === 'ARRAY' && args[1]?.kind === 'lambda') {
      const out = args[1].typeBody([input.element]);
      return {
        returnType: arrayType(out),
        parameterTypes: [input, null],
        invoke: ([a, f]) =>
          a === null ? null : (a as readonly SqlValue[]).map((x) => (f as LambdaValue)(x)),
      };
    }
    if (input?.kind === 'MAP' && args[1]?.kind === 'lambda' && args[2]?.kind === 'lambda') {
      const key = args[1].typeBody([input.key, input.value]);
      const value = args[2].typeBody([input.key, input.value]);
      return {
        returnType: mapType(key, value),
        parameterTypes: [input, null, null],
        invoke: ([m, fk, fv]) => {
          if (m === null) return null;
          const result = new Map<SqlValue, SqlValue>();
          for (const [k, v] of m as ReadonlyMap<SqlValue, SqlValue>) {
            result.set((fk as LambdaValue)(k, v), (fv as LambdaValue)(k, v));
          }
          return result;
        },
      };
    }
    throw noMatch('TRANSFORM', args);
  },
  FILTER: (args) => {
    const input = valueType(args[0]);
    if (input?.kind === 'ARRAY' && args[1]?.kind === 'lambda') {
      const out = args[1].typeBody([input.element]);
      if (!typesEqual(out, SqlTypes.BOOLEAN)) throw noMatch('FILTER', args);
      return {
        returnType: input,
        parameterTypes: [input, null],
        invoke: ([a, f]) =>
          a === null ? null : (a as readonly SqlValue[]).filter((x) => (f as LambdaValue)(x) === true),
      };
    }
    if (input?.kind === 'MAP' && args[1]?.kind === 'lambda') {
      args[1].typeBody([input.key, input.value]);
      return {
        returnType: input,
        parameterTypes: [input, null],
        invoke: ([m, f]) => {
          if (m === null) return null;
          const result = new Map<SqlValue, SqlValue>();
          for (const [k, v] of m as ReadonlyMap<SqlValue, SqlValue>)
            if ((f as LambdaValue)(k, v) === true) result.set(k, v);
          return result;
        },
      };
    }
    throw noMatch('FILTER', args);
  },
  REDUCE: (args) => {
    const input = valueType(args[0]);
    const initial = valueType(args[1]);
    if (input?.kind !== 'ARRAY' || initial === null || args[2]?.kind !== 'lambda')
      throw noMatch('REDUCE', args);
    args[2].typeBody([initial, input.element]);
    return {
      returnType: initial,
      parameterTypes: [input, initial, null],
      invoke: ([a, s, f]) => {
        if (a === null) return null;
        let state = s as SqlValue;
        for (const x of a as readonly SqlValue[]) state = (f as LambdaValue)(state, x);
        return state;
      },
    };
  },
};

export const testRegistry: FunctionRegistry = {
  isScalar: (name) => name in SCALARS,
  isAggregate: (name) => name === 'SUM' || name === 'COUNT',
  isTable: (name) => name === 'EXPLODE',
  resolveScalar(name, args) {
    const resolver = SCALARS[name];
    if (resolver === undefined)
      throw new FunctionResolutionError(`Can't find any functions with the name '${name}'`);
    return resolver(args);
  },
  resolveTable() {
    throw new FunctionResolutionError('no table functions here');
  },
  list: () => [],
  describe: () => undefined,
};
