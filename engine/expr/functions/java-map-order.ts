/**
 * The order in which ksqlDB's functions see a map's entries. ksqlDB hands functions Java
 * HashMaps copied from the deserialized record, and a HashMap iterates by hash bucket, not by
 * insertion; REDUCE over a map folds in that order, so its result depends on it
 * (reduce-map.json). Sluice keeps maps in insertion order and reorders them here, only where
 * the order is observable.
 *
 * The table size is the one `new HashMap<>(map)` picks: the next power of two of
 * `size / 0.75 + 1`. Within a bucket, entries keep insertion order, as HashMap's chains do.
 * Keys whose Java hash is not modelled (anything but STRING, INTEGER, BIGINT and BOOLEAN)
 * leave the map in insertion order.
 */
import type { SqlValue } from '../../catalog/values.js';

type Entry = readonly [SqlValue, SqlValue];

/** Java's String.hashCode over UTF-16 code units. */
function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

function javaHash(key: SqlValue): number | undefined {
  switch (typeof key) {
    case 'string':
      return stringHash(key);
    case 'number':
      return Number.isInteger(key) ? key | 0 : undefined;
    case 'bigint':
      return Number(BigInt.asIntN(32, key ^ (key >> 32n)));
    case 'boolean':
      return key ? 1231 : 1237;
    default:
      return undefined;
  }
}

function tableSize(entries: number): number {
  const wanted = Math.floor(entries / 0.75 + 1);
  let size = 1;
  while (size < wanted) size *= 2;
  return Math.max(size, 1);
}

export function javaMapEntries(map: ReadonlyMap<SqlValue, SqlValue>): Entry[] {
  const entries = [...map];
  if (entries.length < 2) return entries;
  const mask = tableSize(entries.length) - 1;
  const buckets: number[] = [];
  for (const [key] of entries) {
    const h = javaHash(key);
    if (h === undefined) return entries;
    buckets.push((h ^ (h >>> 16)) & mask);
  }
  const order = entries.map((_, i) => i);
  order.sort((a, b) => (buckets[a] as number) - (buckets[b] as number) || a - b);
  return order.map((i) => entries[i] as Entry);
}
