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
import type { QueryState } from '../persistent-query.js';
import type { ProcessingLog } from '../processing-log.js';
import { sinkEncoder } from '../sink-encoder.js';
import { compileJoinPipeline, type JoinRecordProcessor } from './join-pipeline.js';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

export interface JoinQueryOptions {
  readonly groupId: string;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly maxBatch?: number;
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

export function joinTopics(plan: JoinPipelinePlan): string[] {
  return [...new Set(plan.sources.map((s) => s.step.topic))];
}

export class JoinQuery {
  state: QueryState = 'RUNNING';
  lastError: Error | undefined;
  private reader: LogReader;
  private readonly process: JoinRecordProcessor;
  private readonly encode: ReturnType<typeof sinkEncoder>;
  private readonly sinkTopic: string;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    readonly plan: JoinPipelinePlan,
    private readonly log: Log,
    registry: FunctionRegistry,
    processingLog: ProcessingLog,
    private readonly options: JoinQueryOptions,
  ) {
    if (plan.sink === undefined) throw new Error(`persistent query ${plan.queryId} has no sink`);
    this.process = compileJoinPipeline(plan, registry, processingLog);
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

  async step(timeoutMs = 0): Promise<number> {
    if (this.state === 'TERMINATED' || this.state === 'PAUSED') return 0;
    const records = await this.reader.poll({ maxRecords: this.options.maxBatch ?? 500, timeoutMs });
    if (records.length === 0) return 0;
    const out: ProducerRecord[] = [];
    for (const record of eventTimeOrder(records)) {
      this.process(record, (row) => out.push(this.encode(row.key, row.value, row.timestamp, row.headers)));
    }
    if (out.length > 0) await this.log.append(this.sinkTopic, out);
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

  async close(): Promise<void> {
    this.stopping = true;
    this.state = 'TERMINATED';
    await this.loop?.catch(() => {});
    await this.reader.close();
  }
}
