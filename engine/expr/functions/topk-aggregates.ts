/**
 * ksqlDB's TOPK and TOPKDISTINCT: the k highest non-null values, highest first. TOPK keeps
 * duplicates (among equal values, the earlier row first) and may carry other columns along
 * with the sort column as `STRUCT<sort_col T, col0 U, ...>`. No undo, as in ksqlDB.
 */
import { arrayType, type SqlType, type StructField, structType } from '../../catalog/types.js';
import { compareValues, valuesEqual } from '../../catalog/value-compare.js';
import type { SqlStruct, SqlValue } from '../../catalog/values.js';
import {
  type AggregateCallInfo,
  type AggregateDefinition,
  type AggregateSignature,
  aggregate,
  aggSig,
  constantInt,
  list,
  parameterType,
} from './aggregate-definition.js';
import type { AggregateImplementation } from './aggregate-types.js';
import type { ReturnSpec } from './function-definition.js';
import { FunctionResolutionError } from './function-types.js';

/** The types TOPK and TOPKDISTINCT sort. */
const SORTABLE_TYPES = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];
/** Other columns TOPK can carry with the sort column. */
const MAX_OTHER_COLUMNS = 3;
const OTHER_GENERICS = ['U', 'V', 'W'];

function kOf(call: AggregateCallInfo, index: number, name: string): number {
  const k = constantInt(call, index, `${name} k`);
  if (k <= 0) throw new FunctionResolutionError(`${name} k must be greater than 0, but was ${k}.`);
  return k;
}

/** Inserts `value` after every element that sorts at or above it, keeping the first `k`. */
function insertDescending(
  values: readonly SqlValue[],
  value: SqlValue,
  k: number,
  sortKey: (v: SqlValue) => SqlValue,
): readonly SqlValue[] {
  const key = sortKey(value);
  let index = values.length;
  for (let i = 0; i < values.length; i++) {
    if (compareValues(sortKey(values[i] ?? null), key) < 0) {
      index = i;
      break;
    }
  }
  if (index >= k) return values;
  return [...values.slice(0, index), value, ...values.slice(index)].slice(0, k);
}

function topk(
  k: number,
  elementType: SqlType,
  toElement: (args: readonly SqlValue[]) => SqlValue,
  sortKey: (v: SqlValue) => SqlValue,
): AggregateImplementation {
  return {
    intermediateType: arrayType(elementType),
    initialize: () => [],
    aggregate: (acc, args) =>
      (args[0] ?? null) === null ? acc : insertDescending(list(acc), toElement(args), k, sortKey),
    merge: (a, b) =>
      list(b).reduce<readonly SqlValue[]>((acc, v) => insertDescending(acc, v, k, sortKey), list(a)),
    result: (acc) => acc,
  };
}

const identity = (v: SqlValue) => v;

/** `ARRAY<T>` of the first argument's resolved type (a DECIMAL keeps its precision). */
function arrayOfArgument(typeText: string): ReturnSpec {
  return {
    text: `ARRAY<${typeText}>`,
    rule: (call) => {
      const type = call.parameterTypes[0] ?? call.argTypes[0];
      if (type === null || type === undefined)
        throw new FunctionResolutionError('Cannot sort a NULL literal.');
      return arrayType(type);
    },
  };
}

function otherColumnsStruct(call: Pick<AggregateCallInfo, 'parameterTypes' | 'argTypes'>, others: number) {
  const fields: StructField[] = [];
  for (let i = 0; i <= others; i++) {
    const type = call.parameterTypes[i] ?? call.argTypes[i];
    if (type === null || type === undefined)
      throw new FunctionResolutionError('TOPK cannot sort or carry a NULL literal.');
    fields.push({ name: i === 0 ? 'sort_col' : `col${i - 1}`, type });
  }
  return structType(fields);
}

function topkSignatures(): AggregateSignature[] {
  const signatures: AggregateSignature[] = [];
  for (const type of SORTABLE_TYPES) {
    signatures.push(
      aggSig(`${type} val, INT k`, arrayOfArgument(type), (call) =>
        topk(kOf(call, 1, 'TOPK'), parameterType(call, 0), ([v]) => v ?? null, identity),
      ),
    );
    for (let others = 1; others <= MAX_OTHER_COLUMNS; others++) {
      const generics = OTHER_GENERICS.slice(0, others);
      const params = [`${type} sort_col`, ...generics.map((g, i) => `${g} col${i}`), 'INT k'].join(', ');
      const text = `ARRAY<STRUCT<sort_col ${type}, ${generics.map((g, i) => `col${i} ${g}`).join(', ')}>>`;
      signatures.push(
        aggSig(params, { text, rule: (call) => arrayType(otherColumnsStruct(call, others)) }, (call) => {
          const struct = otherColumnsStruct(call, others);
          return topk(
            kOf(call, others + 1, 'TOPK'),
            struct,
            (args) => {
              const s: Record<string, SqlValue> = Object.create(null);
              struct.fields.forEach((f, i) => {
                s[f.name] = args[i] ?? null;
              });
              return s;
            },
            (v) => (v as SqlStruct).sort_col ?? null,
          );
        }),
      );
    }
  }
  return signatures;
}

function topkDistinct(call: AggregateCallInfo): AggregateImplementation {
  const k = kOf(call, 1, 'TOPKDISTINCT');
  const add = (values: readonly SqlValue[], v: SqlValue) =>
    v === null || values.some((x) => valuesEqual(x, v)) ? values : insertDescending(values, v, k, identity);
  return {
    intermediateType: arrayType(parameterType(call, 0)),
    initialize: () => [],
    aggregate: (acc, [v]) => add(list(acc), v ?? null),
    merge: (a, b) => list(b).reduce<readonly SqlValue[]>(add, list(a)),
    result: (acc) => acc,
  };
}

export const topkAggregates: readonly AggregateDefinition[] = [
  aggregate('TOPK', 'The top K values, highest first.', topkSignatures()),
  aggregate(
    'TOPKDISTINCT',
    'The top K distinct values, highest first.',
    SORTABLE_TYPES.map((type) => aggSig(`${type} val, INT k`, arrayOfArgument(type), topkDistinct)),
  ),
];
