/**
 * A reference model of the StateStore: plain maps, no cache, no DuckDB, nothing durable.
 * Obviously right by construction, so the contract's seeded workload can check the real
 * stores against it.
 */
import { rowKey } from '../../../engine/catalog/value-compare.js';
import type {
  ChangelogBatch,
  KeyedTimestampedValue,
  KeyedWindowEntry,
  KeyValueEntry,
  KeyValueStore,
  MultiMapStore,
  StateRow,
  StateStore,
  TimestampedValue,
  TimeWindow,
  WindowEntry,
  WindowStore,
} from '../../../engine/state/state-store.js';

class ModelKeyValueStore implements KeyValueStore {
  readonly kind = 'keyValue';
  private readonly values = new Map<string, KeyValueEntry>();
  constructor(readonly name: string) {}
  async prefetch(): Promise<void> {}
  async restore(): Promise<void> {}
  get(key: StateRow): StateRow | undefined {
    return this.values.get(rowKey(key))?.value;
  }
  put(key: StateRow, value: StateRow): void {
    this.values.set(rowKey(key), { key, value });
  }
  delete(key: StateRow): void {
    this.values.delete(rowKey(key));
  }
  async *entries(): AsyncGenerator<KeyValueEntry> {
    yield* this.values.values();
  }
}

class ModelWindowStore implements WindowStore {
  readonly kind = 'window';
  private readonly windows = new Map<string, { key: StateRow; entries: WindowEntry[] }>();
  private expiredBefore = Number.NEGATIVE_INFINITY;
  constructor(readonly name: string) {}
  async prefetch(): Promise<void> {}
  async restore(): Promise<void> {}
  private of(key: StateRow): WindowEntry[] {
    return (this.windows.get(rowKey(key))?.entries ?? []).filter((e) => e.window.end >= this.expiredBefore);
  }
  private set(key: StateRow, entries: WindowEntry[]): void {
    this.windows.set(rowKey(key), { key, entries });
  }
  get(key: StateRow, window: TimeWindow): StateRow | undefined {
    return this.of(key).find((e) => e.window.start === window.start && e.window.end === window.end)?.value;
  }
  put(key: StateRow, window: TimeWindow, value: StateRow): void {
    const others = this.of(key).filter((e) => e.window.start !== window.start || e.window.end !== window.end);
    others.push({ window, value });
    others.sort((a, b) => a.window.start - b.window.start || a.window.end - b.window.end);
    this.set(key, others);
  }
  delete(key: StateRow, window: TimeWindow): void {
    this.set(
      key,
      this.of(key).filter((e) => e.window.start !== window.start || e.window.end !== window.end),
    );
  }
  fetch(key: StateRow, fromStart: number, toStart: number): WindowEntry[] {
    return this.of(key).filter((e) => e.window.start >= fromStart && e.window.start <= toStart);
  }
  async *entries(): AsyncGenerator<KeyedWindowEntry> {
    for (const { key } of this.windows.values()) {
      for (const e of this.of(key)) yield { key, ...e };
    }
  }
  expireBefore(time: number): void {
    this.expiredBefore = Math.max(this.expiredBefore, time);
  }
  blindPut(key: StateRow, window: TimeWindow, value: StateRow | null): void {
    if (value === null) this.delete(key, window);
    else this.put(key, window, value);
  }
  /** The windows as the last commit left them. */
  private committed: KeyedWindowEntry[] = [];
  commit(): void {
    this.committed = [];
    for (const { key } of this.windows.values()) {
      for (const e of this.of(key)) this.committed.push({ key, ...e });
    }
  }
  async committedEndingIn(fromEnd: number, toEnd: number): Promise<KeyedWindowEntry[]> {
    return this.committed.filter(
      (e) => e.window.end >= fromEnd && e.window.end <= toEnd && e.window.end >= this.expiredBefore,
    );
  }
}

class ModelMultiMapStore implements MultiMapStore {
  readonly kind = 'multiMap';
  private readonly values = new Map<string, TimestampedValue[]>();
  private readonly keys = new Map<string, StateRow>();
  private expiredBefore = Number.NEGATIVE_INFINITY;
  constructor(readonly name: string) {}
  async prefetch(): Promise<void> {}
  async restore(): Promise<void> {}
  add(key: StateRow, timestamp: number, value: StateRow): void {
    const list = this.values.get(rowKey(key)) ?? [];
    list.push({ timestamp, value });
    // A stable sort keeps insertion order among equal timestamps.
    list.sort((a, b) => a.timestamp - b.timestamp);
    this.values.set(rowKey(key), list);
    this.keys.set(rowKey(key), key);
  }
  async *entries(): AsyncGenerator<KeyedTimestampedValue> {
    for (const [id, list] of this.values) {
      for (const v of list) if (v.timestamp >= this.expiredBefore) yield { key: this.keys.get(id)!, ...v };
    }
  }
  fetch(key: StateRow, fromTime: number, toTime: number): TimestampedValue[] {
    return (this.values.get(rowKey(key)) ?? []).filter(
      (v) => v.timestamp >= this.expiredBefore && v.timestamp >= fromTime && v.timestamp <= toTime,
    );
  }
  expireBefore(time: number): void {
    this.expiredBefore = Math.max(this.expiredBefore, time);
  }
}

export class ModelStateStore implements StateStore {
  private readonly stores = new Map<string, ModelKeyValueStore | ModelWindowStore | ModelMultiMapStore>();

  private store<T extends ModelKeyValueStore | ModelWindowStore | ModelMultiMapStore>(
    name: string,
    make: (name: string) => T,
  ): Promise<T> {
    let store = this.stores.get(name);
    if (store === undefined) {
      store = make(name);
      this.stores.set(name, store);
    }
    return Promise.resolve(store as T);
  }

  keyValueStore(name: string): Promise<KeyValueStore> {
    return this.store(name, (n) => new ModelKeyValueStore(n));
  }
  windowStore(name: string): Promise<WindowStore> {
    return this.store(name, (n) => new ModelWindowStore(n));
  }
  multiMapStore(name: string): Promise<MultiMapStore> {
    return this.store(name, (n) => new ModelMultiMapStore(n));
  }
  async commit(): Promise<ChangelogBatch> {
    for (const store of this.stores.values()) if (store instanceof ModelWindowStore) store.commit();
    return new Map();
  }
  async committedPositions() {
    return [];
  }
  cachedBytes(): number {
    return 0;
  }
  async close(): Promise<void> {}
}
