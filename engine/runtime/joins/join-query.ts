/**
 * A persistent join query: one consumer-group member over all its sources' topics. Each
 * batch is processed in event-time order across partitions (the partition whose next record
 * is oldest goes first; a partition's own records keep their offset order), as Kafka Streams
 * chooses between the inputs of a task, so a stream record meets the table as it stood at
 * its time as far as the batch allows.
 */

import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { Log, LogReader, LogRecord, ProducerRecord } from '../../log/log.js';
import type { JoinPipelinePlan } from '../../plan/join-plan.js';
import { openChangelog, type StoreRestoreProgress } from '../../state/changelog-restore.js';
import {
  DEFAULT_COMMIT_INTERVAL_MS,
  deleteQueryState,
  openQueryState,
  type QueryStateSettings,
} from '../../state/open-state-store.js';
import type { StateStore } from '../../state/state-store.js';
import type { QueryState } from '../persistent-query.js';
import type { ProcessingLog } from '../processing-log.js';
import { sinkEncoder } from '../sink-encoder.js';
import { bindJoinState, type JoinStateBinding } from './join-durable-state.js';
import { compileJoinPipeline, type JoinRecordProcessor } from './join-pipeline.js';
import {
  deleteRepartitionTopics,
  type RepartitionWriter,
  repartitionTopics,
  repartitionWriter,
} from './repartition.js';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

export interface JoinQueryOptions {
  readonly groupId: string;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly maxBatch?: number;
  /** Where the join's state is kept (a DuckDB file per query); default: in memory. */
  readonly state?: QueryStateSettings;
  /**
   * How often state on disk is committed (with its changelog and the consumer offsets),
   * `ksql.streams.commit.interval.ms`; default 2000. State in memory commits every batch.
   */
  readonly commitIntervalMs?: number;
  /** Called while a store's state is rebuilt from its changelog. */
  readonly onRestoreProgress?: (progress: StoreRestoreProgress) => void;
}

/** The records of a batch in event-time order across partitions, offset order within each. */
export function eventTimeOrder(records: readonly LogRecord[]): LogRecord[] {
  const queues = new Map<string, LogRecord[]>();
  for (const r of records) {
    const id = `${r.topic}\u0000${r.partition}`;
    const q = queues.get(id);
    if (q === undefined) queues.set(id, [r]);
    else q.push(r);
  }
  if (queues.size <= 1) return [...records];
  const heads = [...queues.values()];
  const positions = heads.map(() => 0);
  const out: LogRecord[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const r = heads[i]![positions[i]!];
      if (r === undefined) continue;
      if (best < 0 || r.timestamp < heads[best]![positions[best]!]!.timestamp) best = i;
    }
    if (best < 0) return out;
    out.push(heads[best]![positions[best]!++]!);
  }
}

/** The topics a join query reads: its sources', and the repartition topics of its re-keyed sides. */
export function joinTopics(plan: JoinPipelinePlan): string[] {
  return [...new Set([...plan.sources.map((s) => s.step.topic), ...repartitionTopics(plan)])];
}

export class JoinQuery {
  state: QueryState = 'RUNNING';
  lastError: Error | undefined;
  private reader: LogReader;
  private process: JoinRecordProcessor;
  private readonly repartition: RepartitionWriter | undefined;
  private readonly encode: ReturnType<typeof sinkEncoder>;
  private readonly sinkTopic: string;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private stateStore: StateStore | undefined;
  private binding: JoinStateBinding | undefined;
  private opening: Promise<void> | undefined;
  /** The compacted topics the stores' changes go to (on-disk state only). */
  private changelogTopics = new Map<string, string>();
  /** Per source partition, the offset the state (stored or in memory) covers records up to. */
  private statePositions = new Map<string, bigint>();
  private lastStateCommit = 0;
  /** Whether records were processed since the last commit. */
  private uncommitted = false;

  constructor(
    readonly plan: JoinPipelinePlan,
    private readonly log: Log,
    private readonly registry: FunctionRegistry,
    private readonly processingLog: ProcessingLog,
    private readonly options: JoinQueryOptions,
  ) {
    if (plan.sink === undefined) throw new Error(`persistent query ${plan.queryId} has no sink`);
    this.process = compileJoinPipeline(plan, registry, processingLog);
    this.repartition = repartitionWriter(plan, registry, processingLog);
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
      topics: joinTopics(this.plan),
      autoOffsetReset: this.options.autoOffsetReset,
    });
  }

  get id(): string {
    return this.plan.queryId;
  }

  /** The state store of the query, once opened (metrics, tests). */
  get stateStoreInUse(): StateStore | undefined {
    return this.stateStore;
  }

  /**
   * Opens the query's state store and backs the joins' state with it (join-durable-state.ts):
   * what an earlier run kept is loaded into memory (restored from the changelog topics first
   * when the state file is gone), and every change is buffered in the store until the batch
   * commits (one DuckDB transaction per batch, then the changelog records).
   */
  private openState(): Promise<void> {
    this.opening ??= (async () => {
      const settings = this.options.state;
      if (settings === undefined || settings.dir === undefined) return;
      const opened = await openQueryState(settings, this.stateName);
      try {
        const partitions = (await this.log.describeTopic(this.plan.sources[0]!.step.topic))?.partitions ?? 1;
        const topics = new Map<string, string>();
        this.binding = await bindJoinState(this.process, opened.store, async (store) => {
          const topic = this.changelogTopicOf(store.name);
          await openChangelog(this.log, topic, store, {
            fresh: opened.fresh,
            partitions: async () => partitions,
            onProgress: this.options.onRestoreProgress,
          });
          topics.set(store.name, topic);
        });
        this.changelogTopics = topics;
        this.statePositions = new Map(
          (await opened.store.committedPositions()).map((p) => [partitionId(p.topic, p.partition), p.offset]),
        );
        this.stateStore = opened.store;
      } catch (err) {
        await opened.store.close();
        throw err;
      }
    })();
    return this.opening;
  }

  /**
   * The name of the query's state file: its application id (the consumer group), so that
   * queries of two services with the same query id never share a file, as Kafka Streams keeps
   * a state directory per application id.
   */
  private get stateName(): string {
    return this.options.groupId;
  }

  /** A store's changelog topic, named as ksqlDB names it: `<application id>-<store>-changelog`. */
  private changelogTopicOf(store: string): string {
    return `${this.options.groupId}-${store}-changelog`;
  }

  /**
   * Drops records the state already covers: processed before a restart (the stored
   * positions), or processed but not yet committed when the reader goes back to the
   * committed offsets (a rebalance, a reader reopened after a failed cycle whose state was
   * kept in memory), which would otherwise join twice.
   */
  private unprocessed(records: LogRecord[]): LogRecord[] {
    const kept: LogRecord[] = [];
    for (const r of records) {
      const id = partitionId(r.topic, r.partition);
      const covered = this.statePositions.get(id);
      if (covered !== undefined && r.offset < covered) continue;
      this.statePositions.set(id, r.offset + 1n);
      kept.push(r);
    }
    return kept;
  }

  async step(timeoutMs = 0): Promise<number> {
    if (this.state === 'TERMINATED' || this.state === 'PAUSED') return 0;
    await this.openState();
    const polled = await this.reader.poll({ maxRecords: this.options.maxBatch ?? 500, timeoutMs });
    if (polled.length === 0) {
      // An idle query still commits what it processed once the commit interval has passed.
      if (this.uncommitted && this.stateDue()) await this.commit();
      return 0;
    }
    const out: ProducerRecord[] = [];
    const rekeyed = new Map<string, ProducerRecord[]>();
    for (const record of eventTimeOrder(this.unprocessed(polled))) {
      this.repartition?.(record, rekeyed);
      this.process(record, (row) => out.push(this.encode(row.key, row.value, row.timestamp, row.headers)));
    }
    // Re-keyed records are produced before the offsets of the records they come from are
    // committed; the join reads them back in a later poll.
    for (const [topic, produced] of rekeyed) await this.log.append(topic, produced);
    if (out.length > 0) await this.log.append(this.sinkTopic, out);
    this.uncommitted = true;
    if (this.stateDue()) await this.commit();
    return polled.length;
  }

  /**
   * Whether to commit now: every batch for state in memory; for state on disk once per
   * commit interval, or sooner when the store's cache outgrows its budget.
   */
  private stateDue(): boolean {
    if (this.stateStore === undefined) return true;
    const interval = this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    return (
      Date.now() - this.lastStateCommit >= interval ||
      this.stateStore.cachedBytes() > (this.options.state?.cacheBytes ?? Number.POSITIVE_INFINITY)
    );
  }

  /**
   * Output was appended before; now state with the positions it covers, then its changelog,
   * then the consumer offsets: a crash in between replays records (at-least-once), never
   * loses them.
   */
  private async commit(): Promise<void> {
    if (this.stateStore !== undefined) {
      this.binding?.beforeCommit();
      const changelog = await this.stateStore.commit(this.reader.positions());
      for (const [store, changes] of changelog) {
        const topic = this.changelogTopics.get(store);
        if (topic === undefined || changes.length === 0) continue;
        await this.log.append(
          topic,
          changes.map((c) => ({ key: c.key, value: c.value })),
        );
      }
    }
    await this.reader.commit();
    this.lastStateCommit = Date.now();
    this.uncommitted = false;
  }

  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.step(0);
      if (n === 0) return total;
      total += n;
    }
  }

  start(): void {
    if (this.loop !== undefined) return;
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
   * After a failed cycle, the joins' state is reloaded from the last commit (their memory
   * holds the failed batch's changes); the batch is then read again from the committed
   * offsets. State kept in memory only has nothing to reload and is kept.
   */
  private async resetState(): Promise<void> {
    if (this.stateStore === undefined) return;
    const store = this.stateStore;
    this.stateStore = undefined;
    this.binding = undefined;
    this.opening = undefined;
    this.uncommitted = false;
    this.process = compileJoinPipeline(this.plan, this.registry, this.processingLog);
    await store.close().catch(() => {});
  }

  /**
   * Stops the query; `deleteState` (TERMINATE) also deletes its state file, changelog topics
   * and repartition topics.
   */
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
      if (this.options.state !== undefined) deleteQueryState(this.options.state, this.stateName);
      for (const topic of this.changelogTopics.values()) await this.log.deleteTopic(topic).catch(() => false);
      await deleteRepartitionTopics(this.plan, this.log);
    }
  }
}

function partitionId(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
