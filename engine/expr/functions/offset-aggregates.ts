/**
 * ksqlDB's EARLIEST_BY_OFFSET and LATEST_BY_OFFSET: the value (or the N values) of the
 * records with the lowest or highest offsets. Nulls are skipped unless ignoreNulls is false.
 * The accumulator keeps each value with its record's offset so that merging two session
 * windows keeps the right ones. No undo: ksqlDB rejects them on a table source.
 */
import { arrayType, type SqlType, SqlTypes, struct } from '../../catalog/types.js';
import type { SqlStruct, SqlValue } from '../../catalog/values.js';
import {
  type AggregateCallInfo,
  type AggregateDefinition,
  aggregate,
  aggSig,
  constantBoolean,
  constantInt,
  list,
  parameterType,
} from './aggregate-definition.js';
import type { AggregateContext, AggregateImplementation } from './aggregate-types.js';
import { FunctionResolutionError } from './function-types.js';

type Which = 'EARLIEST' | 'LATEST';

function entryType(type: SqlType): SqlType {
  return struct(['SEQ', SqlTypes.BIGINT], ['VAL', type]);
}

function entry(seq: bigint, value: SqlValue): SqlStruct {
  const s: Record<string, SqlValue> = Object.create(null);
  s.SEQ = seq;
  s.VAL = value;
  return s;
}

const seqOf = (e: SqlValue): bigint => (e as SqlStruct).SEQ as bigint;
const valOf = (e: SqlValue): SqlValue => (e as SqlStruct).VAL ?? null;

/** The record's offset; without one, the next number after those already kept. */
function sequence(entries: readonly SqlValue[], ctx: AggregateContext | undefined): bigint {
  if (ctx !== undefined) return ctx.offset;
  return entries.reduce<bigint>((max, e) => (seqOf(e) >= max ? seqOf(e) + 1n : max), 0n);
}

const bySeq = (a: SqlValue, b: SqlValue) => (seqOf(a) < seqOf(b) ? -1 : seqOf(a) > seqOf(b) ? 1 : 0);

function single(which: Which, type: SqlType, ignoreNulls: boolean): AggregateImplementation {
  return {
    intermediateType: entryType(type),
    initialize: () => null,
    aggregate: (acc, [v], ctx) => {
      const value = v ?? null;
      if (value === null && ignoreNulls) return acc;
      if (which === 'EARLIEST' && acc !== null) return acc;
      return entry(sequence(acc === null ? [] : [acc], ctx), value);
    },
    merge: (a, b) => {
      if (a === null) return b;
      if (b === null) return a;
      const aFirst = seqOf(a) <= seqOf(b);
      return which === 'EARLIEST' ? (aFirst ? a : b) : aFirst ? b : a;
    },
    result: (acc) => (acc === null ? null : valOf(acc)),
  };
}

function several(which: Which, type: SqlType, n: number, ignoreNulls: boolean): AggregateImplementation {
  const keep = (entries: readonly SqlValue[]) =>
    which === 'EARLIEST' ? entries.slice(0, n) : entries.slice(-n);
  return {
    intermediateType: arrayType(entryType(type)),
    initialize: () => [],
    aggregate: (acc, [v], ctx) => {
      const value = v ?? null;
      const entries = list(acc);
      if (value === null && ignoreNulls) return entries;
      if (which === 'EARLIEST' && entries.length >= n) return entries;
      return keep([...entries, entry(sequence(entries, ctx), value)]);
    },
    merge: (a, b) => keep([...list(a), ...list(b)].sort(bySeq)),
    result: (acc) => list(acc).map(valOf),
  };
}

function positiveN(call: AggregateCallInfo, param: string): number {
  const n = constantInt(call, 1, param);
  if (n <= 0) throw new FunctionResolutionError(`${param} must be 1 or greater`);
  return n;
}

function byOffset(which: Which, description: string): AggregateDefinition {
  const name = `${which}_BY_OFFSET`;
  const nParam = which === 'EARLIEST' ? 'earliestN' : 'latestN';
  return aggregate(name, description, [
    aggSig('T val', 'T', (call) => single(which, parameterType(call, 0), true)),
    aggSig('T val, BOOLEAN ignoreNulls', 'T', (call) =>
      single(which, parameterType(call, 0), constantBoolean(call, 1, 'ignoreNulls')),
    ),
    aggSig(`T val, INT ${nParam}`, 'ARRAY<T>', (call) =>
      several(which, parameterType(call, 0), positiveN(call, nParam), true),
    ),
    aggSig(`T val, INT ${nParam}, BOOLEAN ignoreNulls`, 'ARRAY<T>', (call) =>
      several(
        which,
        parameterType(call, 0),
        positiveN(call, nParam),
        constantBoolean(call, 2, 'ignoreNulls'),
      ),
    ),
  ]);
}

export const offsetAggregates: readonly AggregateDefinition[] = [
  byOffset('EARLIEST', 'The value of the record with the lowest offset.'),
  byOffset('LATEST', 'The value of the record with the highest offset.'),
];
