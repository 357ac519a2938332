/**
 * A push query over a join (SELECT ... FROM a JOIN b ... EMIT CHANGES): a transient reader of
 * all the join's topics, its batches in event-time order, its rows streamed to one client.
 */
import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { Log } from '../../log/log.js';
import type { JoinPipelinePlan } from '../../plan/join-plan.js';
import type { ProcessingLog } from '../processing-log.js';
import { type PushQuery, type PushQueryOptions, pushQueryOver } from '../push-query.js';
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
  return pushQueryOver(
    plan.queryId,
    plan.project.value.map((v) => v.column),
    reader,
    process,
    options,
    eventTimeOrder,
  );
}
