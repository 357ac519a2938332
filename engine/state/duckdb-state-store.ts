/**
 * The StateStore on DuckDB: the only file that imports @duckdb/node-api.
 *
 * Layout of one state file (one persistent query):
 * - `sluice_state_stores`: each store's name, kind and expiry time;
 * - `sluice_state_positions`: the source positions the state covers;
 * - one table per store: (key BLOB, t1 BIGINT, t2 BIGINT, value BLOB), keys and values in
 *   the row codec's encoding.
 *
 * Store tables have no primary key and no index: measured on 100k keys, an upsert through a
 * PRIMARY KEY (MERGE or ON CONFLICT) ran 3-20x slower than DELETE ... USING the staging table
 * followed by INSERT, and degraded further when deleted keys came back. A plain ART index on
 * `key` did not speed up prefetches at 1M keys (DuckDB probes it per key, ~0.1-0.2 ms each,
 * about what a scan of 1M keys costs for a batch of 500) and doubled commit time. The cost
 * of both prefetch and update commits therefore grows with the table (a column scan of
 * `key`): the scaling limit of this layout. The cache guarantees that a commit stages each
 * (key, t1, t2) at most once, which is what keeps the table free of duplicates.
 */
import {
  BLOB,
  blobValue,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBValue,
  LIST,
  listValue,
} from '@duckdb/node-api';
import type { TopicPartitionOffset } from '../log/log.js';
import type { CachedStore, DurableEntry, DurableWrite, StoreBackend, StoreFlush } from './cached-store.js';
import { CachedKeyValueStore } from './key-value-store.js';
import { CachedMultiMapStore } from './multi-map-store.js';
import { StateCache } from './state-cache.js';
import type {
  ChangelogBatch,
  ChangelogRecord,
  KeyValueStore,
  MultiMapStore,
  StateStore,
  StateStoreOptions,
  StoreKind,
  WindowStore,
} from './state-store.js';
import { CachedWindowStore } from './window-store.js';

export interface DuckDBStateStoreOptions extends StateStoreOptions {
  /** DuckDB's `threads` setting; benchmarks use 1 to compare per core. */
  threads?: number;
}

/** A SQL identifier, quoted so any name (a query id, a store name) is taken literally. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const STORES_TABLE = 'sluice_state_stores';
const POSITIONS_TABLE = 'sluice_state_positions';
const STAGING_TABLE = 'sluice_state_staging';

function storeTable(name: string): string {
  return quoteIdentifier(`store_${name}`);
}

/** The column a store's entries expire by: a window's end, a multi-map value's timestamp. */
function expiryColumn(kind: StoreKind): 't1' | 't2' {
  return kind === 'multiMap' ? 't1' : 't2';
}

class DuckDBBackend implements StoreBackend {
  readonly kinds = new Map<string, StoreKind>();
  private tail: Promise<unknown> = Promise.resolve();

  /** The connections of the scans being read. */
  private readonly scanConnections = new Set<DuckDBConnection>();

  constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /**
   * Each scan reads on a connection of its own: DuckDB gives it a snapshot of the last commit,
   * so a scan read slowly by a client neither blocks nor sees a commit in progress, and two
   * scans read at once (two pull queries) never cut each other's results short, as two
   * streaming results on one connection would.
   */
  async *scan(
    store: string,
    kind: StoreKind,
    expiredBefore: number | undefined,
  ): AsyncGenerator<DurableEntry[]> {
    const connection = await this.instance.connect();
    this.scanConnections.add(connection);
    try {
      const expiry = expiredBefore === undefined ? '' : ` WHERE ${expiryColumn(kind)} >= $1`;
      const params: DuckDBValue[] = expiredBefore === undefined ? [] : [BigInt(expiredBefore)];
      const result = await connection.stream(
        `SELECT key, t1, t2, value FROM ${storeTable(store)}${expiry}`,
        params,
      );
      for await (const chunk of result) {
        yield durableEntries(chunk.getColumns(), chunk.rowCount);
      }
    } finally {
      if (this.scanConnections.delete(connection)) connection.closeSync();
    }
  }

  async closeScans(): Promise<void> {
    for (const connection of this.scanConnections) connection.closeSync();
    this.scanConnections.clear();
  }

  /**
   * Runs `work` after all work queued before it: one connection runs one statement at a
   * time, and a prefetch must never run inside a commit's transaction.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  load(
    store: string,
    kind: StoreKind,
    keys: readonly Buffer[],
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]> {
    return this.exclusive(() => this.select(store, kind, keys, expiredBefore));
  }

  private async select(
    store: string,
    kind: StoreKind,
    keys: readonly Buffer[],
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]> {
    const expiry = expiredBefore === undefined ? '' : ` AND ${expiryColumn(kind)} >= $2`;
    const params: DuckDBValue[] = [listValue(keys.map((k) => blobValue(k)))];
    if (expiredBefore !== undefined) params.push(BigInt(expiredBefore));
    return this.entries(
      `SELECT key, t1, t2, value FROM ${storeTable(store)} WHERE key IN (SELECT unnest($1))${expiry}`,
      params,
      [LIST(BLOB)],
    );
  }

  /**
   * By end: DuckDB's zone maps skip the row groups whose ends are all out of range, and
   * entries are appended roughly in time order, so this reads about the entries it returns.
   */
  loadEndingIn(
    store: string,
    fromEnd: number,
    toEnd: number,
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]> {
    const from = expiredBefore === undefined ? fromEnd : Math.max(fromEnd, expiredBefore);
    return this.exclusive(() =>
      this.entries(`SELECT key, t1, t2, value FROM ${storeTable(store)} WHERE t2 BETWEEN $1 AND $2`, [
        BigInt(from),
        BigInt(toEnd),
      ]),
    );
  }

  private async entries(
    sql: string,
    params: DuckDBValue[],
    types?: Parameters<DuckDBConnection['runAndReadAll']>[2],
  ): Promise<DurableEntry[]> {
    const reader = await this.connection.runAndReadAll(sql, params, types);
    return durableEntries(reader.getColumns(), reader.currentRowCount);
  }

  write(flushes: readonly StoreFlush[], positions?: readonly TopicPartitionOffset[]): Promise<void> {
    return this.exclusive(() => this.transaction(flushes, positions));
  }

  private async transaction(
    flushes: readonly StoreFlush[],
    positions: readonly TopicPartitionOffset[] | undefined,
  ): Promise<void> {
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    try {
      for (const flush of flushes) await this.flush(flush);
      if (positions !== undefined && positions.length > 0) await this.writePositions(positions);
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async flush(flush: StoreFlush): Promise<void> {
    const c = this.connection;
    const table = storeTable(flush.store);
    const kind = this.kinds.get(flush.store) ?? 'keyValue';
    if (flush.expiredBefore !== undefined) {
      const time = BigInt(flush.expiredBefore);
      await c.run(`DELETE FROM ${table} WHERE ${expiryColumn(kind)} < $1`, [time]);
      await c.run(`UPDATE ${STORES_TABLE} SET expired_before = $1 WHERE name = $2`, [time, flush.store]);
    }
    if (flush.inserts.length > 0) await this.append(`store_${flush.store}`, flush.inserts);
    if (flush.writes.length === 0) return;
    await c.run(`DELETE FROM ${STAGING_TABLE}`);
    await this.append(STAGING_TABLE, flush.writes);
    await c.run(
      `DELETE FROM ${table} USING ${STAGING_TABLE} s WHERE ${table}.key = s.key AND ${table}.t1 = s.t1 AND ${table}.t2 = s.t2`,
    );
    await c.run(
      `INSERT INTO ${table} SELECT key, t1, t2, value FROM ${STAGING_TABLE} WHERE value IS NOT NULL`,
    );
  }

  /** Appends rows to a table, named as DuckDB's appender takes it: unquoted. */
  private async append(table: string, rows: readonly DurableWrite[]): Promise<void> {
    const appender = await this.connection.createAppender(table);
    try {
      for (const w of rows) {
        appender.appendBlob(w.key);
        appender.appendBigInt(BigInt(w.t1));
        appender.appendBigInt(BigInt(w.t2));
        if (w.value === null) appender.appendNull();
        else appender.appendBlob(w.value);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
  }

  private async writePositions(positions: readonly TopicPartitionOffset[]): Promise<void> {
    const rows: string[] = [];
    const params: DuckDBValue[] = [];
    for (const p of positions) {
      const n = params.length;
      rows.push(`($${n + 1}, $${n + 2}, $${n + 3})`);
      params.push(p.topic, p.partition, p.offset);
    }
    await this.connection.run(`INSERT OR REPLACE INTO ${POSITIONS_TABLE} VALUES ${rows.join(', ')}`, params);
  }
}

function blobBytes(value: DuckDBValue | undefined): Uint8Array {
  if (value !== null && typeof value === 'object' && 'bytes' in value && value.bytes instanceof Uint8Array) {
    return value.bytes;
  }
  throw new TypeError('state store: expected a BLOB from DuckDB');
}

export class DuckDBStateStore implements StateStore {
  private readonly stores = new Map<string, CachedStore>();
  private readonly cache: StateCache;
  private closed = false;
  private committing = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly backend: DuckDBBackend,
    options: StateStoreOptions,
  ) {
    this.cache = new StateCache(options.cacheBytes);
  }

  /** Opens (creating if needed) the state file at `path`; `:memory:` keeps it in memory. */
  static async open(path: string, options: DuckDBStateStoreOptions = {}): Promise<DuckDBStateStore> {
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(path, config);
    const connection = await instance.connect();
    await connection.run(
      `CREATE TABLE IF NOT EXISTS ${STORES_TABLE} (name VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, expired_before BIGINT)`,
    );
    await connection.run(
      `CREATE TABLE IF NOT EXISTS ${POSITIONS_TABLE} (topic VARCHAR, "partition" INTEGER, next_offset BIGINT, PRIMARY KEY (topic, "partition"))`,
    );
    await connection.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${STAGING_TABLE} (key BLOB, t1 BIGINT, t2 BIGINT, value BLOB)`,
    );
    return new DuckDBStateStore(instance, new DuckDBBackend(instance, connection), options);
  }

  keyValueStore(name: string): Promise<KeyValueStore> {
    return this.openStore(name, 'keyValue') as Promise<CachedKeyValueStore>;
  }

  windowStore(name: string): Promise<WindowStore> {
    return this.openStore(name, 'window') as Promise<CachedWindowStore>;
  }

  multiMapStore(name: string): Promise<MultiMapStore> {
    return this.openStore(name, 'multiMap') as Promise<CachedMultiMapStore>;
  }

  private async openStore(name: string, kind: StoreKind): Promise<CachedStore> {
    this.checkOpen();
    const open = this.stores.get(name);
    if (open !== undefined) {
      if (open.kind !== kind) throw kindMismatch(name, open.kind, kind);
      return open;
    }
    const c = this.backend.connection;
    const known = (
      await c.runAndReadAll(`SELECT kind, expired_before FROM ${STORES_TABLE} WHERE name = $1`, [name])
    ).getRows()[0];
    if (known !== undefined && known[0] !== kind) throw kindMismatch(name, String(known[0]), kind);
    const table = storeTable(name);
    if (known === undefined) {
      await c.run(
        `CREATE TABLE IF NOT EXISTS ${table} (key BLOB NOT NULL, t1 BIGINT NOT NULL, t2 BIGINT NOT NULL, value BLOB NOT NULL)`,
      );
      await c.run(`INSERT INTO ${STORES_TABLE} VALUES ($1, $2, NULL)`, [name, kind]);
    }
    const stats = (await c.runAndReadAll(`SELECT count(*), max(t2) FROM ${table}`)).getRows()[0];
    const empty = stats === undefined || stats[0] === 0n;
    const expiredBefore = known?.[1] === null || known?.[1] === undefined ? undefined : Number(known[1]);
    const args = [name, this.cache, this.backend, empty, expiredBefore] as const;
    const store =
      kind === 'keyValue'
        ? new CachedKeyValueStore(...args)
        : kind === 'window'
          ? new CachedWindowStore(...args)
          : new CachedMultiMapStore(...args);
    if (store instanceof CachedMultiMapStore && stats?.[1] !== null && stats?.[1] !== undefined) {
      store.startSequenceAt(Number(stats[1]) + 1);
    }
    this.backend.kinds.set(name, kind);
    this.stores.set(name, store);
    return store;
  }

  async commit(positions: readonly TopicPartitionOffset[]): Promise<ChangelogBatch> {
    this.checkOpen();
    // A second commit would stage the first one's new entries again and append them twice.
    if (this.committing) throw new Error('state store: a commit is already in progress');
    this.committing = true;
    const collected = [...this.stores.values()].map((store) => store.collect());
    try {
      await this.backend.write(
        collected.map((c) => c.flush),
        positions,
      );
    } finally {
      this.committing = false;
    }
    const changelog = new Map<string, readonly ChangelogRecord[]>();
    for (const c of collected) {
      c.done();
      if (c.changelog.length > 0) changelog.set(c.flush.store, c.changelog);
    }
    this.cache.advance();
    this.cache.evictToBudget();
    return changelog;
  }

  async committedPositions(): Promise<TopicPartitionOffset[]> {
    this.checkOpen();
    const rows = (
      await this.backend.connection.runAndReadAll(
        `SELECT topic, "partition", next_offset FROM ${POSITIONS_TABLE} ORDER BY topic, "partition"`,
      )
    ).getRows();
    return rows.map(([topic, partition, offset]) => ({
      topic: String(topic),
      partition: Number(partition),
      offset: BigInt(offset as bigint),
    }));
  }

  cachedBytes(): number {
    return this.cache.usedBytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.backend.closeScans();
    this.backend.connection.closeSync();
    this.instance.closeSync();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('state store is closed');
  }
}

function kindMismatch(name: string, existing: string, wanted: StoreKind): Error {
  return new Error(`state store ${name} is a ${existing} store, not a ${wanted} store`);
}

/**
 * The benchmark reference for the store's commits: rows appended to a plain table with the
 * store tables' columns, in a fresh DuckDB file, one appender, no staging or merge. It lives
 * here because this file is the only one that talks to DuckDB.
 */
export async function appendToPlainTable(
  path: string,
  rows: readonly { readonly key: Buffer; readonly value: Buffer }[],
  options: { threads?: number } = {},
): Promise<void> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(path, config);
  const connection = await instance.connect();
  try {
    await connection.run('CREATE TABLE plain (key BLOB, t1 BIGINT, t2 BIGINT, value BLOB)');
    await connection.run('BEGIN TRANSACTION');
    const appender = await connection.createAppender('plain');
    for (const row of rows) {
      appender.appendBlob(row.key);
      appender.appendBigInt(0n);
      appender.appendBigInt(0n);
      appender.appendBlob(row.value);
      appender.endRow();
    }
    appender.closeSync();
    await connection.run('COMMIT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The entries of `rows` rows of (key, t1, t2, value) columns. */
function durableEntries(columns: readonly (readonly DuckDBValue[])[], rows: number): DurableEntry[] {
  const [keyColumn, t1Column, t2Column, valueColumn] = columns;
  const out: DurableEntry[] = [];
  for (let i = 0; i < rows; i++) {
    out.push({
      key: blobBytes(keyColumn![i]),
      t1: Number(t1Column![i]),
      t2: Number(t2Column![i]),
      value: blobBytes(valueColumn![i]),
    });
  }
  return out;
}
