/**
 * A persistent join query: one consumer-group member over all its sources' topics. Each
 * batch is processed in event-time order across partitions (the partition whose next record
 * is oldest goes first; a partition's own records keep their offset order), as Kafka Streams
 * chooses between the inputs of a task, so a stream record meets the table as it stood at
 * its time as far as the batch allows.
 */

import type { SqlValue } from '../../catalog/values.js';
import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { Log, LogReader, LogRecord, ProducerRecord } from '../../log/log.js';
import type { JoinPipelinePlan } from '../../plan/join-plan.js';
import { openQueryState, type QueryStateSettings } from '../../state/open-state-store.js';
import type { StateStore } from '../../state/state-store.js';
import type { QueryState } from '../persistent-query.js';
import type { ProcessingLog } from '../processing-log.js';
import { sinkEncoder } from '../sink-encoder.js';
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
  /** Where the join's table sides are kept (a DuckDB file per query); default: in memory. */
  readonly state?: QueryStateSettings;
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
  private readonly process: JoinRecordProcessor;
  private readonly repartition: RepartitionWriter | undefined;
  private readonly encode: ReturnType<typeof sinkEncoder>;
  private readonly sinkTopic: string;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private stateStore: StateStore | undefined;
  private opening: Promise<void> | undefined;

  constructor(
    readonly plan: JoinPipelinePlan,
    private readonly log: Log,
    registry: FunctionRegistry,
    processingLog: ProcessingLog,
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

  /**
   * Opens the query's state store and backs each table side of its joins with a key-value
   * store of it: rows kept from an earlier run are loaded into memory, and every change is
   * buffered in the store until the batch commits (one DuckDB transaction per batch).
   */
  private openState(): Promise<void> {
    this.opening ??= (async () => {
      const settings = this.options.state;
      if (settings === undefined || settings.dir === undefined) return;
      const opened = await openQueryState(settings, this.plan.queryId);
      this.stateStore = opened.store;
      const kept = !opened.fresh && (await opened.store.committedPositions()).length > 0;
      for (const table of this.process.tables) {
        const store = await opened.store.keyValueStore(`${table.name}-store`);
        if (kept) {
          for await (const e of store.entries()) {
            const [timestamp, ...row] = e.value;
            table.load(e.key[0] ?? null, { row: row as SqlValue[], timestamp: Number(timestamp) });
          }
        }
        table.attach({
          put: (_name, key, value) => {
            if (value === undefined) store.delete([key]);
            else store.put([key], [value.timestamp, ...value.row]);
          },
        });
      }
    })();
    return this.opening;
  }

  async step(timeoutMs = 0): Promise<number> {
    if (this.state === 'TERMINATED' || this.state === 'PAUSED') return 0;
    await this.openState();
    const records = await this.reader.poll({ maxRecords: this.options.maxBatch ?? 500, timeoutMs });
    if (records.length === 0) return 0;
    const out: ProducerRecord[] = [];
    const rekeyed = new Map<string, ProducerRecord[]>();
    for (const record of eventTimeOrder(records)) {
      this.repartition?.(record, rekeyed);
      this.process(record, (row) => out.push(this.encode(row.key, row.value, row.timestamp, row.headers)));
    }
    // Re-keyed records are produced before the offsets of the records they come from are
    // committed; the join reads them back in a later poll.
    for (const [topic, produced] of rekeyed) await this.log.append(topic, produced);
    if (out.length > 0) await this.log.append(this.sinkTopic, out);
    // Output, then state with the positions it covers, then the consumer offsets: a crash in
    // between replays records (at-least-once), never loses them.
    await this.stateStore?.commit(this.reader.positions());
    await this.reader.commit();
    return records.length;
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
          await new Promise((resolve) => setTimeout(resolve, backoffMs));
          if (!this.stopping) this.reader = this.openReader();
          backoffMs = Math.min(backoffMs * 2, RETRY_MAX_MS);
        }
      }
    })();
  }

  /** Stops the query; `deleteState` (TERMINATE) also deletes its repartition topics. */
  async close(options: { deleteState?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.state = 'TERMINATED';
    await this.loop?.catch(() => {});
    await this.reader.close();
    await this.opening?.catch(() => {});
    await this.stateStore?.close();
    if (options.deleteState === true) await deleteRepartitionTopics(this.plan, this.log);
  }
}
