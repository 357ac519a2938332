/**
 * A persistent query: a consumer-group member over its source topic that runs the poll ->
 * process -> produce -> commit cycle. Output is appended before offsets are committed, so a
 * crash between the two replays records (at-least-once), never loses them.
 */

import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { Log, LogReader, ProducerRecord } from '../log/log.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import type { ProcessingLog } from './processing-log.js';
import { sinkEncoder } from './sink-encoder.js';
import { compileStreamPipeline, type RecordProcessor } from './stream-pipeline.js';

export type QueryState = 'RUNNING' | 'PAUSED' | 'TERMINATED' | 'ERROR';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

export interface PersistentQueryOptions {
  readonly groupId: string;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly maxBatch?: number;
}

export class PersistentQuery {
  state: QueryState = 'RUNNING';
  /** Why the last processing cycle failed, while the query is in ERROR. */
  lastError: Error | undefined;
  private reader: LogReader;
  private readonly process: RecordProcessor;
  private readonly encode: ReturnType<typeof sinkEncoder>;
  private readonly sinkTopic: string;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    readonly plan: StreamPipelinePlan,
    private readonly log: Log,
    registry: FunctionRegistry,
    processingLog: ProcessingLog,
    private readonly options: PersistentQueryOptions,
  ) {
    if (plan.sink === undefined) throw new Error(`persistent query ${plan.queryId} has no sink`);
    this.process = compileStreamPipeline(plan, registry, processingLog);
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

  /** Polls one batch and processes it; resolves with the number of records read. */
  async step(timeoutMs = 0): Promise<number> {
    if (this.state === 'TERMINATED' || this.state === 'PAUSED') return 0;
    const records = await this.reader.poll({ maxRecords: this.options.maxBatch ?? 500, timeoutMs });
    if (records.length === 0) return 0;
    const out: ProducerRecord[] = [];
    for (const record of records) {
      this.process(record, (row) =>
        out.push(this.encode(row.key, row.value, row.timestamp, row.headers, row.window)),
      );
    }
    if (out.length > 0) await this.log.append(this.sinkTopic, out);
    await this.reader.commit();
    return records.length;
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
          await new Promise((resolve) => setTimeout(resolve, backoffMs));
          if (!this.stopping) this.reader = this.openReader();
          backoffMs = Math.min(backoffMs * 2, RETRY_MAX_MS);
        }
      }
    })();
  }

  async close(): Promise<void> {
    this.stopping = true;
    this.state = 'TERMINATED';
    await this.loop?.catch(() => {});
    await this.reader.close();
  }
}
