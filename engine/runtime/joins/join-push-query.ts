/**
 * A push query over a join (SELECT ... FROM a JOIN b ... EMIT CHANGES): a transient reader of
 * all the join's topics, its batches in event-time order, its rows streamed to one client.
 */
import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { Log } from '../../log/log.js';
import type { JoinPipelinePlan } from '../../plan/join-plan.js';
import type { ProcessingLog } from '../processing-log.js';
import type { PushQuery, PushQueryOptions, PushQueryRow } from '../push-query.js';
import { compileJoinPipeline } from './join-pipeline.js';
import { eventTimeOrder, joinTopics } from './join-query.js';

export function startJoinPushQuery(
  plan: JoinPipelinePlan,
  log: Log,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
  options: PushQueryOptions,
): PushQuery {
  const process = compileJoinPipeline(plan, registry, processingLog);
  const reader = log.openReader({
    groupId: options.groupId,
    topics: joinTopics(plan),
    autoOffsetReset: options.autoOffsetReset,
  });
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
        for (const record of eventTimeOrder(records)) {
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
    id: plan.queryId,
    columns: plan.project.value.map((v) => v.column),
    close,
    [Symbol.asyncIterator]: rows,
  };
}
