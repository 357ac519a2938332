/**
 * Keeps a MaterializedTable in step with the table's topic: the sink topic of a CREATE TABLE
 * AS SELECT, or the topic of a CREATE SOURCE TABLE. It reads the topic as its own consumer
 * group member, upserting each keyed record and deleting on a tombstone, exactly as a
 * changelog is applied. Records that fail to decode go to the processing log.
 *
 * The rows live in a StateStore of the table's own (materialized-state.ts): in memory for a
 * deterministic engine, else a DuckDB file per table under the state directory. Each commit
 * makes the rows and the topic positions they cover durable together, then commits the same
 * positions to the reader's consumer group, whose id the state file keeps. On a restart the
 * materializer resumes from those positions; the topic is the table's changelog, so when the
 * file is gone (or no longer matches the table) the rows are rebuilt from its beginning.
 * Re-applying a record is harmless (the last record of a key wins), so a crash between the
 * two commits only reads a few records again.
 */
import { sourceStepFor } from '../analyzer/stream-query-planner.js';
import type { DataSource } from '../catalog/data-source.js';
import type { Log, LogReader, TopicPartitionOffset } from '../log/log.js';
import { type ProcessingLog, recordFailures } from '../runtime/processing-log.js';
import { type DecodedRow, sourceDecoder } from '../runtime/source-decoder.js';
import { pastStoredPositions, type RestoreProgress } from '../state/changelog-restore.js';
import { DEFAULT_COMMIT_INTERVAL_MS, type QueryStateSettings } from '../state/open-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { deleteMaterializedState, openMaterializedState } from './materialized-state.js';
import { MATERIALIZED_STORE, MaterializedTable } from './materialized-table.js';

const RETRY_MS = 500;
const MAX_BATCH = 1000;

export interface TableMaterializerOptions {
  /** Where the table's state lives (undefined dir: in memory). */
  readonly state: QueryStateSettings;
  /** The service the table belongs to (`ksql.service.id`). */
  readonly serviceId: string;
  /** The server log, told when the state file cannot be opened. */
  readonly warn?: (line: string) => void;
  /** How often state on disk is committed; state in memory commits every batch. */
  readonly commitIntervalMs?: number;
  /** Called while the rows are read up to the end the topic had at open, and once at the end. */
  readonly onRestoreProgress?: (progress: RestoreProgress) => void;
}

export class TableMaterializer {
  private reader: LogReader;
  private readonly decode: ReturnType<typeof sourceDecoder>;
  private readonly fail: ReturnType<typeof recordFailures>;
  private readonly keyCount: number;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private lastCommit = Date.now();
  private uncommitted = false;
  /** Records read since open (a metric: a resumed table reads only what it had not stored). */
  recordsRead = 0;
  /** While the topic is read up to the end offsets it had at open: the range per partition. */
  private restoring: Map<number, { start: bigint; end: bigint }> | undefined;
  private restoreTotal = 0;

  private constructor(
    readonly table: MaterializedTable,
    private readonly stateStore: StateStore,
    private readonly log: Log,
    processingLog: ProcessingLog,
    private readonly groupId: string,
    /** Per partition, the offset the stored rows cover records up to (skipped below it). */
    private readonly statePositions: Map<number, bigint>,
    private readonly options: TableMaterializerOptions,
    /** Whether the rows are in a state file (else in memory). */
    readonly onDisk: boolean,
    private readonly release: () => void,
  ) {
    this.decode = sourceDecoder(table.step);
    this.fail = recordFailures(processingLog, `materialize_${table.source.name}`);
    this.keyCount = table.step.keyColumns.length;
    this.reader = this.openReader();
  }

  /** Opens the table's state (resuming it, or starting afresh) and a reader of its topic. */
  static async open(
    source: DataSource,
    log: Log,
    processingLog: ProcessingLog,
    options: TableMaterializerOptions,
  ): Promise<TableMaterializer> {
    const step = sourceStepFor(source, undefined);
    const state = await openMaterializedState(source, log, {
      settings: options.state,
      serviceId: options.serviceId,
      ...(options.warn === undefined ? {} : { warn: options.warn }),
    });
    const store =
      source.keyFormat.window === undefined
        ? await state.store.keyValueStore(MATERIALIZED_STORE)
        : await state.store.windowStore(MATERIALIZED_STORE);
    const table = new MaterializedTable(source, step, store);
    const materializer = new TableMaterializer(
      table,
      state.store,
      log,
      processingLog,
      state.groupId,
      new Map(state.positions.map((p) => [p.partition, p.offset])),
      options,
      state.path !== undefined,
      state.release,
    );
    await materializer.startRestore(state.positions);
    return materializer;
  }

  /** Estimated bytes of rows held in memory (a metric; within the budget after commits). */
  cachedBytes(): number {
    return this.stateStore.cachedBytes();
  }

  /** The positions the stored rows cover (tests, metrics). */
  committedPositions(): Promise<TopicPartitionOffset[]> {
    return this.stateStore.committedPositions();
  }

  private openReader(): LogReader {
    return this.log.openReader({
      groupId: this.groupId,
      topics: [this.table.source.topic],
      autoOffsetReset: 'earliest',
    });
  }

  /** Measures what is left to read up to the end the topic has now. */
  private async startRestore(positions: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.options.onRestoreProgress === undefined) return;
    const topic = this.table.source.topic;
    const [begins, ends] = await Promise.all([this.log.beginningOffsets(topic), this.log.endOffsets(topic)]);
    const ranges = new Map<number, { start: bigint; end: bigint }>();
    for (const { partition, offset: end } of ends) {
      const begin = begins.find((b) => b.partition === partition)?.offset ?? 0n;
      const stored = positions.find((p) => p.partition === partition)?.offset;
      const start = stored !== undefined && stored > begin ? stored : begin;
      if (end > start) ranges.set(partition, { start, end });
    }
    if (ranges.size === 0) return;
    this.restoring = ranges;
    this.restoreTotal = [...ranges.values()].reduce((n, r) => n + Number(r.end - r.start), 0);
    this.options.onRestoreProgress({ restored: 0, total: this.restoreTotal });
  }

  private reportRestore(): void {
    const ranges = this.restoring;
    if (ranges === undefined) return;
    const positions = new Map(
      this.reader
        .positions()
        .filter((p) => p.topic === this.table.source.topic)
        .map((p) => [p.partition, p.offset]),
    );
    let restored = 0;
    let done = true;
    for (const [partition, range] of ranges) {
      let reached = positions.get(partition) ?? range.start;
      if (reached > range.end) reached = range.end;
      if (reached < range.start) reached = range.start;
      restored += Number(reached - range.start);
      if (reached < range.end) done = false;
    }
    if (done) this.restoring = undefined;
    this.options.onRestoreProgress?.({ restored, total: this.restoreTotal });
  }

  /** Reads one batch and applies it; resolves with the number of records read. */
  async step(timeoutMs = 0): Promise<number> {
    const polled = await this.reader.poll({ maxRecords: MAX_BATCH, timeoutMs });
    if (polled.length === 0) {
      if (this.uncommitted) await this.commit();
      // Positions can move past offsets no record was read at (transaction markers, compaction).
      this.reportRestore();
      return 0;
    }
    this.recordsRead += polled.length;
    const rows: DecodedRow[] = [];
    for (const record of pastStoredPositions(polled, this.statePositions)) {
      let decoded: DecodedRow;
      try {
        decoded = this.decode(record);
      } catch (err) {
        this.fail('deserialization', err, record);
        continue;
      }
      if (!decoded.nullKey) rows.push(decoded);
    }
    await this.table.prepare(rows.map((r) => r.values.slice(0, this.keyCount)));
    for (const decoded of rows) {
      const key = decoded.values.slice(0, this.keyCount);
      if (decoded.tombstone) this.table.delete(key, decoded.window);
      else
        this.table.upsert(
          decoded.window === undefined
            ? { key, values: decoded.values }
            : { key, values: decoded.values, window: decoded.window },
        );
    }
    this.uncommitted = true;
    if (this.commitDue()) await this.commit();
    this.reportRestore();
    return polled.length;
  }

  /** State in memory commits every batch; on disk once per interval, or when over budget. */
  private commitDue(): boolean {
    if (!this.onDisk) return true;
    return (
      Date.now() - this.lastCommit >= (this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS) ||
      this.stateStore.cachedBytes() > this.options.state.cacheBytes
    );
  }

  /** The rows with the positions they cover, then the same positions to the group. */
  private async commit(): Promise<void> {
    const positions = this.reader.positions().filter((p) => p.topic === this.table.source.topic);
    await this.stateStore.commit(positions);
    this.lastCommit = Date.now();
    this.uncommitted = false;
    if (this.onDisk && positions.length > 0) await this.reader.commit(positions);
  }

  /** Applies everything the topic holds now (deterministic mode). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.step(0);
      if (n === 0) return total;
      total += n;
    }
  }

  /** Follows the topic in the background until close(). */
  start(): void {
    if (this.loop !== undefined) return;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.step(200);
        } catch {
          if (this.stopping) return;
          // A new member of the same group resumes from the committed positions; records
          // applied since are applied again, which leaves the same rows.
          await this.reader.close().catch(() => {});
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (!this.stopping) this.reader = this.openReader();
        }
      }
    })();
  }

  /** Stops following the topic; `deleteState` (DROP) also deletes the table's state file. */
  async close(options: { deleteState?: boolean } = {}): Promise<void> {
    this.stopping = true;
    await this.loop?.catch(() => {});
    if (this.uncommitted) await this.commit().catch(() => {});
    await this.reader.close();
    await this.stateStore.close();
    this.release();
    if (options.deleteState === true && this.onDisk)
      deleteMaterializedState(this.options.state, this.options.serviceId, this.table.source);
  }
}
