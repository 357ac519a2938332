/**
 * The memory budget shared by the stores of one StateStore: an LRU of key entries with an
 * estimated size. Only clean entries (nothing pending for DuckDB) of an older epoch are
 * evicted; the epoch advances at each commit, so whatever a batch prefetched or wrote stays
 * in memory until the commit that follows it.
 */
import { isDecimal, type SqlStruct, type SqlValue } from '../catalog/values.js';
import type { StateRow } from './state-store.js';

/** What the cache needs to know about one cached key of some store. */
export interface CachedKey {
  readonly id: string;
  bytes: number;
  dirty: number;
  epoch: number;
  evict(): void;
}

export class StateCache {
  usedBytes = 0;
  epoch = 0;
  private readonly lru = new Set<CachedKey>();
  private readonly bounded: boolean;

  constructor(readonly budgetBytes: number = Number.POSITIVE_INFINITY) {
    this.bounded = Number.isFinite(budgetBytes);
  }

  touch(entry: CachedKey): void {
    entry.epoch = this.epoch;
    if (!this.bounded) return;
    this.lru.delete(entry);
    this.lru.add(entry);
  }

  add(entry: CachedKey): void {
    this.usedBytes += entry.bytes;
    this.touch(entry);
  }

  resize(entry: CachedKey, delta: number): void {
    entry.bytes += delta;
    this.usedBytes += delta;
  }

  remove(entry: CachedKey): void {
    this.usedBytes -= entry.bytes;
    this.lru.delete(entry);
  }

  /** Starts a new epoch: everything cached before becomes evictable once clean. */
  advance(): void {
    this.epoch++;
  }

  evictToBudget(): void {
    if (!this.bounded || this.usedBytes <= this.budgetBytes) return;
    for (const entry of this.lru) {
      if (this.usedBytes <= this.budgetBytes) return;
      // The LRU is in touch order, so entries of the current epoch come after all others.
      if (entry.epoch === this.epoch) return;
      if (entry.dirty > 0) continue;
      this.remove(entry);
      entry.evict();
    }
  }
}

/** A rough size of a row in V8's memory: enough to keep a budget, not an exact account. */
export function estimateRowBytes(row: StateRow): number {
  let bytes = 16 + 8 * row.length;
  for (const value of row) bytes += estimateValueBytes(value);
  return bytes;
}

function estimateValueBytes(value: SqlValue): number {
  if (value === null) return 0;
  switch (typeof value) {
    case 'boolean':
      return 0;
    case 'number':
      return 8;
    case 'bigint':
      return 24;
    case 'string':
      return 16 + value.length * 2;
  }
  if (isDecimal(value)) return 64;
  if (value instanceof Uint8Array) return 96 + value.byteLength;
  if (Array.isArray(value)) return estimateRowBytes(value as readonly SqlValue[]);
  if (value instanceof Map) {
    let bytes = 64;
    for (const [k, v] of value) bytes += 32 + estimateValueBytes(k) + estimateValueBytes(v);
    return bytes;
  }
  let bytes = 32;
  const struct = value as SqlStruct;
  for (const name of Object.keys(struct)) bytes += 16 + estimateValueBytes(struct[name] ?? null);
  return bytes;
}
