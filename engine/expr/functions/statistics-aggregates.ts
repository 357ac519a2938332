/**
 * ksqlDB's STDDEV_SAMP, STDDEV_SAMPLE, STDDEV_POP and CORRELATION. Rows with a null input are
 * skipped; all have undo and merge.
 *
 * ksqlDB's STDDEV_SAMP returns the sample *variance* (its tests expect 50.0 for 0 and 10),
 * while the older STDDEV_SAMPLE returns its square root; Sluice matches both. A group of
 * fewer than two values has a deviation of 0.0.
 */
import { SqlTypes, type StructType, struct } from '../../catalog/types.js';
import type { SqlStruct, SqlValue } from '../../catalog/values.js';
import { type AggregateDefinition, aggregate, aggSig } from './aggregate-definition.js';
import type { AggregateImplementation } from './aggregate-types.js';

const { BIGINT, DOUBLE } = SqlTypes;

function record(fields: Readonly<Record<string, SqlValue>>): SqlStruct {
  return Object.assign(Object.create(null) as Record<string, SqlValue>, fields);
}

/**
 * Count, sum and M2 (the sum of squared differences from the mean), updated per value as
 * M2 += (n·v − S)² / (n·(n − 1)) with n and S after the value. INT and BIGINT values sum
 * exactly in a BIGINT, so only the squared term is a double.
 */
interface Moments {
  readonly count: bigint;
  readonly sum: number | bigint;
  readonly m2: number;
}

type Reduce = (moments: Moments) => number;

function moments(exact: boolean, reduce: Reduce): AggregateImplementation {
  const intermediateType: StructType = struct(
    ['COUNT', BIGINT],
    ['SUM', exact ? BIGINT : DOUBLE],
    ['M2', DOUBLE],
  );
  const read = (acc: SqlValue): Moments => {
    const s = acc as SqlStruct;
    return { count: s.COUNT as bigint, sum: s.SUM as number | bigint, m2: s.M2 as number };
  };
  const write = (m: Moments) => record({ COUNT: m.count, SUM: m.sum, M2: m.m2 });
  const value = (v: SqlValue) => (exact ? BigInt(v as number | bigint) : (v as number));
  /** (n·v − S)², n and S including v. */
  const term = (n: bigint, v: number | bigint, sum: number | bigint) =>
    exact
      ? Number(n * (v as bigint) - (sum as bigint)) ** 2
      : (Number(n) * (v as number) - (sum as number)) ** 2;
  const add = (a: number | bigint, b: number | bigint) =>
    exact ? (a as bigint) + (b as bigint) : (a as number) + (b as number);
  const sub = (a: number | bigint, b: number | bigint) =>
    exact ? (a as bigint) - (b as bigint) : (a as number) - (b as number);
  const zero = exact ? 0n : 0;
  return {
    intermediateType,
    initialize: () => write({ count: 0n, sum: zero, m2: 0 }),
    aggregate: (acc, [raw]) => {
      if (raw === null || raw === undefined) return acc;
      const m = read(acc);
      const v = value(raw);
      const count = m.count + 1n;
      const sum = add(m.sum, v);
      const m2 = m.count === 0n ? 0 : m.m2 + term(count, v, sum) / (Number(count) * Number(m.count));
      return write({ count, sum, m2 });
    },
    undo: (acc, [raw]) => {
      if (raw === null || raw === undefined) return acc;
      const m = read(acc);
      const v = value(raw);
      if (m.count <= 1n) return write({ count: 0n, sum: zero, m2: 0 });
      const m2 = m.m2 - term(m.count, v, m.sum) / (Number(m.count) * Number(m.count - 1n));
      return write({ count: m.count - 1n, sum: sub(m.sum, v), m2 });
    },
    merge: (a, b) => {
      const left = read(a);
      const right = read(b);
      if (left.count === 0n) return b;
      if (right.count === 0n) return a;
      const count = left.count + right.count;
      const delta = Number(right.sum) / Number(right.count) - Number(left.sum) / Number(left.count);
      const m2 =
        left.m2 + right.m2 + (delta * delta * Number(left.count) * Number(right.count)) / Number(count);
      return write({ count, sum: add(left.sum, right.sum), m2 });
    },
    result: (acc) => reduce(read(acc)),
  };
}

const sampleVariance: Reduce = ({ count, m2 }) => (count < 2n ? 0 : m2 / Number(count - 1n));
const sampleDeviation: Reduce = (m) => Math.sqrt(sampleVariance(m));
const populationDeviation: Reduce = ({ count, m2 }) => (count === 0n ? 0 : Math.sqrt(m2 / Number(count)));

function deviation(name: string, description: string, reduce: Reduce): AggregateDefinition {
  return aggregate(name, description, [
    aggSig('INT val', 'DOUBLE', () => moments(true, reduce)),
    aggSig('BIGINT val', 'DOUBLE', () => moments(true, reduce)),
    aggSig('DOUBLE val', 'DOUBLE', () => moments(false, reduce)),
  ]);
}

const CORRELATION_STATE = struct(
  ['X_SUM', DOUBLE],
  ['Y_SUM', DOUBLE],
  ['X_SQUARED_SUM', DOUBLE],
  ['Y_SQUARED_SUM', DOUBLE],
  ['XY_SUM', DOUBLE],
  ['COUNT', BIGINT],
);

/** Pearson's correlation from running sums; NaN while it is undefined (fewer than two points). */
function correlation(): AggregateImplementation {
  const zero = record({ X_SUM: 0, Y_SUM: 0, X_SQUARED_SUM: 0, Y_SQUARED_SUM: 0, XY_SUM: 0, COUNT: 0n });
  const step = (acc: SqlValue, x: number, y: number, sign: 1 | -1): SqlValue => {
    const s = acc as SqlStruct;
    return record({
      X_SUM: (s.X_SUM as number) + sign * x,
      Y_SUM: (s.Y_SUM as number) + sign * y,
      X_SQUARED_SUM: (s.X_SQUARED_SUM as number) + sign * x * x,
      Y_SQUARED_SUM: (s.Y_SQUARED_SUM as number) + sign * y * y,
      XY_SUM: (s.XY_SUM as number) + sign * x * y,
      COUNT: (s.COUNT as bigint) + BigInt(sign),
    });
  };
  const apply = (sign: 1 | -1) => (acc: SqlValue, args: readonly SqlValue[]) => {
    const [x, y] = args;
    return x === null || x === undefined || y === null || y === undefined
      ? acc
      : step(acc, x as number, y as number, sign);
  };
  return {
    intermediateType: CORRELATION_STATE,
    initialize: () => zero,
    aggregate: apply(1),
    undo: apply(-1),
    merge: (a, b) => {
      const l = a as SqlStruct;
      const r = b as SqlStruct;
      return record({
        X_SUM: (l.X_SUM as number) + (r.X_SUM as number),
        Y_SUM: (l.Y_SUM as number) + (r.Y_SUM as number),
        X_SQUARED_SUM: (l.X_SQUARED_SUM as number) + (r.X_SQUARED_SUM as number),
        Y_SQUARED_SUM: (l.Y_SQUARED_SUM as number) + (r.Y_SQUARED_SUM as number),
        XY_SUM: (l.XY_SUM as number) + (r.XY_SUM as number),
        COUNT: (l.COUNT as bigint) + (r.COUNT as bigint),
      });
    },
    result: (acc) => {
      const s = acc as SqlStruct;
      const n = Number(s.COUNT as bigint);
      const sx = s.X_SUM as number;
      const sy = s.Y_SUM as number;
      const covariance = n * (s.XY_SUM as number) - sx * sy;
      const xSpread = n * (s.X_SQUARED_SUM as number) - sx * sx;
      const ySpread = n * (s.Y_SQUARED_SUM as number) - sy * sy;
      return covariance / Math.sqrt(xSpread * ySpread);
    },
  };
}

export const statisticsAggregates: readonly AggregateDefinition[] = [
  deviation('STDDEV_SAMP', 'Sample variance, as ksqlDB computes STDDEV_SAMP.', sampleVariance),
  deviation('STDDEV_SAMPLE', 'Sample standard deviation (older name).', sampleDeviation),
  deviation('STDDEV_POP', 'Population standard deviation.', populationDeviation),
  aggregate('CORRELATION', 'Pearson correlation of two columns.', [
    aggSig('DOUBLE x, DOUBLE y', 'DOUBLE', correlation),
  ]),
];
