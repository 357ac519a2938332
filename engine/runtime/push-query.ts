/**
 * A push query (SELECT ... EMIT CHANGES): a transient consumer of its source that streams
 * result rows to one client until LIMIT rows were sent or the client closes it. Nothing is
 * committed: a push query always starts where `auto.offset.reset` says. Those that start at
 * the end share one consumer per source (shared-source-reader.ts).
 */
import type { SqlValue } from '../catalog/values.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { Log, LogRecord } from '../log/log.js';
import type { PlanColumn, StreamPipelinePlan } from '../plan/physical-plan.js';
import type { ProcessingLog } from './processing-log.js';
import type { RecordSource, SharedSourceReaders } from './shared-source-reader.js';
import { compileStreamPipeline, type RecordProcessor } from './stream-pipeline.js';

export interface PushQueryRow {
  readonly values: readonly SqlValue[];
  readonly timestamp: number;
}

export interface PushQuery extends AsyncIterable<PushQueryRow> {
  readonly id: string;
  readonly columns: readonly PlanColumn[];
  /** Ends the query: the iterator finishes and the consumer leaves its group. */
  close(): Promise<void>;
  /**
   * Set for a pull query (engine/materialize/pull-query.ts), whose rows end by themselves:
   * over a table without a final message, over a stream with one.
   */
  readonly pull?: 'table' | 'stream';
  /** A pull query over a stream: whether it stopped at its LIMIT rather than at the last record. */
  limitReached?(): boolean;
}

export interface PushQueryOptions {
  readonly groupId: string;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly limit?: number;
  /** How long one poll waits for records; also how quickly close() is noticed. */
  readonly pollTimeoutMs?: number;
  /** Where a query starting at the end of its source subscribes instead of opening a reader. */
  readonly shared?: SharedSourceReaders;
}

export function startPushQuery(
  plan: StreamPipelinePlan,
  log: Log,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
  options: PushQueryOptions,
): PushQuery {
  const process: RecordProcessor = compileStreamPipeline(plan, registry, processingLog);
  const reader: RecordSource =
    options.shared !== undefined && options.autoOffsetReset === 'latest'
      ? options.shared.subscribe(plan.source.topic)
      : log.openReader({
          groupId: options.groupId,
          topics: [plan.source.topic],
          autoOffsetReset: options.autoOffsetReset,
        });
  return pushQueryOver(
    plan.queryId,
    plan.project.value.map((v) => v.column),
    reader,
    process,
    options,
  );
}

/**
 * A push query over an open reader: polls, runs each batch through `process` (in the order
 * `order` gives), and streams the live rows until LIMIT rows were sent or it is closed.
 */
export function pushQueryOver(
  id: string,
  columns: readonly PlanColumn[],
  reader: RecordSource,
  process: RecordProcessor,
  options: Pick<PushQueryOptions, 'limit' | 'pollTimeoutMs'>,
  order: (records: LogRecord[]) => readonly LogRecord[] = (records) => records,
): PushQuery {
  let closed = false;
  let sent = 0;
  const close = async () => {
    if (closed) return;
    closed = true;
    await reader.close();
  };
  async function* rows(): AsyncGenerator<PushQueryRow> {
    try {
      while (!closed && (options.limit === undefined || sent < options.limit)) {
        const records = await reader.poll({ timeoutMs: options.pollTimeoutMs ?? 500 });
        const batch: PushQueryRow[] = [];
        for (const record of order(records)) {
          process(record, (row) => {
            if (row.value !== null) batch.push({ values: row.value, timestamp: row.timestamp });
          });
        }
        for (const row of batch) {
          if (options.limit !== undefined && sent >= options.limit) break;
          sent++;
          yield row;
        }
      }
    } finally {
      await close();
    }
  }
  return {
    id,
    columns,
    close,
    [Symbol.asyncIterator]: rows,
  };
}
