/**
 * The state join operators probe: per side, rows by join key (tables) or timestamped rows by
 * join key (stream buffers). Probes are synchronous lookups in memory; every change is also
 * recorded as dirty so a durable store can receive it in one batch at commit
 * (`JoinStateSink`), never one write per record.
 */
import { rowKey } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';

export interface StoredRow {
  readonly row: SqlValue[];
  readonly timestamp: number;
}

/** Receives a store's changes, buffered until the next commit (a durable state store). */
export interface JoinStateSink {
  put(store: string, key: SqlValue, value: StoredRow | undefined): void;
}

/** A table side: the latest row of each key. */
export class KeyedRows {
  private readonly rows = new Map<string, StoredRow>();

  private sink: JoinStateSink | undefined;

  constructor(readonly name: string) {}

  /** Sends every later change to `sink` as well. */
  attach(sink: JoinStateSink): void {
    this.sink = sink;
  }

  /** Loads a row from durable state (no change is sent back). */
  load(key: SqlValue, value: StoredRow): void {
    this.rows.set(keyText(key), value);
  }

  get(key: SqlValue): StoredRow | undefined {
    return this.rows.get(keyText(key));
  }

  set(key: SqlValue, value: StoredRow): void {
    this.rows.set(keyText(key), value);
    this.sink?.put(this.name, key, value);
  }

  delete(key: SqlValue): void {
    this.rows.delete(keyText(key));
    this.sink?.put(this.name, key, undefined);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Every row (rebuilding an index over them after a load). */
  values(): IterableIterator<StoredRow> {
    return this.rows.values();
  }
}

export interface BufferedRecord {
  /** Unique within its join, increasing in arrival order (it orders equal timestamps). */
  readonly id: number;
  readonly row: SqlValue[];
  readonly timestamp: number;
  readonly key: SqlValue;
}

/** An outer record whose non-match waits for its window to close (a grace period was given). */
export interface PendingNonMatch {
  readonly record: BufferedRecord;
  readonly isLeft: boolean;
  readonly closesAt: number;
}

/** Receives a windowed join's changes, buffered until the next commit (a durable state store). */
export interface WindowedJoinSink {
  buffered(isLeft: boolean, record: BufferedRecord): void;
  /** Both buffers dropped every record older than `time`. */
  expired(time: number): void;
  pending(entry: PendingNonMatch): void;
  /** A pending non-match matched, or was emitted: it waits no more. */
  settled(id: number): void;
}

/** What a windowed join keeps besides its records, written once per commit. */
export interface WindowedJoinProgress {
  readonly streamTime: number;
  /** Records processed: expiry runs every 1000, so a restart expires at the same points. */
  readonly processed: number;
  readonly nextId: number;
  /** The buffers hold no record older than this. */
  readonly expiredBefore: number;
}

/** A stream-stream join's state as a durable store holds it. */
export interface WindowedJoinSnapshot {
  readonly left: readonly BufferedRecord[];
  readonly right: readonly BufferedRecord[];
  readonly pending: readonly PendingNonMatch[];
  readonly progress: WindowedJoinProgress | undefined;
}

/** The state of a stream-stream join, to back with a durable store. */
export interface WindowedJoinState {
  readonly name: string;
  /** Loads the state a durable store holds (no change is sent back); before any record. */
  load(snapshot: WindowedJoinSnapshot): void;
  /** Sends every later change to `sink` as well. */
  attach(sink: WindowedJoinSink): void;
  progress(): WindowedJoinProgress;
}

/** A stream side of a windowed join: each key's records in arrival order, dropped after retention. */
export class TimeBuffer {
  private readonly byKey = new Map<string, BufferedRecord[]>();
  private oldest = Number.POSITIVE_INFINITY;

  add(record: BufferedRecord): void {
    const id = keyText(record.key);
    const list = this.byKey.get(id);
    if (list === undefined) this.byKey.set(id, [record]);
    else list.push(record);
    if (record.timestamp < this.oldest) this.oldest = record.timestamp;
  }

  /** The records of `key` with a timestamp in [from, to], ordered by timestamp then arrival. */
  fetch(key: SqlValue, from: number, to: number): BufferedRecord[] {
    const list = this.byKey.get(keyText(key));
    if (list === undefined) return [];
    const found = list.filter((r) => r.timestamp >= from && r.timestamp <= to);
    return found.length > 1 ? found.sort((a, b) => a.timestamp - b.timestamp) : found;
  }

  /** Drops every record older than `time`. */
  expireBefore(time: number): void {
    if (this.oldest >= time) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [id, list] of this.byKey) {
      const kept = list.filter((r) => r.timestamp >= time);
      if (kept.length === 0) this.byKey.delete(id);
      else {
        this.byKey.set(id, kept);
        for (const r of kept) if (r.timestamp < oldest) oldest = r.timestamp;
      }
    }
    this.oldest = oldest;
  }
}

function keyText(key: SqlValue): string {
  return rowKey([key]);
}
