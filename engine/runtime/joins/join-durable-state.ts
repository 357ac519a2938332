/**
 * Backs a join query's in-memory join state with its StateStore (one DuckDB file per query):
 * - each table side (`KeyedRows`): a key-value store, key -> [timestamp, ...row];
 * - each stream-stream join: its two buffers as multi-map stores (join key -> [id, ...row] at
 *   the record's timestamp), the outer records waiting for their window to close as a
 *   key-value store (id -> [isLeft, closesAt, timestamp, join key, ...row]), and its progress
 *   (stream time, records processed, next id, expiry time) as a key-value store of one entry.
 *
 * The operators probe their in-memory state synchronously; every change is also written to
 * the stores, which keep it in memory until the batch's commit makes it durable with the
 * source positions in one DuckDB transaction and returns it as changelog records. On open,
 * everything the stores hold is loaded back into memory once (after a restore from the
 * changelog topics when the state file was lost), so a batch never queries DuckDB.
 */
import type { SqlValue } from '../../catalog/values.js';
import type { KeyValueStore, MultiMapStore, StateStore, Store } from '../../state/state-store.js';
import type { JoinRecordProcessor } from './join-pipeline.js';
import type {
  BufferedRecord,
  KeyedRows,
  PendingNonMatch,
  WindowedJoinProgress,
  WindowedJoinState,
} from './join-state.js';

const PROGRESS_KEY = ['progress'];

/** The stores of one stream-stream join, named after Kafka Streams' (KSTREAM-JOINTHIS-...). */
interface WindowedStores {
  readonly join: WindowedJoinState;
  readonly left: MultiMapStore;
  readonly right: MultiMapStore;
  readonly outer: KeyValueStore;
  readonly progress: KeyValueStore;
}

export interface JoinStateBinding {
  /** Every store, in a fixed order (their changelog topics). */
  readonly stores: readonly Store[];
  /** Writes what changes without a record of its own (the joins' progress); before each commit. */
  beforeCommit(): void;
}

/**
 * Opens the stores of every join of `process`, lets `prepare` restore each (from its
 * changelog topic) before anything is read, loads their contents into the operators, and
 * sends every later change to them.
 */
export async function bindJoinState(
  process: JoinRecordProcessor,
  state: StateStore,
  prepare: (store: Store) => Promise<void>,
): Promise<JoinStateBinding> {
  const tables: { rows: KeyedRows; store: KeyValueStore }[] = [];
  for (const rows of process.tables)
    tables.push({ rows, store: await state.keyValueStore(`${rows.name}-store`) });
  const windowed: WindowedStores[] = [];
  for (const join of process.windowed) {
    windowed.push({
      join,
      left: await state.multiMapStore(`${join.name}-JOINTHIS-store`),
      right: await state.multiMapStore(`${join.name}-JOINOTHER-store`),
      outer: await state.keyValueStore(`${join.name}-OUTERSHARED-store`),
      progress: await state.keyValueStore(`${join.name}-PROGRESS-store`),
    });
  }
  const stores: Store[] = [
    ...tables.map((t) => t.store),
    ...windowed.flatMap((w) => [w.left, w.right, w.outer, w.progress]),
  ];
  for (const store of stores) await prepare(store);

  for (const { rows, store } of tables) {
    for await (const e of store.entries()) {
      const [timestamp, ...row] = e.value;
      rows.load(e.key[0] ?? null, { row: row as SqlValue[], timestamp: Number(timestamp) });
    }
    rows.attach({
      put: (_name, key, value) => {
        if (value === undefined) store.delete([key]);
        else store.put([key], [value.timestamp, ...value.row]);
      },
    });
  }
  const written = new Map<WindowedJoinState, number>();
  for (const w of windowed) {
    const progress = await loadProgress(w.progress);
    const pending: PendingNonMatch[] = [];
    for await (const e of w.outer.entries()) {
      const [isLeft, closesAt, timestamp, key, ...row] = e.value;
      pending.push({
        record: {
          id: Number(e.key[0]),
          row: row as SqlValue[],
          timestamp: Number(timestamp),
          key: key ?? null,
        },
        isLeft: isLeft === true,
        closesAt: Number(closesAt),
      });
    }
    w.join.load({ left: await buffered(w.left), right: await buffered(w.right), pending, progress });
    // Restored from a changelog, the buffers may hold records expired before the loss.
    if (progress !== undefined && Number.isFinite(progress.expiredBefore)) {
      w.left.expireBefore(progress.expiredBefore);
      w.right.expireBefore(progress.expiredBefore);
    }
    written.set(w.join, progress?.processed ?? 0);
    w.join.attach({
      buffered: (isLeft, r) => (isLeft ? w.left : w.right).add([r.key], r.timestamp, [r.id, ...r.row]),
      expired: (time) => {
        w.left.expireBefore(time);
        w.right.expireBefore(time);
      },
      pending: (p) =>
        w.outer.put([p.record.id], [p.isLeft, p.closesAt, p.record.timestamp, p.record.key, ...p.record.row]),
      settled: (id) => w.outer.delete([id]),
    });
  }
  process.loaded();

  return {
    stores,
    beforeCommit() {
      for (const w of windowed) {
        const p = w.join.progress();
        if (written.get(w.join) === p.processed || !Number.isFinite(p.streamTime)) continue;
        written.set(w.join, p.processed);
        w.progress.put(PROGRESS_KEY, [
          p.streamTime,
          p.processed,
          p.nextId,
          Number.isFinite(p.expiredBefore) ? p.expiredBefore : null,
        ]);
      }
    },
  };
}

async function buffered(store: MultiMapStore): Promise<BufferedRecord[]> {
  const out: BufferedRecord[] = [];
  for await (const e of store.entries()) {
    const [id, ...row] = e.value;
    out.push({ id: Number(id), row: row as SqlValue[], timestamp: e.timestamp, key: e.key[0] ?? null });
  }
  return out;
}

async function loadProgress(store: KeyValueStore): Promise<WindowedJoinProgress | undefined> {
  for await (const e of store.entries()) {
    const [streamTime, processed, nextId, expiredBefore] = e.value;
    return {
      streamTime: Number(streamTime),
      processed: Number(processed),
      nextId: Number(nextId),
      expiredBefore:
        expiredBefore === null || expiredBefore === undefined
          ? Number.NEGATIVE_INFINITY
          : Number(expiredBefore),
    };
  }
  return undefined;
}
