/**
 * A StateStore whose durable side is a map in this process: the same cached stores, budget
 * and changelog as the DuckDB store, without a DuckDB instance. Deterministic engines (tests,
 * `sluice test`) keep query state here, where nothing outlives the process anyway: opening a
 * DuckDB instance per query costs about a tenth of a second, more than most test cases.
 */
import type { TopicPartitionOffset } from '../log/log.js';
import type { CachedStore, DurableEntry, StoreBackend, StoreFlush } from './cached-store.js';
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

/** One store's committed entries: by key bytes, then by "t1,t2". */
type Table = Map<string, Map<string, DurableEntry>>;

function expiryOf(kind: StoreKind, e: DurableEntry): number {
  return kind === 'multiMap' ? e.t1 : e.t2;
}

class InProcessBackend implements StoreBackend {
  readonly tables = new Map<string, Table>();
  readonly kinds = new Map<string, StoreKind>();
  readonly positions = new Map<string, TopicPartitionOffset>();

  table(store: string): Table {
    let table = this.tables.get(store);
    if (table === undefined) {
      table = new Map();
      this.tables.set(store, table);
    }
    return table;
  }

  async load(
    store: string,
    kind: StoreKind,
    keys: readonly Buffer[],
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]> {
    const table = this.table(store);
    const out: DurableEntry[] = [];
    for (const key of keys) {
      const entries = table.get(key.toString('latin1'));
      if (entries === undefined) continue;
      for (const e of entries.values()) {
        if (expiredBefore === undefined || expiryOf(kind, e) >= expiredBefore) out.push(e);
      }
    }
    return out;
  }

  async loadEndingIn(
    store: string,
    fromEnd: number,
    toEnd: number,
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]> {
    const from = expiredBefore === undefined ? fromEnd : Math.max(fromEnd, expiredBefore);
    const out: DurableEntry[] = [];
    for (const entries of this.table(store).values()) {
      for (const e of entries.values()) if (e.t2 >= from && e.t2 <= toEnd) out.push(e);
    }
    return out;
  }

  async write(flushes: readonly StoreFlush[]): Promise<void> {
    for (const flush of flushes) {
      const table = this.table(flush.store);
      const kind = this.kinds.get(flush.store) ?? 'keyValue';
      if (flush.expiredBefore !== undefined) {
        for (const [id, entries] of table) {
          for (const [t, e] of entries) if (expiryOf(kind, e) < flush.expiredBefore) entries.delete(t);
          if (entries.size === 0) table.delete(id);
        }
      }
      for (const w of [...flush.inserts, ...flush.writes]) {
        const id = w.key.toString('latin1');
        const t = `${w.t1},${w.t2}`;
        let entries = table.get(id);
        if (w.value === null) {
          entries?.delete(t);
          if (entries?.size === 0) table.delete(id);
          continue;
        }
        if (entries === undefined) {
          entries = new Map();
          table.set(id, entries);
        }
        entries.set(t, { key: Buffer.from(w.key), t1: w.t1, t2: w.t2, value: Buffer.from(w.value) });
      }
    }
  }

  async *scan(
    store: string,
    kind: StoreKind,
    expiredBefore: number | undefined,
  ): AsyncGenerator<readonly DurableEntry[]> {
    const out: DurableEntry[] = [];
    for (const entries of this.table(store).values()) {
      for (const e of entries.values()) {
        if (expiredBefore === undefined || expiryOf(kind, e) >= expiredBefore) out.push(e);
      }
    }
    yield out;
  }
}

export class InProcessStateStore implements StateStore {
  private readonly backend = new InProcessBackend();
  private readonly stores = new Map<string, CachedStore>();
  private readonly cache: StateCache;
  private closed = false;

  constructor(options: StateStoreOptions = {}) {
    this.cache = new StateCache(options.cacheBytes);
  }

  keyValueStore(name: string): Promise<KeyValueStore> {
    return this.open(name, 'keyValue') as Promise<CachedKeyValueStore>;
  }

  windowStore(name: string): Promise<WindowStore> {
    return this.open(name, 'window') as Promise<CachedWindowStore>;
  }

  multiMapStore(name: string): Promise<MultiMapStore> {
    return this.open(name, 'multiMap') as Promise<CachedMultiMapStore>;
  }

  private async open(name: string, kind: StoreKind): Promise<CachedStore> {
    this.checkOpen();
    const existing = this.stores.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind)
        throw new Error(`state store ${name} is a ${existing.kind} store, not a ${kind} store`);
      return existing;
    }
    const args = [name, this.cache, this.backend, true, undefined] as const;
    const store =
      kind === 'keyValue'
        ? new CachedKeyValueStore(...args)
        : kind === 'window'
          ? new CachedWindowStore(...args)
          : new CachedMultiMapStore(...args);
    this.backend.kinds.set(name, kind);
    this.stores.set(name, store);
    return store;
  }

  async commit(positions: readonly TopicPartitionOffset[]): Promise<ChangelogBatch> {
    this.checkOpen();
    const collected = [...this.stores.values()].map((store) => store.collect());
    await this.backend.write(collected.map((c) => c.flush));
    for (const p of positions) this.backend.positions.set(`${p.topic}/${p.partition}`, p);
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
    return [...this.backend.positions.values()].sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
    );
  }

  cachedBytes(): number {
    return this.cache.usedBytes;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('state store is closed');
  }
}
