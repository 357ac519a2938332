/**
 * ksqlDB's MIN, MAX and ATTR. MIN and MAX skip nulls and have no undo (ksqlDB rejects them
 * on a table source: the previous extreme cannot be recovered from one value).
 */
import { arrayType, type SqlType, SqlTypes, struct } from '../../catalog/types.js';
import { compareValues, valuesEqual } from '../../catalog/value-compare.js';
import type { SqlStruct, SqlValue } from '../../catalog/values.js';
import {
  type AggregateCallInfo,
  type AggregateDefinition,
  aggregate,
  aggSig,
  list,
  parameterType,
} from './aggregate-definition.js';
import type { AggregateImplementation } from './aggregate-types.js';
import { sameAsArgument } from './function-definition.js';

/** The types MIN and MAX order (numbers, strings, bytes, dates and times). */
const ORDERED_TYPES = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];

function extreme(type: SqlType, keepsNew: (order: number) => boolean): AggregateImplementation {
  const pick = (current: SqlValue, candidate: SqlValue) => {
    if (candidate === null) return current;
    if (current === null) return candidate;
    return keepsNew(compareValues(candidate, current)) ? candidate : current;
  };
  return {
    intermediateType: type,
    initialize: () => null,
    aggregate: (acc, [v]) => pick(acc, v ?? null),
    merge: (a, b) => pick(a, b),
    result: (acc) => acc,
  };
}

function extremeFunction(name: string, description: string, keepsNew: (order: number) => boolean) {
  return aggregate(
    name,
    description,
    ORDERED_TYPES.map((type) =>
      aggSig(`${type} val`, type === 'DECIMAL' ? sameAsArgument(0, 'DECIMAL') : type, (call) =>
        extreme(parameterType(call, 0), keepsNew),
      ),
    ),
  );
}

const MIN = extremeFunction('MIN', 'The minimum value.', (order) => order < 0);
const MAX = extremeFunction('MAX', 'The maximum value.', (order) => order > 0);

/**
 * ATTR: the value when every row of the group has the same one (NULL included as a value),
 * else NULL. The accumulator counts each distinct value so a retraction can restore it.
 */
function attr(call: AggregateCallInfo): AggregateImplementation {
  const type = parameterType(call, 0);
  const entry = (value: SqlValue, count: number): SqlStruct => {
    const s: Record<string, SqlValue> = Object.create(null);
    s.VALUE = value;
    s.COUNT = count;
    return s;
  };
  const adjust = (acc: SqlValue, value: SqlValue, delta: number): SqlValue => {
    const entries = list(acc) as readonly SqlStruct[];
    const index = entries.findIndex((e) => valuesEqual(e.VALUE ?? null, value));
    if (index < 0) return delta > 0 ? [...entries, entry(value, delta)] : entries;
    const count = ((entries[index]?.COUNT ?? 0) as number) + delta;
    return count > 0
      ? entries.map((e, i) => (i === index ? entry(value, count) : e))
      : entries.filter((_, i) => i !== index);
  };
  return {
    intermediateType: arrayType(struct(['VALUE', type], ['COUNT', SqlTypes.INTEGER])),
    initialize: () => [],
    aggregate: (acc, [v]) => adjust(acc, v ?? null, 1),
    undo: (acc, [v]) => adjust(acc, v ?? null, -1),
    merge: (a, b) => {
      let acc: SqlValue = a;
      for (const e of list(b) as readonly SqlStruct[])
        acc = adjust(acc, e.VALUE ?? null, (e.COUNT ?? 0) as number);
      return acc;
    },
    result: (acc) => {
      const entries = list(acc) as readonly SqlStruct[];
      return entries.length === 1 ? (entries[0]?.VALUE ?? null) : null;
    },
  };
}

const ATTR = aggregate('ATTR', 'The value when all values in the group are equal, else null.', [
  aggSig('T val', 'T', attr),
]);

export const minMaxAggregates: readonly AggregateDefinition[] = [MIN, MAX, ATTR];
