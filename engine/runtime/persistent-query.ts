/**
 * A persistent query: a consumer-group member over its source topic that runs the poll ->
 * process -> produce -> commit cycle. Output is appended before offsets are committed, so a
 * crash between the two replays records (at-least-once), never loses them.
 *
 * A stateful query (GROUP BY) keeps its state in a StateStore of its own (see
 * open-state-store.ts). Each batch: the state its records touch is prefetched, the records
 * run, then output append -> state commit with the source positions -> changelog append ->
 * consumer offset commit. On start the query skips records its stored positions say the
 * state already holds; with no state file it first rebuilds the state from the changelog.
 */

import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { Log, LogReader, ProducerRecord, TopicPartitionOffset } from '../log/log.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import { openChangelog, pastStoredPositions, type StoreRestoreProgress } from '../state/changelog-restore.js';
import {
  DEFAULT_COMMIT_INTERVAL_MS,
  deleteQueryState,
  openQueryState,
  type QueryStateSettings,
} from '../state/open-state-store.js';
import type { StateStore, Store } from '../state/state-store.js';
import { SUPPRESS_STORE } from './final-emit-buffer.js';
import type { ProcessingLog } from './processing-log.js';
import { sinkEncoder } from './sink-encoder.js';
import { type BatchPipeline, compileBatchPipeline } from './stream-pipeline.js';
import { SOURCE_TABLE_STORE } from './table-aggregator.js';

/** The aggregation's store, named as ksqlDB names it (its changelog topic carries the name). */
export const AGGREGATE_STORE = 'Aggregate-Aggregate-Materialize';

export type QueryState = 'RUNNING' | 'PAUSED' | 'TERMINATED' | 'ERROR';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

export interface PersistentQueryOptions {
  readonly groupId: string;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly maxBatch?: number;
  /** Where a stateful query keeps its state; default: in memory. */
  readonly state?: QueryStateSettings;
  /** Called while a store's state is rebuilt from its changelog. */
  readonly onRestoreProgress?: (progress: StoreRestoreProgress) => void;
  /**
   * How often state on disk is committed (with its changelog and the consumer offsets),
   * `ksql.streams.commit.interval.ms` (see `commitIntervalMs`); default 2000. State in memory
   * commits every batch.
   */
  readonly commitIntervalMs?: number;
}

export class PersistentQuery {
  state: QueryState = 'RUNNING';
  /** Why the last processing cycle failed, while the query is in ERROR. */
  lastError: Error | undefined;
  private reader: LogReader;
  private pipeline: BatchPipeline | undefined;
  private opening: Promise<void> | undefined;
  private stateStore: StateStore | undefined;
  /** The compacted topics the stores' changes go to (on-disk state only). */
  private readonly changelogTopics: string[] = [];
  /** Per source partition, the offset the stored state covers records up to. */
  private statePositions = new Map<number, bigint>();
  private readonly settings: QueryStateSettings;
  private lastStateCommit = 0;
  /** Whether records were processed since the last state commit. */
  private uncommitted = false;
  private readonly encode: ReturnType<typeof sinkEncoder>;
  private readonly sinkTopic: string;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    readonly plan: StreamPipelinePlan,
    private readonly log: Log,
    private readonly registry: FunctionRegistry,
    private readonly processingLog: ProcessingLog,
    private readonly options: PersistentQueryOptions,
  ) {
    if (plan.sink === undefined) throw new Error(`persistent query ${plan.queryId} has no sink`);
    this.settings = options.state ?? { dir: undefined, cacheBytes: Number.POSITIVE_INFINITY };
    if (plan.aggregate === undefined) {
      this.pipeline = compileBatchPipeline(plan, registry, processingLog, undefined);
    }
    this.encode = sinkEncoder(
      plan.sink,
      plan.project.key.map((k) => k.column),
      plan.project.value.map((v) => v.column),
    );
    this.sinkTopic = plan.sink.topic;
    this.reader = this.openReader();
  }

  private openReader(): LogReader {
    return this.log.openReader({
      groupId: this.options.groupId,
      topics: [this.plan.source.topic],
      autoOffsetReset: this.options.autoOffsetReset,
    });
  }

  get id(): string {
    return this.plan.queryId;
  }

  /** Records an aggregation dropped because every window they fall in had closed. */
  lateRecords(): number {
    return this.pipeline?.lateRecords() ?? 0;
  }

  /** The state store of a stateful query, once opened (metrics, tests). */
  get stateStoreInUse(): StateStore | undefined {
    return this.stateStore;
  }

  /** Opens the state of a stateful query (restoring it first when needed); idempotent. */
  open(): Promise<void> {
    if (this.pipeline !== undefined) return Promise.resolve();
    this.opening ??= this.openState().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async openState(): Promise<void> {
    const aggregate = this.plan.aggregate;
    if (aggregate === undefined) return;
    const opened = await openQueryState(this.settings, this.options.groupId);
    try {
      const groups =
        aggregate.window === undefined
          ? await opened.store.keyValueStore(AGGREGATE_STORE)
          : await opened.store.windowStore(AGGREGATE_STORE);
      const sourceTable =
        aggregate.window === undefined && this.plan.source.sourceKind === 'TABLE'
          ? await opened.store.keyValueStore(SOURCE_TABLE_STORE)
          : undefined;
      const suppressed =
        aggregate.window !== undefined && aggregate.emitFinal === true
          ? await opened.store.windowStore(SUPPRESS_STORE)
          : undefined;
      const stores: Store[] = [
        ...(sourceTable === undefined ? [] : [sourceTable]),
        groups,
        ...(suppressed === undefined ? [] : [suppressed]),
      ];
      if (opened.path !== undefined) {
        for (const store of stores) {
          const topic = this.changelogTopicOf(store.name);
          await openChangelog(this.log, topic, store, {
            fresh: opened.fresh,
            partitions: async () => (await this.log.describeTopic(this.plan.source.topic))?.partitions ?? 1,
            onProgress: this.options.onRestoreProgress,
          });
          this.changelogTopics.push(topic);
        }
      }
      this.statePositions = new Map(
        (await opened.store.committedPositions())
          .filter((p) => p.topic === this.plan.source.topic)
          .map((p) => [p.partition, p.offset]),
      );
      this.pipeline = compileBatchPipeline(this.plan, this.registry, this.processingLog, {
        groups,
        ...(sourceTable === undefined ? {} : { sourceTable }),
        ...(suppressed === undefined ? {} : { suppressed }),
      });
      this.stateStore = opened.store;
    } catch (err) {
      await opened.store.close();
      throw err;
    }
  }

  /** A store's changelog topic, named as ksqlDB names it: `<application id>-<store>-changelog`. */
  private changelogTopicOf(store: string): string {
    return `${this.options.groupId}-${store}-changelog`;
  }

  /** Polls one batch and processes it; resolves with the number of records read. */
  async step(timeoutMs = 0): Promise<number> {
    if (this.state === 'TERMINATED' || this.state === 'PAUSED') return 0;
    await this.open();
    const pipeline = this.pipeline!;
    const polled = await this.reader.poll({ maxRecords: this.options.maxBatch ?? 500, timeoutMs });
    if (polled.length === 0) {
      // An idle query still commits what it processed once the commit interval has passed.
      if (this.uncommitted && this.stateDue()) await this.commit();
      return 0;
    }
    const records = pastStoredPositions(polled, this.statePositions);
    const out: ProducerRecord[] = [];
    await pipeline.processBatch(records, (row) =>
      out.push(this.encode(row.key, row.value, row.timestamp, row.headers, row.window)),
    );
    if (out.length > 0) await this.log.append(this.sinkTopic, out);
    this.uncommitted = true;
    if (this.stateDue()) await this.commit();
    return polled.length;
  }

  /**
   * Whether to commit now: always for stateless queries and state in memory; for state on
   * disk once per commit interval, or sooner when the cache outgrows its budget (only
   * committed entries can be evicted).
   */
  private stateDue(): boolean {
    if (this.stateStore === undefined || this.settings.dir === undefined) return true;
    const interval = this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    return (
      Date.now() - this.lastStateCommit >= interval ||
      this.stateStore.cachedBytes() > this.settings.cacheBytes
    );
  }

  /** State with the source positions, then its changelog, then the consumer offsets. */
  private async commit(): Promise<void> {
    if (this.stateStore !== undefined) {
      const positions: TopicPartitionOffset[] = this.reader
        .positions()
        .filter((p) => p.topic === this.plan.source.topic);
      const changelog = await this.stateStore.commit(positions);
      this.pipeline?.committed();
      this.lastStateCommit = Date.now();
      if (this.changelogTopics.length > 0) {
        for (const [store, changes] of changelog) {
          if (changes.length === 0) continue;
          await this.log.append(
            this.changelogTopicOf(store),
            changes.map((c) => ({ key: c.key, value: c.value })),
          );
        }
      }
    }
    await this.reader.commit();
    this.uncommitted = false;
  }

  /** Processes until the source has nothing more to read (deterministic test mode). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.step(0);
      if (n === 0) return total;
      total += n;
    }
  }

  /** Runs in the background until close(). */
  start(): void {
    if (this.loop !== undefined) return;
    // A failed cycle (a broker hiccup, a rebalance during commit) is retried after a pause:
    // nothing was committed, so the batch is read again (at-least-once). The query shows
    // ERROR until a cycle succeeds.
    this.loop = (async () => {
      let backoffMs = RETRY_MIN_MS;
      while (!this.stopping) {
        try {
          await this.step(500);
          if (this.state === 'ERROR') this.state = 'RUNNING';
          this.lastError = undefined;
          backoffMs = RETRY_MIN_MS;
        } catch (err) {
          if (this.stopping) return;
          this.state = 'ERROR';
          this.lastError = err instanceof Error ? err : new Error(String(err));
          // A new group member resumes from the committed offsets, so the failed batch is read again.
          await this.reader.close().catch(() => {});
          await this.resetState();
          await new Promise((resolve) => setTimeout(resolve, backoffMs));
          if (!this.stopping) this.reader = this.openReader();
          backoffMs = Math.min(backoffMs * 2, RETRY_MAX_MS);
        }
      }
    })();
  }

  /**
   * After a failed cycle, state written since the last commit is dropped by reopening the
   * state file; the batch is then read again from the committed offsets. State in memory has
   * nothing to reopen and is kept.
   */
  private async resetState(): Promise<void> {
    if (this.stateStore === undefined || this.settings.dir === undefined) return;
    const store = this.stateStore;
    this.stateStore = undefined;
    this.pipeline = undefined;
    await store.close().catch(() => {});
  }

  /** Stops the query; `deleteState` (TERMINATE) also deletes its state file and changelog topic. */
  async close(options: { deleteState?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.state = 'TERMINATED';
    await this.loop?.catch(() => {});
    await this.opening?.catch(() => {});
    // A clean stop commits what it processed; after a failure the batch is read again instead.
    if (this.uncommitted && this.lastError === undefined) await this.commit().catch(() => {});
    await this.reader.close();
    await this.stateStore?.close();
    this.stateStore = undefined;
    if (options.deleteState === true) {
      deleteQueryState(this.settings, this.options.groupId);
      for (const topic of this.changelogTopics) await this.log.deleteTopic(topic).catch(() => false);
    }
  }
}
