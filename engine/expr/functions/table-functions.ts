/** ksqlDB's table functions: each input row becomes zero or more output rows. */
import { valueKey } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, table, tableSig } from './function-definition.js';

const TABLE = 'TABLE';
type List = readonly SqlValue[];

/**
 * Every combination of keeping or nulling each element, starting from all nulls, without
 * repeating a combination (nulls in the input make some coincide).
 */
function cube(values: List): SqlValue[] {
  const n = values.length;
  const seen = new Set<string>();
  const out: SqlValue[] = [];
  for (let mask = 0; mask < 2 ** n; mask++) {
    const combination = values.map((v, i) => ((mask >> (n - 1 - i)) & 1 ? v : null));
    const key = valueKey(combination);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(combination);
  }
  return out;
}

export const tableFunctions: readonly FunctionDefinition[] = [
  table('EXPLODE', TABLE, 'One row per element of the array; none for a null or empty array.', [
    tableSig(
      'ARRAY<DECIMAL> input',
      {
        text: 'DECIMAL',
        rule: (call) => {
          const type = call.argTypes[0];
          if (type?.kind !== 'ARRAY') throw new Error('EXPLODE needs an array');
          return type.element;
        },
      },
      ([a]) => (a === null ? [] : (a as List)),
    ),
    tableSig('ARRAY<T> list', 'T', ([a]) => (a === null ? [] : (a as List))),
  ]),
  table('CUBE_EXPLODE', TABLE, 'One row per combination of the elements and nulls.', [
    tableSig('ARRAY<T> list', 'ARRAY<T>', ([a]) => (a === null ? [] : cube(a as List))),
  ]),
];
