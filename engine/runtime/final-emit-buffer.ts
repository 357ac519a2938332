/**
 * EMIT FINAL: holds the latest output row of each (key, window) until the window closes (its
 * end plus the grace period is at or behind the stream time), then emits it once, windows in
 * order of their end and rows of one window end in the order they were last held, as Kafka
 * Streams' suppression does. A deletion (a session merged into another) removes the held row:
 * final results carry no tombstones.
 *
 * The held rows live in a window store of the query's state (`SUPPRESS_STORE`), by output key
 * and window: on disk in DuckDB, within the cache budget, committed with the source positions
 * and restored from the store's changelog. What stays in memory:
 * - the distinct window ends that may hold rows, so a record that closes no window costs no
 *   read of state;
 * - the rows held since the last commit, which the store's reads by end do not include (the
 *   store keeps them in its cache until that commit anyway; the same row objects are shared).
 * Holding writes blind (no prefetch). Before each batch, `prepare` reads the committed rows of
 * every window the batch can close, by end, in one query; the batch then flushes record by
 * record from memory.
 */
import { rowKey } from '../catalog/value-compare.js';
import type { SqlValue } from '../catalog/values.js';
import type { Header } from '../log/log.js';
import type { WindowBounds } from '../serde/windowed-key.js';
import type { StateRow, WindowStore } from '../state/state-store.js';
import type { OutputRow } from './stream-pipeline.js';

/**
 * The held rows' store, named as Kafka Streams names a named suppression's buffer
 * (`<name>-store`; ksqlDB names its suppression `Suppress`). Its changelog topic carries it.
 */
export const SUPPRESS_STORE = 'Suppress-store';

/** A held row's stored value: [sequence, timestamp, key was null, headers, ...value]. */
const SEQUENCE = 0;
const TIMESTAMP = 1;
const NULL_KEY = 2;
const HEADERS = 3;
const VALUE = 4;

interface Held {
  readonly key: StateRow;
  readonly window: WindowBounds;
  readonly value: StateRow;
}

export class FinalEmitBuffer {
  /** The window ends that may hold rows (committed or not), ascending, without repeats. */
  private readonly ends: number[] = [];
  private readonly endSet = new Set<number>();
  /** Rows held since the last commit, by end, then by key and window; null: deleted. */
  private readonly pending = new Map<number, Map<string, Held | null>>();
  /** Committed rows of the windows the current batch can close, by end. */
  private readonly closing = new Map<number, Held[]>();
  /** Committed rows of every window ending at or before this have been read. */
  private readThrough = Number.NEGATIVE_INFINITY;
  /** Orders the rows of one window end by when they were last held; grows across restarts. */
  private nextSequence = 0;
  private opened: Promise<void> | undefined;

  constructor(
    private readonly graceMs: number,
    private readonly store: WindowStore,
  ) {}

  /** The index of ends and the next sequence number, from what the store holds (once). */
  private async open(): Promise<void> {
    for await (const e of this.store.entries()) {
      this.addEnd(e.window.end);
      const sequence = Number(e.value[SEQUENCE]);
      if (sequence >= this.nextSequence) this.nextSequence = sequence + 1;
    }
  }

  /**
   * Reads the committed rows of every window that closes by `streamTime` (the largest stream
   * time the coming batch reaches), so that `flush` runs on memory.
   */
  async prepare(streamTime: number): Promise<void> {
    this.opened ??= this.open();
    await this.opened;
    const closeTime = streamTime - this.graceMs;
    if (closeTime <= this.readThrough) return;
    if (this.ends.length > 0 && this.ends[0]! <= closeTime) {
      const rows = await this.store.committedEndingIn(this.readThrough + 1, closeTime);
      for (const e of rows) {
        let held = this.closing.get(e.window.end);
        if (held === undefined) {
          held = [];
          this.closing.set(e.window.end, held);
        }
        held.push({ key: e.key, window: e.window, value: e.value });
      }
    }
    this.readThrough = closeTime;
  }

  hold(row: OutputRow): void {
    const window = row.window;
    if (window === undefined) throw new Error('EMIT FINAL holds windowed rows only');
    const key = row.key ?? [];
    const end = window.end;
    if (row.value === null) {
      // Nothing is held for a window end the index does not have.
      if (!this.endSet.has(end)) return;
      this.store.blindPut(key, window, null);
      this.pendingOf(end).set(`${rowKey(key)}@${window.start}`, null);
      return;
    }
    const value: StateRow = [
      this.nextSequence++,
      row.timestamp,
      row.key === null,
      row.headers.map((h) => [h.key, h.value]),
      ...row.value,
    ];
    this.store.blindPut(key, window, value);
    this.pendingOf(end).set(`${rowKey(key)}@${window.start}`, { key, window, value });
    this.addEnd(end);
  }

  /**
   * Emits the rows of every window closed at `streamTime`, except windows whose state has
   * passed its retention by then: Kafka Streams emits final results from the window store,
   * where those are gone. Emitted rows leave the store.
   */
  flush(
    streamTime: number,
    emit: (row: OutputRow) => void,
    expired: (window: WindowBounds) => boolean = () => false,
  ): void {
    const closeTime = streamTime - this.graceMs;
    while (this.ends.length > 0 && this.ends[0]! <= closeTime) {
      const end = this.ends.shift()!;
      this.endSet.delete(end);
      if (end > this.readThrough)
        throw new Error(`EMIT FINAL: window end ${end} closed before its held rows were read`);
      const rows = new Map<string, Held>();
      for (const h of this.closing.get(end) ?? []) rows.set(`${rowKey(h.key)}@${h.window.start}`, h);
      for (const [id, h] of this.pending.get(end) ?? []) {
        if (h === null) rows.delete(id);
        else rows.set(id, h);
      }
      this.closing.delete(end);
      this.pending.delete(end);
      const ordered = [...rows.values()].sort(
        (a, b) => Number(a.value[SEQUENCE]) - Number(b.value[SEQUENCE]),
      );
      for (const h of ordered) {
        this.store.blindPut(h.key, h.window, null);
        if (!expired(h.window)) emit(outputRow(h));
      }
    }
  }

  /** After a commit: the rows held so far are in the store's committed state. */
  committed(): void {
    this.pending.clear();
  }

  private pendingOf(end: number): Map<string, Held | null> {
    let rows = this.pending.get(end);
    if (rows === undefined) {
      rows = new Map();
      this.pending.set(end, rows);
    }
    return rows;
  }

  private addEnd(end: number): void {
    if (this.endSet.has(end)) return;
    this.endSet.add(end);
    insertSorted(this.ends, end);
  }
}

function outputRow(h: Held): OutputRow {
  const headers = (h.value[HEADERS] as SqlValue[]).map((pair) => {
    const [key, value] = pair as [string, Uint8Array | null];
    const header: Header = {
      key,
      value: value === null ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    };
    return header;
  });
  return {
    key: h.value[NULL_KEY] === true ? null : (h.key as SqlValue[]),
    value: h.value.slice(VALUE) as SqlValue[],
    timestamp: Number(h.value[TIMESTAMP]),
    headers,
    window: h.window,
  };
}

function insertSorted(values: number[], value: number): void {
  let low = 0;
  let high = values.length;
  if (high === 0 || values[high - 1]! < value) {
    values.push(value);
    return;
  }
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < value) low = mid + 1;
    else high = mid;
  }
  values.splice(low, 0, value);
}
