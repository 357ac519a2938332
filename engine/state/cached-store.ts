/**
 * A store's state in memory over its durable table. Every kind of store is the same thing
 * underneath: a key owning entries ordered by two times (t1, t2):
 * - key-value: one entry at (0, 0);
 * - window: (window start, window end);
 * - multi-map: (timestamp, sequence number), the sequence keeping equal timestamps apart.
 * A key in memory always holds all of its live entries, so reads of it are exact; a key not
 * in memory is only known to be empty while the durable table has never held more than the
 * cache (`complete`).
 */
import { rowKey } from '../catalog/value-compare.js';
import { decodeRow, encodeKey, encodeRow, RowReader } from './row-codec.js';
import { type CachedKey, estimateRowBytes, type StateCache } from './state-cache.js';
import {
  type ChangelogRecord,
  StateNotLoadedError,
  type StateRow,
  type StoreBase,
  type StoreKind,
} from './state-store.js';

/** One write for the durable table: a null value deletes the entry. */
export interface DurableWrite {
  readonly key: Buffer;
  readonly t1: number;
  readonly t2: number;
  readonly value: Buffer | null;
}

export interface DurableEntry {
  readonly key: Uint8Array;
  readonly t1: number;
  readonly t2: number;
  readonly value: Uint8Array;
}

/** What one store has to make durable at a commit. */
export interface StoreFlush {
  readonly store: string;
  /** Entries DuckDB certainly does not hold: appended to the store's table directly. */
  readonly inserts: readonly DurableWrite[];
  /** Entries DuckDB may hold: staged, then replaced or deleted set-wise. */
  readonly writes: readonly DurableWrite[];
  /** Entries older than this (by end for windows, by timestamp for multi-maps) are deleted. */
  readonly expiredBefore: number | undefined;
}

/** The durable side of the stores (DuckDB), as the cached stores see it. */
export interface StoreBackend {
  /** All entries of `keys` (canonical key encodings), except expired ones, in one query. */
  load(
    store: string,
    kind: StoreKind,
    keys: readonly Buffer[],
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]>;
  /**
   * The committed entries of a window store whose end (t2) is in [fromEnd, toEnd], except
   * expired ones, in one query.
   */
  loadEndingIn(
    store: string,
    fromEnd: number,
    toEnd: number,
    expiredBefore: number | undefined,
  ): Promise<DurableEntry[]>;
  /** Writes the flushes in one transaction (with the positions when given). */
  write(flushes: readonly StoreFlush[]): Promise<void>;
  /** Every committed entry, except expired ones, in chunks, from a snapshot of its own. */
  scan(
    store: string,
    kind: StoreKind,
    expiredBefore: number | undefined,
  ): AsyncIterable<readonly DurableEntry[]>;
}

/** A live entry as scans return it. */
export interface ScannedEntry {
  readonly key: StateRow;
  readonly t1: number;
  readonly t2: number;
  readonly value: StateRow;
}

interface Entry {
  readonly t1: number;
  readonly t2: number;
  /** null: deleted, pending the commit that deletes it durably. */
  value: StateRow | null;
  bytes: number;
  /** Bumped by every write; 0 when clean. A commit cleans only the version it wrote. */
  version: number;
  /** Whether DuckDB may hold this entry: false only when it certainly does not. */
  stored: boolean;
}

const ENTRY_OVERHEAD = 64;
const KEY_OVERHEAD = 128;

class CachedKeyState implements CachedKey {
  bytes: number;
  dirty = 0;
  epoch = 0;
  entries: Entry[] = [];
  /** Made by a blind write without loading: DuckDB may hold entries of this key. */
  blind = false;
  private encoded: Buffer | undefined;

  constructor(
    readonly id: string,
    readonly key: StateRow,
    private readonly owner: CachedStore,
    encoded?: Buffer,
  ) {
    this.encoded = encoded;
    this.bytes = KEY_OVERHEAD + id.length * 2 + estimateRowBytes(key);
  }

  get keyBytes(): Buffer {
    this.encoded ??= encodeKey(this.key);
    return this.encoded;
  }

  /** Index of the first entry at or after (t1, t2). */
  lowerBound(t1: number, t2: number): number {
    const entries = this.entries;
    let low = 0;
    let high = entries.length;
    // Appends in time order are the common case.
    const last = entries[high - 1];
    if (last === undefined || last.t1 < t1 || (last.t1 === t1 && last.t2 < t2)) return high;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const e = entries[mid]!;
      if (e.t1 < t1 || (e.t1 === t1 && e.t2 < t2)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  find(t1: number, t2: number): Entry | undefined {
    const e = this.entries[this.lowerBound(t1, t2)];
    return e !== undefined && e.t1 === t1 && e.t2 === t2 ? e : undefined;
  }

  evict(): void {
    this.owner.forget(this);
  }
}

export abstract class CachedStore implements StoreBase {
  abstract readonly kind: StoreKind;
  private readonly keys = new Map<string, CachedKeyState>();
  /** Keys with writes pending, so a commit does not walk the whole cache. */
  private readonly dirtyKeys = new Set<CachedKeyState>();
  /** True while every durable entry is also in memory: a missing key is then empty. */
  private complete: boolean;
  private expiredBefore: number | undefined;
  private expiryPending = false;

  constructor(
    readonly name: string,
    protected readonly cache: StateCache,
    private readonly backend: StoreBackend,
    durableIsEmpty: boolean,
    expiredBefore: number | undefined,
  ) {
    this.complete = durableIsEmpty;
    this.expiredBefore = expiredBefore;
  }

  /** Entries at or after this time are live; reads skip older ones before they are swept. */
  protected isExpired(t1: number, t2: number): boolean {
    return this.expiredBefore !== undefined && this.expiryTime(t1, t2) < this.expiredBefore;
  }

  /** The time an entry expires by: a window's end, a multi-map value's timestamp. */
  protected expiryTime(_t1: number, t2: number): number {
    return t2;
  }

  protected setExpiredBefore(time: number): void {
    if (this.expiredBefore !== undefined && time <= this.expiredBefore) return;
    this.expiredBefore = time;
    this.expiryPending = true;
  }

  /** The key's state, loading nothing: throws when it may exist only in DuckDB. */
  protected stateOf(key: StateRow): CachedKeyState {
    const id = rowKey(key);
    let state = this.keys.get(id);
    if (state === undefined) {
      if (!this.complete) throw new StateNotLoadedError(this.name);
      state = this.adopt(id, key, undefined);
    } else {
      this.cache.touch(state);
    }
    return state;
  }

  /** The key's state for a write that does not depend on what is stored (a blind upsert). */
  protected stateForBlindWrite(key: StateRow): CachedKeyState {
    const id = rowKey(key);
    const state = this.keys.get(id);
    if (state !== undefined) {
      this.cache.touch(state);
      return state;
    }
    const created = this.adopt(id, key, undefined);
    created.blind = !this.complete;
    return created;
  }

  /** Writes one entry of a key without loading the key (see `stateForBlindWrite`). */
  protected blindWrite(key: StateRow, t1: number, t2: number, value: StateRow | null): void {
    this.write(this.stateForBlindWrite(key), t1, t2, value);
  }

  /** Committed entries by end, decoded, leaving the cache alone (see `StoreBackend.loadEndingIn`). */
  protected async loadCommittedEndingIn(fromEnd: number, toEnd: number): Promise<ScannedEntry[]> {
    // Times are whole milliseconds in DuckDB: open bounds become the widest ones it holds.
    const from = Math.max(Math.ceil(fromEnd), Number.MIN_SAFE_INTEGER);
    const to = Math.min(Math.floor(toEnd), Number.MAX_SAFE_INTEGER);
    if (from > to) return [];
    const rows = await this.backend.loadEndingIn(this.name, from, to, this.expiredBefore);
    return rows.map((row) => ({
      key: decodeRow(row.key),
      t1: row.t1,
      t2: row.t2,
      value: decodeRow(row.value),
    }));
  }

  private adopt(id: string, key: StateRow, encoded: Buffer | undefined): CachedKeyState {
    const state = new CachedKeyState(id, key, this, encoded);
    this.keys.set(id, state);
    this.cache.add(state);
    return state;
  }

  forget(state: CachedKeyState): void {
    this.keys.delete(state.id);
    this.complete = false;
  }

  protected read(state: CachedKeyState, t1: number, t2: number): StateRow | undefined {
    const e = state.find(t1, t2);
    if (e === undefined || e.value === null || this.isExpired(t1, t2)) return undefined;
    return e.value;
  }

  /** Live entries with from <= t1 <= to. */
  protected *range(state: CachedKeyState, from: number, to: number): Generator<Entry> {
    const entries = state.entries;
    for (let i = state.lowerBound(from, Number.NEGATIVE_INFINITY); i < entries.length; i++) {
      const e = entries[i]!;
      if (e.t1 > to) return;
      if (e.value !== null && !this.isExpired(e.t1, e.t2)) yield e;
    }
  }

  protected write(state: CachedKeyState, t1: number, t2: number, value: StateRow | null): void {
    // Checked here, not at the commit: a time DuckDB cannot store would fail every commit.
    if (!Number.isSafeInteger(t1) || !Number.isSafeInteger(t2)) {
      throw new RangeError(`state store ${this.name}: times must be whole milliseconds, not ${t1}, ${t2}`);
    }
    const index = state.lowerBound(t1, t2);
    let e = state.entries[index];
    const bytes = value === null ? ENTRY_OVERHEAD : ENTRY_OVERHEAD + estimateRowBytes(value);
    if (e === undefined || e.t1 !== t1 || e.t2 !== t2) {
      e = { t1, t2, value, bytes: 0, version: 0, stored: state.blind };
      if (index === state.entries.length) state.entries.push(e);
      else state.entries.splice(index, 0, e);
    }
    if (e.version === 0 && state.dirty++ === 0) this.dirtyKeys.add(state);
    e.version++;
    e.value = value;
    this.cache.resize(state, bytes - e.bytes);
    e.bytes = bytes;
  }

  async prefetch(keys: Iterable<StateRow>): Promise<void> {
    if (this.complete) return;
    const missing = new Map<string, { id: string; key: StateRow }>();
    const encodedKeys: Buffer[] = [];
    for (const key of keys) {
      const id = rowKey(key);
      const state = this.keys.get(id);
      if (state !== undefined && !(state.blind && this.loadsBlindKeys())) {
        this.cache.touch(state);
        continue;
      }
      const encoded = encodeKey(key);
      const byBytes = encoded.toString('latin1');
      if (missing.has(byBytes)) continue;
      missing.set(byBytes, { id, key });
      encodedKeys.push(encoded);
    }
    if (encodedKeys.length === 0) return;
    this.cache.evictToBudget();
    const loaded = await this.backend.load(this.name, this.kind, encodedKeys, this.expiredBefore);
    const states = new Map<string, CachedKeyState>();
    /** Of blind keys: the (t1, t2) written, whose stored entries are older and do not load. */
    const written = new Map<CachedKeyState, Set<string>>();
    for (const encoded of encodedKeys) {
      const request = missing.get(encoded.toString('latin1'))!;
      const present = this.keys.get(request.id);
      // A blind key's stored entries join the ones written since (which win: they are newer).
      if (present?.blind && this.loadsBlindKeys()) {
        present.blind = false;
        written.set(present, new Set(present.entries.map((e) => `${e.t1},${e.t2}`)));
        states.set(encoded.toString('latin1'), present);
        continue;
      }
      // A write while the load was in flight already made the key's state.
      if (present !== undefined) continue;
      states.set(encoded.toString('latin1'), this.adopt(request.id, request.key, encoded));
    }
    for (const row of loaded) {
      const state = states.get(
        Buffer.from(row.key.buffer, row.key.byteOffset, row.key.byteLength).toString('latin1'),
      );
      if (state === undefined) continue;
      if (written.get(state)?.has(`${row.t1},${row.t2}`) === true) continue;
      const value = decodeRow(row.value);
      const bytes = ENTRY_OVERHEAD + estimateRowBytes(value);
      state.entries.push({ t1: row.t1, t2: row.t2, value, bytes, version: 0, stored: true });
      this.cache.resize(state, bytes);
    }
    for (const state of states.values()) {
      state.entries.sort((a, b) => a.t1 - b.t1 || a.t2 - b.t2);
      this.loaded(state);
    }
  }

  /** Memory's live entries, then DuckDB's entries of keys memory does not hold. */
  protected async *scan(): AsyncGenerator<ScannedEntry> {
    const inMemory = new Set<string>();
    const snapshot: ScannedEntry[] = [];
    for (const state of this.keys.values()) {
      inMemory.add(state.keyBytes.toString('latin1'));
      for (const e of state.entries) {
        if (e.value !== null && !this.isExpired(e.t1, e.t2))
          snapshot.push({ key: state.key, t1: e.t1, t2: e.t2, value: e.value });
      }
    }
    const complete = this.complete;
    const expiredBefore = this.expiredBefore;
    yield* snapshot;
    if (complete) return;
    for await (const chunk of this.backend.scan(this.name, this.kind, expiredBefore)) {
      for (const row of chunk) {
        const key = Buffer.from(row.key.buffer, row.key.byteOffset, row.key.byteLength);
        if (inMemory.has(key.toString('latin1'))) continue;
        yield { key: decodeRow(key), t1: row.t1, t2: row.t2, value: decodeRow(row.value) };
      }
    }
  }

  /**
   * Whether a prefetch loads the stored entries of a key written blindly (a multi-map's keys
   * hold many entries, so a blind add does not make the key's state whole); a key-value
   * store's blind write is the whole state of its key.
   */
  protected loadsBlindKeys(): boolean {
    return false;
  }

  /** Whether the key's state in memory may lack entries DuckDB holds (a blind write's key). */
  protected isPartial(state: CachedKeyState): boolean {
    return state.blind;
  }

  /** Called for each key state loaded from DuckDB. */
  protected loaded(_state: CachedKeyState): void {}

  /** Drops expired entries from memory; they are deleted from DuckDB by the same commit. */
  private sweepExpired(): void {
    if (!this.expiryPending) return;
    for (const state of this.keys.values()) {
      const live = state.entries.filter((e) => !this.isExpired(e.t1, e.t2));
      if (live.length === state.entries.length) continue;
      for (const e of state.entries) {
        if (!this.isExpired(e.t1, e.t2)) continue;
        if (e.version !== 0) this.cleaned(state);
        this.cache.resize(state, -e.bytes);
      }
      state.entries = live;
    }
  }

  /** The writes and changelog records pending for a commit, and how to mark them done. */
  collect(): { flush: StoreFlush; changelog: ChangelogRecord[]; done: () => void } {
    this.sweepExpired();
    const inserts: DurableWrite[] = [];
    const writes: DurableWrite[] = [];
    const changelog: ChangelogRecord[] = [];
    const written: Array<[CachedKeyState, Entry, number, boolean]> = [];
    for (const state of this.dirtyKeys) {
      for (const e of state.entries) {
        if (e.version === 0) continue;
        written.push([state, e, e.version, e.value !== null]);
        // Created and deleted between two commits: neither DuckDB nor the changelog saw it.
        if (e.value === null && !e.stored) continue;
        const value = e.value === null ? null : encodeRow(e.value);
        (e.stored ? writes : inserts).push({ key: state.keyBytes, t1: e.t1, t2: e.t2, value });
        changelog.push({ key: this.changelogKey(state.keyBytes, e.t1, e.t2), value });
      }
    }
    const expiredBefore = this.expiryPending ? this.expiredBefore : undefined;
    const done = () => {
      this.expiryPending = false;
      for (const [state, e, version, present] of written) {
        e.stored = present;
        if (e.version !== version) continue;
        e.version = 0;
        this.cleaned(state);
        if (e.value === null) {
          const index = state.entries.indexOf(e);
          if (index >= 0) state.entries.splice(index, 1);
          this.cache.resize(state, -e.bytes);
        }
      }
    };
    return { flush: { store: this.name, inserts, writes, expiredBefore }, changelog, done };
  }

  private cleaned(state: CachedKeyState): void {
    if (--state.dirty === 0) this.dirtyKeys.delete(state);
  }

  /** Key and value changelog keys: the key alone for key-value stores, else with t1, t2. */
  protected changelogKey(key: Buffer, t1: number, t2: number): Buffer {
    const out = Buffer.allocUnsafe(key.length + 16);
    key.copy(out, 0);
    out.writeBigInt64BE(BigInt(t1), key.length);
    out.writeBigInt64BE(BigInt(t2), key.length + 8);
    return out;
  }

  /** Splits a changelog key into the canonical key encoding and (t1, t2). */
  protected parseChangelogKey(bytes: Buffer): { key: Buffer; t1: number; t2: number } {
    const reader = new RowReader(bytes);
    reader.row();
    const key = bytes.subarray(0, reader.pos);
    const t1 = Number(reader.int64());
    const t2 = Number(reader.int64());
    return { key, t1, t2 };
  }

  async restore(records: readonly ChangelogRecord[]): Promise<void> {
    const latest = new Map<string, DurableWrite>();
    for (const record of records) {
      const { key, t1, t2 } = this.parseChangelogKey(record.key);
      latest.set(record.key.toString('latin1'), { key, t1, t2, value: record.value });
      this.restored(t1, t2);
    }
    if (latest.size === 0) return;
    // Cached keys the records touch are dropped (and loaded again on demand); a cold restore
    // has none, and skips decoding every key.
    const touched = new Set<string>();
    if (this.keys.size > 0) for (const write of latest.values()) touched.add(rowKey(decodeRow(write.key)));
    for (const id of touched) {
      const state = this.keys.get(id);
      if (state === undefined) continue;
      if (state.dirty > 0) throw new Error(`state store ${this.name}: restore over uncommitted writes`);
      this.cache.remove(state);
      this.forget(state);
    }
    await this.backend.write([
      { store: this.name, inserts: [], writes: [...latest.values()], expiredBefore: undefined },
    ]);
    this.complete = false;
  }

  /** Called for each restored entry's times. */
  protected restored(_t1: number, _t2: number): void {}
}

export type { CachedKeyState };
