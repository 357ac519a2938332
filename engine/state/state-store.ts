/**
 * The StateStore seam: the state that aggregations, windows and joins keep between records,
 * and the source positions it covers.
 *
 * One `StateStore` belongs to one persistent query, or to one materialized table (one DuckDB
 * file each; engine/materialize/materialized-state.ts). It holds any number of
 * named stores of three kinds:
 * - `KeyValueStore`: key -> value (table materialization, aggregates).
 * - `WindowStore`: (key, window) -> value, read by key and window start, expired by time.
 * - `MultiMapStore`: key -> several timestamped values (stream-stream join buffers).
 *
 * Keys and values are rows of runtime values (`SqlValue[]`). Keys are equal exactly when
 * `rowKey` (engine/catalog/value-compare.ts) is equal.
 *
 * Processing is synchronous: `get`, `put`, `fetch` work on memory. Before a batch the runner
 * calls `prefetch(keys)` on each store the batch touches, which loads the keys that are not
 * in memory from DuckDB in one query. Reading a key that was neither prefetched nor written
 * since the last commit throws `StateNotLoadedError`, because the answer would otherwise
 * depend on the cache budget. Writes stay in memory until `commit(positions)`, which makes
 * all stores' writes and the source positions durable in one DuckDB transaction, and returns
 * the changelog records the runtime appends to each store's compacted changelog topic.
 *
 * Memory is a bounded cache: after each commit (and before each prefetch) clean entries are
 * evicted, least recently used first, down to the budget; entries written or prefetched since
 * the last commit stay until the next one, so a batch never loses what it prefetched.
 */
import type { SqlValue } from '../catalog/values.js';
import type { TopicPartitionOffset } from '../log/log.js';

/**
 * A key or a value: a row of runtime values. Stores keep the rows they are given until the
 * commit encodes them, so a row must not be changed after it is put: put a new row.
 */
export type StateRow = readonly SqlValue[];

export type StoreKind = 'keyValue' | 'window' | 'multiMap';

/** A time window, epoch millis: start inclusive, end exclusive (ksqlDB's windows). */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

export interface WindowEntry {
  readonly window: TimeWindow;
  readonly value: StateRow;
}

export interface KeyedWindowEntry extends WindowEntry {
  readonly key: StateRow;
}

export interface TimestampedValue {
  readonly timestamp: number;
  readonly value: StateRow;
}

/**
 * One record of a store's changelog, for a compacted topic: the key is the canonical key
 * encoding (row-codec.ts), followed for window stores by the window start and end and for
 * multi-maps by the timestamp and a sequence number (each an int64, big-endian); the value
 * is the value row's encoding, or null for a deletion.
 */
export interface ChangelogRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

export interface StoreBase {
  readonly name: string;
  readonly kind: StoreKind;
  /** Loads the keys not already in memory, with all their entries, in one DuckDB query. */
  prefetch(keys: Iterable<StateRow>): Promise<void>;
  /**
   * Rebuilds state from changelog records (in log order: the last record of a key wins) and
   * writes it to DuckDB at once; produces no changelog. Call before processing starts.
   */
  restore(records: readonly ChangelogRecord[]): Promise<void>;
}

export interface KeyValueEntry {
  readonly key: StateRow;
  readonly value: StateRow;
}

export interface KeyValueStore extends StoreBase {
  readonly kind: 'keyValue';
  get(key: StateRow): StateRow | undefined;
  put(key: StateRow, value: StateRow): void;
  delete(key: StateRow): void;
  /**
   * Every entry, in no particular order (table scans of pull queries): the writes in memory
   * when the scan starts, and the rest from DuckDB as of the last commit. Commits may run
   * while a scan is read.
   */
  entries(): AsyncIterable<KeyValueEntry>;
}

export interface WindowStore extends StoreBase {
  readonly kind: 'window';
  get(key: StateRow, window: TimeWindow): StateRow | undefined;
  put(key: StateRow, window: TimeWindow, value: StateRow): void;
  delete(key: StateRow, window: TimeWindow): void;
  /** The windows of `key` whose start is in [fromStart, toStart], by start then end. */
  fetch(key: StateRow, fromStart: number, toStart: number): WindowEntry[];
  /** Every live window of every key, in no particular order; as `KeyValueStore.entries`. */
  entries(): AsyncIterable<KeyedWindowEntry>;
  /**
   * Writes a window (value null: deletes it) without reading its key, so the key needs no
   * prefetch; the key's other windows stay where they are. Reading the key afterwards still
   * needs a prefetch, which then merges what DuckDB holds under what was written.
   */
  blindPut(key: StateRow, window: TimeWindow, value: StateRow | null): void;
  /**
   * The windows of every key whose end is in [fromEnd, toEnd], as the last commit left them
   * (writes since are not included), in no particular order: one DuckDB query, filtered by
   * end, that leaves the cache alone. For a caller that tracks its own writes since the last
   * commit, and needs windows by end rather than by key (EMIT FINAL's held rows).
   */
  committedEndingIn(fromEnd: number, toEnd: number): Promise<KeyedWindowEntry[]>;
  /**
   * Drops every window that ends before `time` (retention: stream time minus size, grace
   * and retention). Expiry writes no changelog records: the changelog topic has time
   * retention of its own, as in Kafka Streams.
   */
  expireBefore(time: number): void;
}

export interface MultiMapStore extends StoreBase {
  readonly kind: 'multiMap';
  /**
   * Adds a value; values with equal keys and timestamps are all kept, in insertion order. An
   * add needs no prefetch, but a key added to without one must be prefetched before a fetch.
   */
  add(key: StateRow, timestamp: number, value: StateRow): void;
  /** The values of `key` with a timestamp in [fromTime, toTime], by timestamp then insertion. */
  fetch(key: StateRow, fromTime: number, toTime: number): TimestampedValue[];
  /**
   * Every live value of every key, in no particular order (loading a join's buffers); as
   * `KeyValueStore.entries`.
   */
  entries(): AsyncIterable<KeyedTimestampedValue>;
  /** Drops every value with a timestamp before `time`; no changelog records, as for windows. */
  expireBefore(time: number): void;
}

export interface KeyedTimestampedValue extends TimestampedValue {
  readonly key: StateRow;
}

export type Store = KeyValueStore | WindowStore | MultiMapStore;

/** Changelog records of one commit, by store name, in the order they must be appended. */
export type ChangelogBatch = ReadonlyMap<string, readonly ChangelogRecord[]>;

export interface StateStore {
  /** Opens (creating if needed) a store; opening a name with another kind fails. */
  keyValueStore(name: string): Promise<KeyValueStore>;
  windowStore(name: string): Promise<WindowStore>;
  multiMapStore(name: string): Promise<MultiMapStore>;
  /**
   * Makes every store's writes since the last commit, and `positions` (each the next offset
   * to read, as in Kafka), durable together. On failure nothing is written and the writes
   * stay pending, so the commit can be retried.
   */
  commit(positions: readonly TopicPartitionOffset[]): Promise<ChangelogBatch>;
  /** The positions of the last commit, to resume from; empty for new (or restored) state. */
  committedPositions(): Promise<TopicPartitionOffset[]>;
  /** Estimated bytes of state held in memory (a metric; kept within the budget after commits). */
  cachedBytes(): number;
  /** Closes without committing: writes since the last commit are lost, as in a crash. */
  close(): Promise<void>;
}

export interface StateStoreOptions {
  /** Estimated bytes of cached state kept after a commit. Default: unbounded. */
  cacheBytes?: number;
}

/** A read of a key that is neither in memory nor prefetched: a bug in the caller. */
export class StateNotLoadedError extends Error {
  override readonly name = 'StateNotLoadedError';
  constructor(store: string) {
    super(`state store ${store}: key read before it was prefetched`);
  }
}
