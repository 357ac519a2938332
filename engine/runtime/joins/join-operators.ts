/**
 * The binary join operators, one per join mode, with Kafka Streams' (and so ksqlDB's)
 * semantics:
 * - StreamTableJoin: only stream records produce output, joined with the table as it stands
 *   when the record is processed; table changes only update the table side.
 * - TableTableJoin: a change on either side re-joins its key; deletions propagate.
 * - StreamStreamJoin: each record joins the other side's records within the window; outer
 *   non-matches are emitted at once without a grace period, or when the window closes with one.
 * - ForeignKeyJoin: left rows find the right row their foreign key names; a right change
 *   re-joins every left row pointing at it. The result is keyed by the left primary key.
 */
import { rowKey } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import type { JoinKind, JoinWindow } from '../../plan/join-plan.js';
import { type EmitChange, type JoinChange, type JoinOperator, mergeRows } from './join-change.js';
import {
  type BufferedRecord,
  KeyedRows,
  type PendingNonMatch,
  type StoredRow,
  TimeBuffer,
  type WindowedJoinProgress,
  type WindowedJoinSink,
  type WindowedJoinSnapshot,
  type WindowedJoinState,
} from './join-state.js';

export interface JoinLayout {
  /** Width of the joined row (including the key slot at `keyIndex`). */
  readonly width: number;
  readonly keyIndex: number;
  /** The right source's columns: [rightFrom, rightTo). The left input is [0, rightFrom). */
  readonly rightFrom: number;
  readonly rightTo: number;
  readonly leftKey: (row: readonly SqlValue[]) => SqlValue;
  readonly rightKey: (row: readonly SqlValue[]) => SqlValue;
}

function joined(
  layout: JoinLayout,
  left: readonly SqlValue[] | undefined,
  right: readonly SqlValue[] | undefined,
  key: SqlValue,
): SqlValue[] {
  const row = mergeRows(left, layout.width, right, layout.rightFrom, layout.rightTo);
  if (left === undefined) {
    // A right-only row: the right source's columns only.
    for (let i = 0; i < layout.rightFrom; i++) row[i] = null;
  }
  row[layout.keyIndex] = key;
  return row;
}

function deletion(
  layout: JoinLayout,
  key: SqlValue,
  timestamp: number,
  change: JoinChange,
  base?: readonly SqlValue[],
): JoinChange {
  // The deleted row keeps the columns of `base` a key may be made of (a foreign-key join's
  // left primary key); its value is gone either way.
  const row = base === undefined ? new Array<SqlValue>(layout.width).fill(null) : base.slice();
  row[layout.keyIndex] = key;
  return { row, key, timestamp, deleted: true, headers: change.headers };
}

function keyOf(change: JoinChange, keyFn: (row: readonly SqlValue[]) => SqlValue): SqlValue {
  if (change.deleted && change.key !== undefined) return change.key;
  return keyFn(change.row);
}

export class StreamTableJoin implements JoinOperator {
  readonly table: KeyedRows;

  constructor(
    private readonly layout: JoinLayout,
    private readonly kind: JoinKind,
    name: string,
  ) {
    this.table = new KeyedRows(name);
  }

  left(change: JoinChange, emit: EmitChange): void {
    if (change.deleted) return;
    const key = this.layout.leftKey(change.row);
    if (key === null) return;
    const match = this.table.get(key);
    if (match === undefined && this.kind === 'INNER') return;
    emit({
      row: joined(this.layout, change.row, match?.row, key),
      key,
      timestamp: change.timestamp,
      deleted: false,
      headers: change.headers,
    });
  }

  tables(): readonly KeyedRows[] {
    return [this.table];
  }

  right(change: JoinChange): void {
    const key = keyOf(change, this.layout.rightKey);
    if (key === null) return;
    if (change.deleted) this.table.delete(key);
    else this.table.set(key, { row: change.row, timestamp: change.timestamp });
  }
}

export class TableTableJoin implements JoinOperator {
  readonly leftRows: KeyedRows;
  readonly rightRows: KeyedRows;

  constructor(
    private readonly layout: JoinLayout,
    private readonly kind: JoinKind,
    name: string,
  ) {
    this.leftRows = new KeyedRows(`${name}-left`);
    this.rightRows = new KeyedRows(`${name}-right`);
  }

  tables(): readonly KeyedRows[] {
    return [this.leftRows, this.rightRows];
  }

  left(change: JoinChange, emit: EmitChange): void {
    this.apply(change, emit, true);
  }

  right(change: JoinChange, emit: EmitChange): void {
    this.apply(change, emit, false);
  }

  private apply(change: JoinChange, emit: EmitChange, isLeft: boolean): void {
    const layout = this.layout;
    const key = keyOf(change, isLeft ? layout.leftKey : layout.rightKey);
    if (key === null) return;
    const own = isLeft ? this.leftRows : this.rightRows;
    const other = (isLeft ? this.rightRows : this.leftRows).get(key);
    const old = own.get(key);
    if (change.deleted) own.delete(key);
    else own.set(key, { row: change.row, timestamp: change.timestamp });
    // Whether this side's rows appear without a match (LEFT keeps left rows, RIGHT right rows).
    const ownOuter = this.kind === 'FULL' || this.kind === (isLeft ? 'LEFT' : 'RIGHT');
    const otherOuter = this.kind === 'FULL' || this.kind === (isLeft ? 'RIGHT' : 'LEFT');
    const timestamp = other === undefined ? change.timestamp : Math.max(change.timestamp, other.timestamp);
    const emitRow = (mine: StoredRow | undefined) => {
      const left = isLeft ? mine?.row : other?.row;
      const right = isLeft ? other?.row : mine?.row;
      emit({
        row: joined(layout, left, right, key),
        key,
        timestamp,
        deleted: false,
        headers: change.headers,
      });
    };
    if (other === undefined) {
      if (!ownOuter) return;
      if (change.deleted) {
        if (old !== undefined) emit(deletion(layout, key, timestamp, change));
        return;
      }
      emitRow({ row: change.row, timestamp: change.timestamp });
      return;
    }
    if (change.deleted) {
      if (otherOuter) emitRow(undefined);
      else emit(deletion(layout, key, timestamp, change));
      return;
    }
    emitRow({ row: change.row, timestamp: change.timestamp });
  }
}

const LEGACY_GRACE_MS = 24 * 60 * 60 * 1000;

export class StreamStreamJoin implements JoinOperator, WindowedJoinState {
  private leftBuffer = new TimeBuffer();
  private rightBuffer = new TimeBuffer();
  /** Outer records waiting for their window to close (grace period given), by id (arrival). */
  private pending = new Map<number, PendingNonMatch>();
  private streamTime = Number.NEGATIVE_INFINITY;
  private readonly graceMs: number;
  private readonly retentionMs: number;
  private processed = 0;
  private nextId = 0;
  private expiredBefore = Number.NEGATIVE_INFINITY;
  private sink: WindowedJoinSink | undefined;

  constructor(
    private readonly layout: JoinLayout,
    private readonly kind: JoinKind,
    private readonly window: JoinWindow,
    readonly name = 'Join',
  ) {
    this.graceMs = window.graceMs ?? LEGACY_GRACE_MS;
    this.retentionMs = window.beforeMs + window.afterMs + this.graceMs;
  }

  /** It keeps no table side; its buffers are `windowed()`. */
  tables(): readonly KeyedRows[] {
    return [];
  }

  windowed(): readonly WindowedJoinState[] {
    return [this];
  }

  load(snapshot: WindowedJoinSnapshot): void {
    const progress = snapshot.progress;
    if (progress !== undefined) {
      this.streamTime = progress.streamTime;
      this.processed = progress.processed;
      this.nextId = progress.nextId;
      this.expiredBefore = progress.expiredBefore;
    }
    // Arrival order is id order; a changelog restore may bring back records expired since.
    const live = (records: readonly BufferedRecord[]) =>
      [...records].filter((r) => r.timestamp >= this.expiredBefore).sort((a, b) => a.id - b.id);
    this.leftBuffer = new TimeBuffer();
    this.rightBuffer = new TimeBuffer();
    for (const r of live(snapshot.left)) this.leftBuffer.add(r);
    for (const r of live(snapshot.right)) this.rightBuffer.add(r);
    this.pending = new Map(
      [...snapshot.pending].sort((a, b) => a.record.id - b.record.id).map((p) => [p.record.id, p]),
    );
    for (const p of this.pending.values()) this.nextId = Math.max(this.nextId, p.record.id + 1);
  }

  attach(sink: WindowedJoinSink): void {
    this.sink = sink;
  }

  progress(): WindowedJoinProgress {
    return {
      streamTime: this.streamTime,
      processed: this.processed,
      nextId: this.nextId,
      expiredBefore: this.expiredBefore,
    };
  }

  left(change: JoinChange, emit: EmitChange): void {
    this.process(change, emit, true);
  }

  right(change: JoinChange, emit: EmitChange): void {
    this.process(change, emit, false);
  }

  private process(change: JoinChange, emit: EmitChange, isLeft: boolean): void {
    if (change.deleted) return;
    const layout = this.layout;
    const key = (isLeft ? layout.leftKey : layout.rightKey)(change.row);
    if (key === null) return;
    const t = change.timestamp;
    if (t > this.streamTime) this.streamTime = t;
    if (t === this.streamTime) this.emitClosed(emit);
    const { beforeMs, afterMs } = this.window;
    // A left record at t meets right records in [t - before, t + after]; a right one, the mirror.
    const from = isLeft ? t - beforeMs : t - afterMs;
    const to = isLeft ? t + afterMs : t + beforeMs;
    const record: BufferedRecord = { id: this.nextId++, row: change.row, timestamp: t, key };
    if (t >= this.streamTime - this.retentionMs) {
      (isLeft ? this.leftBuffer : this.rightBuffer).add(record);
      this.sink?.buffered(isLeft, record);
    }
    const matches = (isLeft ? this.rightBuffer : this.leftBuffer).fetch(
      key,
      Math.max(0, from),
      Math.max(0, to),
    );
    for (const other of matches) {
      if (this.pending.delete(other.id)) this.sink?.settled(other.id);
      emit({
        row: isLeft ? joined(layout, change.row, other.row, key) : joined(layout, other.row, change.row, key),
        key,
        timestamp: Math.max(t, other.timestamp),
        deleted: false,
        headers: change.headers,
      });
    }
    const outer = this.kind === 'FULL' || this.kind === (isLeft ? 'LEFT' : 'RIGHT');
    if (matches.length === 0 && outer) {
      if (this.window.graceMs === undefined || to + this.graceMs < this.streamTime) {
        emit(this.nonMatch(record, isLeft, change));
      } else {
        const entry: PendingNonMatch = { record, isLeft, closesAt: to + this.graceMs };
        this.pending.set(record.id, entry);
        this.sink?.pending(entry);
      }
    }
    if (++this.processed % 1000 === 0) this.expire();
  }

  private nonMatch(
    record: BufferedRecord,
    isLeft: boolean,
    change: { headers: JoinChange['headers'] },
  ): JoinChange {
    const layout = this.layout;
    return {
      row: isLeft
        ? joined(layout, record.row, undefined, record.key)
        : joined(layout, undefined, record.row, record.key),
      key: record.key,
      timestamp: record.timestamp,
      deleted: false,
      headers: change.headers,
    };
  }

  /** Emits the non-matches whose window has closed, oldest first (then by arrival). */
  private emitClosed(emit: EmitChange): void {
    if (this.pending.size === 0) return;
    const closed: PendingNonMatch[] = [];
    for (const p of this.pending.values()) if (p.closesAt < this.streamTime) closed.push(p);
    if (closed.length === 0) return;
    closed.sort((a, b) => a.record.timestamp - b.record.timestamp || a.record.id - b.record.id);
    for (const p of closed) {
      this.pending.delete(p.record.id);
      this.sink?.settled(p.record.id);
      emit(this.nonMatch(p.record, p.isLeft, { headers: [] }));
    }
  }

  private expire(): void {
    const before = this.streamTime - this.retentionMs;
    if (before <= this.expiredBefore) return;
    this.expiredBefore = before;
    this.leftBuffer.expireBefore(before);
    this.rightBuffer.expireBefore(before);
    this.sink?.expired(before);
  }
}

export class ForeignKeyJoin implements JoinOperator {
  private readonly leftRows: KeyedRows;
  private readonly rightRows: KeyedRows;
  /** Foreign key -> the left primary keys pointing at it, in the order they came to. */
  private readonly index = new Map<string, Map<string, SqlValue>>();
  /**
   * Left primary key -> [its foreign key, a sequence number, the key]: the index as a table, kept
   * durably; the sequence restores the order of the index's entries after a restart.
   */
  private readonly subscriptions: KeyedRows;
  private nextSequence = 0;

  constructor(
    private readonly layout: JoinLayout,
    private readonly kind: JoinKind,
    /** The left primary key's value from a left row. */
    private readonly primaryKey: (row: readonly SqlValue[]) => SqlValue,
    name: string,
  ) {
    this.leftRows = new KeyedRows(`${name}-left`);
    this.rightRows = new KeyedRows(`${name}-right`);
    this.subscriptions = new KeyedRows(`${name}-subscriptions`);
  }

  /** Both tables and the foreign-key index's table. */
  tables(): readonly KeyedRows[] {
    return [this.leftRows, this.rightRows, this.subscriptions];
  }

  /** Rebuilds the index from its table after a load. */
  loaded(): void {
    this.index.clear();
    const entries: { pk: SqlValue; fk: SqlValue; sequence: number }[] = [];
    for (const stored of this.subscriptions.values()) {
      const [fk, sequence, pk] = stored.row;
      entries.push({ pk: pk ?? null, fk: fk ?? null, sequence: Number(sequence) });
    }
    entries.sort((a, b) => a.sequence - b.sequence);
    for (const e of entries) {
      this.subscribe(e.pk, e.fk);
      this.nextSequence = e.sequence + 1;
    }
  }

  private subscribe(pk: SqlValue, fk: SqlValue): void {
    const fkText = text(fk);
    const set = this.index.get(fkText) ?? new Map<string, SqlValue>();
    this.index.set(fkText, set);
    set.set(text(pk), pk);
  }

  left(change: JoinChange, emit: EmitChange): void {
    const pk = change.deleted && change.key !== undefined ? change.key : this.primaryKey(change.row);
    if (pk === null) return;
    const pkText = text(pk);
    const old = this.leftRows.get(pk);
    const oldSubscription = this.subscriptions.get(pk);
    const oldFk = oldSubscription === undefined ? undefined : (oldSubscription.row[0] ?? null);
    if (oldFk !== undefined) this.index.get(text(oldFk))?.delete(pkText);
    if (change.deleted) {
      if (oldSubscription !== undefined) this.subscriptions.delete(pk);
      this.leftRows.delete(pk);
      if (old !== undefined) emit(deletion(this.layout, pk, change.timestamp, change, old.row));
      return;
    }
    this.leftRows.set(pk, { row: change.row, timestamp: change.timestamp });
    const fk = this.layout.leftKey(change.row);
    const right = fk === null ? undefined : this.rightRows.get(fk);
    if (fk !== null) {
      this.subscribe(pk, fk);
      this.subscriptions.set(pk, { row: [fk, this.nextSequence++, pk], timestamp: change.timestamp });
    } else if (oldSubscription !== undefined) {
      this.subscriptions.delete(pk);
    }
    if (right === undefined && this.kind === 'INNER') {
      if (old !== undefined && oldFk !== undefined && this.rightRows.get(oldFk) !== undefined)
        emit(deletion(this.layout, pk, change.timestamp, change, change.row));
      return;
    }
    emit({
      row: joined(this.layout, change.row, right?.row, pk),
      key: pk,
      timestamp: change.timestamp,
      deleted: false,
      headers: change.headers,
    });
  }

  right(change: JoinChange, emit: EmitChange): void {
    const key = keyOf(change, this.layout.rightKey);
    if (key === null) return;
    if (change.deleted) this.rightRows.delete(key);
    else this.rightRows.set(key, { row: change.row, timestamp: change.timestamp });
    const lefts = this.index.get(text(key));
    if (lefts === undefined) return;
    for (const pk of lefts.values()) {
      const left = this.leftRows.get(pk);
      if (left === undefined) continue;
      const timestamp = Math.max(left.timestamp, change.timestamp);
      if (change.deleted && this.kind === 'INNER') {
        emit(deletion(this.layout, pk, timestamp, change, left.row));
        continue;
      }
      emit({
        row: joined(this.layout, left.row, change.deleted ? undefined : change.row, pk),
        key: pk,
        timestamp,
        deleted: false,
        headers: change.headers,
      });
    }
  }
}

function text(v: SqlValue): string {
  return rowKey([v]);
}
