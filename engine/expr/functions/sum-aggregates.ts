/** ksqlDB's COUNT, SUM, SUM_LIST and AVG. All skip null values (COUNT() counts rows). */
import { type DecimalType, type SqlType, SqlTypes, struct } from '../../catalog/types.js';
import { Decimal, fitDecimalRounded, type SqlStruct, type SqlValue } from '../../catalog/values.js';
import { type AggregateDefinition, aggregate, aggSig, list, parameterType } from './aggregate-definition.js';
import type { AggregateImplementation } from './aggregate-types.js';
import { sameAsArgument } from './function-definition.js';

const { INTEGER, BIGINT, DOUBLE } = SqlTypes;

function counter(counts: (args: readonly SqlValue[]) => boolean): AggregateImplementation {
  return {
    intermediateType: BIGINT,
    initialize: () => 0n,
    aggregate: (acc, args) => (counts(args) ? (acc as bigint) + 1n : acc),
    undo: (acc, args) => (counts(args) ? (acc as bigint) - 1n : acc),
    merge: (a, b) => (a as bigint) + (b as bigint),
    result: (acc) => acc,
  };
}

const COUNT = aggregate('COUNT', 'Counts records, or non-null values of an expression.', [
  aggSig('', 'BIGINT', () => counter(() => true), 'COUNT() and COUNT(*): the number of rows.'),
  aggSig('T col', 'BIGINT', () => counter(([v]) => v !== null && v !== undefined), 'Non-null values of col.'),
]);

/** Addition in one numeric representation, with the overflow behaviour ksqlDB's sums have. */
interface Arithmetic {
  readonly zero: SqlValue;
  readonly add: (a: SqlValue, b: SqlValue) => SqlValue;
  readonly subtract: (a: SqlValue, b: SqlValue) => SqlValue;
}

// INT and BIGINT sums wrap around like Java's int and long addition.
const INT_ARITHMETIC: Arithmetic = {
  zero: 0,
  add: (a, b) => ((a as number) + (b as number)) | 0,
  subtract: (a, b) => ((a as number) - (b as number)) | 0,
};
const BIGINT_ARITHMETIC: Arithmetic = {
  zero: 0n,
  add: (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint)),
  subtract: (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint)),
};
const DOUBLE_ARITHMETIC: Arithmetic = {
  zero: 0,
  add: (a, b) => (a as number) + (b as number),
  subtract: (a, b) => (a as number) - (b as number),
};
/** A DECIMAL sum keeps its argument's type and fails (ValueError) when it outgrows it. */
function decimalArithmetic(type: DecimalType): Arithmetic {
  return {
    zero: new Decimal(0),
    add: (a, b) => fitDecimalRounded((a as Decimal).plus(b as Decimal), type),
    subtract: (a, b) => fitDecimalRounded((a as Decimal).minus(b as Decimal), type),
  };
}

function summing(
  arithmetic: Arithmetic,
  type: SqlType = parameterTypeOfZero(arithmetic),
): AggregateImplementation {
  const step = (op: (a: SqlValue, b: SqlValue) => SqlValue) => (acc: SqlValue, args: readonly SqlValue[]) => {
    const value = args[0] ?? null;
    return value === null ? acc : op(acc, value);
  };
  return {
    intermediateType: type,
    initialize: () => arithmetic.zero,
    aggregate: step(arithmetic.add),
    undo: step(arithmetic.subtract),
    merge: (a, b) => arithmetic.add(a, b),
    result: (acc) => acc,
  };
}

function parameterTypeOfZero(arithmetic: Arithmetic) {
  return arithmetic === INT_ARITHMETIC ? INTEGER : arithmetic === BIGINT_ARITHMETIC ? BIGINT : DOUBLE;
}

const SUM = aggregate('SUM', 'Sums the values.', [
  aggSig('INT val', 'INT', () => summing(INT_ARITHMETIC)),
  aggSig('BIGINT val', 'BIGINT', () => summing(BIGINT_ARITHMETIC)),
  aggSig('DOUBLE val', 'DOUBLE', () => summing(DOUBLE_ARITHMETIC)),
  aggSig('DECIMAL val', sameAsArgument(0, 'DECIMAL'), (call) => {
    const type = parameterType(call, 0) as DecimalType;
    return summing(decimalArithmetic(type), type);
  }),
]);

/** SUM_LIST folds each array's non-null elements into one sum. */
function summingLists(arithmetic: Arithmetic): AggregateImplementation {
  const total = (args: readonly SqlValue[]) => {
    let sum = arithmetic.zero;
    for (const element of list(args[0] ?? null)) if (element !== null) sum = arithmetic.add(sum, element);
    return sum;
  };
  return {
    ...summing(arithmetic),
    aggregate: (acc, args) => arithmetic.add(acc, total(args)),
    undo: (acc, args) => arithmetic.subtract(acc, total(args)),
  };
}

const SUM_LIST = aggregate('SUM_LIST', 'Sums the elements of each array.', [
  aggSig('ARRAY<INT> list', 'INT', () => summingLists(INT_ARITHMETIC)),
  aggSig('ARRAY<BIGINT> list', 'BIGINT', () => summingLists(BIGINT_ARITHMETIC)),
  aggSig('ARRAY<DOUBLE> list', 'DOUBLE', () => summingLists(DOUBLE_ARITHMETIC)),
]);

/**
 * AVG keeps the sum (in the argument's type, wrapping like SUM) and the count of non-null
 * values; an empty group averages 0.0. ksqlDB declares INT, BIGINT and DOUBLE only: a DECIMAL
 * argument widens to DOUBLE.
 */
function averaging(arithmetic: Arithmetic, sumType: SqlType): AggregateImplementation {
  const intermediateType = struct(['SUM', sumType], ['COUNT', BIGINT]);
  const make = (sum: SqlValue, count: bigint): SqlStruct => {
    const s: Record<string, SqlValue> = Object.create(null);
    s.SUM = sum;
    s.COUNT = count;
    return s;
  };
  const parts = (acc: SqlValue) => {
    const s = acc as SqlStruct;
    return { sum: s.SUM ?? arithmetic.zero, count: (s.COUNT ?? 0n) as bigint };
  };
  return {
    intermediateType,
    initialize: () => make(arithmetic.zero, 0n),
    aggregate: (acc, [v]) => {
      if (v === null || v === undefined) return acc;
      const { sum, count } = parts(acc);
      return make(arithmetic.add(sum, v), count + 1n);
    },
    undo: (acc, [v]) => {
      if (v === null || v === undefined) return acc;
      const { sum, count } = parts(acc);
      return make(arithmetic.subtract(sum, v), count - 1n);
    },
    merge: (a, b) => {
      const left = parts(a);
      const right = parts(b);
      return make(arithmetic.add(left.sum, right.sum), left.count + right.count);
    },
    result: (acc) => {
      const { sum, count } = parts(acc);
      return count === 0n ? 0 : Number(sum) / Number(count);
    },
  };
}

const AVG = aggregate('AVG', 'Average of the values.', [
  aggSig('INT val', 'DOUBLE', () => averaging(INT_ARITHMETIC, INTEGER)),
  aggSig('BIGINT val', 'DOUBLE', () => averaging(BIGINT_ARITHMETIC, BIGINT)),
  aggSig('DOUBLE val', 'DOUBLE', () => averaging(DOUBLE_ARITHMETIC, DOUBLE)),
]);

export const sumAggregates: readonly AggregateDefinition[] = [COUNT, SUM, SUM_LIST, AVG];
