/**
 * Rebuilding a store from its changelog topic: read every partition from its beginning to
 * the end offsets taken at the start (records appended later belong to the running query),
 * and hand the records to the store in batches.
 */
import { randomUUID } from 'node:crypto';
import type { Log, LogReader, LogRecord } from '../log/log.js';
import type { ChangelogRecord, Store } from './state-store.js';

export interface RestoreProgress {
  /** Offsets read so far, over all partitions. */
  readonly restored: number;
  /** Offsets to read: end minus beginning, over all partitions. */
  readonly total: number;
}

export interface RestoreOptions {
  onProgress?: (progress: RestoreProgress) => void;
  /** Records written to the store per transaction. Default 10,000. */
  batchSize?: number;
  /** The consumer group the restore reads with (default: a new one); it never commits. */
  groupId?: string;
}

const POLL_TIMEOUT_MS = 100;

/** Restores `store` from `topic`; returns the number of records applied. */
export async function restoreFromLog(
  log: Log,
  topic: string,
  store: Store,
  options: RestoreOptions = {},
): Promise<number> {
  const [begins, ends] = await Promise.all([log.beginningOffsets(topic), log.endOffsets(topic)]);
  const beginOf = new Map(begins.map((p) => [p.partition, p.offset]));
  const remaining = new Map<number, { begin: bigint; end: bigint }>();
  let total = 0;
  for (const { partition, offset: end } of ends) {
    const begin = beginOf.get(partition) ?? 0n;
    if (end <= begin) continue;
    remaining.set(partition, { begin, end });
    total += Number(end - begin);
  }
  options.onProgress?.({ restored: 0, total });
  if (remaining.size === 0) return 0;
  const reader = log.openReader({
    // A group of its own: two restores sharing a group would split the partitions, and each
    // would wait forever for the end of the partitions it was not given.
    groupId: options.groupId ?? `sluice-restore-${topic}-${randomUUID()}`,
    topics: [topic],
    autoOffsetReset: 'earliest',
  });
  try {
    return await restoreRecords(
      readToEnd(reader, topic, remaining, total, options.onProgress),
      store,
      options,
    );
  } finally {
    await reader.close();
  }
}

/** Applies changelog records, in log order, to `store` in batches. */
export async function restoreRecords(
  records: AsyncIterable<readonly LogRecord[]>,
  store: Store,
  options: Pick<RestoreOptions, 'batchSize'> = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 10_000;
  let pending: ChangelogRecord[] = [];
  let applied = 0;
  for await (const batch of records) {
    for (const record of batch) {
      if (record.key === null) continue;
      pending.push({ key: record.key, value: record.value });
      if (pending.length >= batchSize) {
        await store.restore(pending);
        applied += pending.length;
        pending = [];
      }
    }
  }
  if (pending.length > 0) await store.restore(pending);
  return applied + pending.length;
}

async function* readToEnd(
  reader: LogReader,
  topic: string,
  remaining: Map<number, { begin: bigint; end: bigint }>,
  total: number,
  onProgress: RestoreOptions['onProgress'],
): AsyncGenerator<LogRecord[]> {
  const reached = new Map<number, bigint>();
  while (remaining.size > 0) {
    const records = await reader.poll({ timeoutMs: POLL_TIMEOUT_MS });
    const wanted = records.filter((r) => {
      const range = remaining.get(r.partition);
      return r.topic === topic && range !== undefined && r.offset < range.end;
    });
    for (const r of wanted) reached.set(r.partition, r.offset + 1n);
    for (const p of reader.positions()) {
      if (p.topic !== topic) continue;
      const range = remaining.get(p.partition);
      if (range === undefined) continue;
      // Compaction leaves offset gaps: the reader's position covers them, records do not.
      if (p.offset > (reached.get(p.partition) ?? range.begin)) reached.set(p.partition, p.offset);
    }
    if (wanted.length > 0) yield wanted;
    for (const [partition, range] of remaining) {
      if ((reached.get(partition) ?? range.begin) >= range.end) {
        remaining.delete(partition);
        reached.delete(partition);
      }
    }
    onProgress?.({ restored: total - offsetsLeft(remaining, reached), total });
  }
}

function offsetsLeft(
  remaining: Map<number, { begin: bigint; end: bigint }>,
  reached: Map<number, bigint>,
): number {
  let left = 0;
  for (const [partition, range] of remaining)
    left += Math.max(0, Number(range.end - (reached.get(partition) ?? range.begin)));
  return left;
}

/** A store's restore progress, named by the store. */
export type StoreRestoreProgress = RestoreProgress & { readonly store: string };

/**
 * Readies a store's compacted changelog topic: when the state is fresh (no state file) and
 * the topic exists, the store is rebuilt from it first; a missing topic is created with
 * `partitions` partitions.
 */
export async function openChangelog(
  log: Log,
  topic: string,
  store: Store,
  options: {
    readonly fresh: boolean;
    readonly partitions: () => Promise<number>;
    readonly onProgress?: ((progress: StoreRestoreProgress) => void) | undefined;
  },
): Promise<void> {
  const existing = await log.describeTopic(topic);
  if (existing === undefined) {
    await log.ensureTopic(topic, {
      partitions: await options.partitions(),
      config: { cleanupPolicy: 'compact' },
    });
    return;
  }
  if (!options.fresh) return;
  const report = options.onProgress;
  await restoreFromLog(log, topic, store, {
    ...(report === undefined ? {} : { onProgress: (p) => report({ ...p, store: store.name }) }),
  });
}

/**
 * Drops the records that state committed at `stored` (next offset per partition) already
 * covers, as read again after a restart; a partition is forgotten once a record reaches its
 * stored position, so later batches pass through untouched.
 */
export function pastStoredPositions(records: LogRecord[], stored: Map<number, bigint>): LogRecord[] {
  if (stored.size === 0) return records;
  const kept = records.filter((r) => r.offset >= (stored.get(r.partition) ?? 0n));
  for (const r of records) {
    const position = stored.get(r.partition);
    if (position !== undefined && r.offset >= position) stored.delete(r.partition);
  }
  return kept;
}
