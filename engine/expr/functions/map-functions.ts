/** ksqlDB's map functions; keys and values come out in the order ksqlDB's maps iterate (java-map-order.ts). */
import { arrayType, SqlTypes, struct } from '../../catalog/types.js';
import { compareValues } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig, strict } from './function-definition.js';
import { javaMapEntries } from './java-map-order.js';

const MAP = 'MAP';
type SqlMap = ReadonlyMap<SqlValue, SqlValue>;
type List = readonly SqlValue[];

function entry(key: SqlValue, value: SqlValue): SqlValue {
  const fields: Record<string, SqlValue> = Object.create(null);
  fields.K = key;
  fields.V = value;
  return fields;
}

export const mapFunctions: readonly FunctionDefinition[] = [
  scalar('MAP_KEYS', MAP, 'The keys of a map.', [
    sig(
      'MAP<K, V> map',
      'ARRAY<K>',
      strict(([m]) => javaMapEntries(m as SqlMap).map(([k]) => k)),
    ),
  ]),
  scalar('MAP_VALUES', MAP, 'The values of a map.', [
    sig(
      'MAP<K, V> map',
      'ARRAY<V>',
      strict(([m]) => javaMapEntries(m as SqlMap).map(([, v]) => v)),
    ),
  ]),
  scalar('MAP_UNION', MAP, 'Both maps merged; on a shared key the second map wins.', [
    sig('MAP<K, V> map1, MAP<K, V> map2', 'MAP<K, V>', ([a, b]) => {
      if (a === null && b === null) return null;
      return new Map([...((a as SqlMap | null) ?? []), ...((b as SqlMap | null) ?? [])]);
    }),
  ]),
  scalar('AS_MAP', MAP, 'A map from an array of keys and an array of values.', [
    sig(
      'ARRAY<STRING> keys, ARRAY<V> values',
      'MAP<STRING, V>',
      strict(([k, v]) => {
        const keys = k as List;
        const values = v as List;
        const map = new Map<SqlValue, SqlValue>();
        keys.forEach((key, i) => {
          map.set(key, values[i] ?? null);
        });
        return map;
      }),
    ),
  ]),
  scalar('ENTRIES', MAP, 'The entries of a map as structs of K and V, optionally sorted by key.', [
    sig(
      'MAP<STRING, V> map, BOOLEAN sorted',
      {
        text: 'ARRAY<STRUCT<K STRING, V V>>',
        rule: (call) => {
          const type = call.argTypes[0];
          const value = type?.kind === 'MAP' ? type.value : SqlTypes.STRING;
          return arrayType(struct(['K', SqlTypes.STRING], ['V', value]));
        },
      },
      ([m, sorted]) => {
        if (m === null) return null;
        const entries = javaMapEntries(m as SqlMap);
        if (sorted === true) entries.sort(([a], [b]) => compareValues(a, b));
        return entries.map(([k, v]) => entry(k, v));
      },
    ),
  ]),
];
