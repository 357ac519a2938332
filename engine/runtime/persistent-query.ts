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

export interface PersistentQueryOptions {
  readonly groupId: string;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly maxBatch?: number;
}

export class PersistentQuery {
  state: QueryState = 'RUNNING';
  private readonly reader: LogReader;
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
    this.reader = log.openReader({
      groupId: options.groupId,
      topics: [plan.source.topic],
      autoOffsetReset: options.autoOffsetReset,
    });
  }

  get id(): string {
    return this.plan.queryId;
  }

  /** Polls one batch and processes it; resolves with the number of records read. */
  async step(timeoutMs = 0): Promise<number> {
    if (this.state !== 'RUNNING') return 0;
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
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.step(500);
        } catch (err) {
          if (this.stopping) return;
          this.state = 'ERROR';
          throw err;
        }
      }
    })();
    this.loop.catch(() => {});
  }

  async close(): Promise<void> {
    this.stopping = true;
    this.state = 'TERMINATED';
    await this.loop?.catch(() => {});
    await this.reader.close();
  }
}
