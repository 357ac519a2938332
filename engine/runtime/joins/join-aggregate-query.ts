/**
 * A join whose rows are aggregated (GROUP BY over a join): the join part writes its rows,
 * keyed by the grouping expressions, to the query's `Aggregate-GroupBy-repartition` topic;
 * the aggregation part (a PersistentQuery) reads that topic and writes the sink. Each part
 * commits its own offsets after its output, so either may replay records, never lose them.
 */
import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { Log } from '../../log/log.js';
import type { JoinPipelinePlan } from '../../plan/join-plan.js';
import type { StreamPipelinePlan } from '../../plan/physical-plan.js';
import { PersistentQuery, type PersistentQueryOptions } from '../persistent-query.js';
import type { ProcessingLog } from '../processing-log.js';
import { JoinQuery, type JoinQueryOptions } from './join-query.js';

export class JoinAggregateQuery extends JoinQuery {
  readonly aggregate: PersistentQuery;

  constructor(
    plan: JoinPipelinePlan,
    aggregatePlan: StreamPipelinePlan,
    private readonly internalLog: Log,
    registry: FunctionRegistry,
    processingLog: ProcessingLog,
    options: JoinQueryOptions,
    aggregateOptions: PersistentQueryOptions,
  ) {
    super(plan, internalLog, registry, processingLog, options);
    this.aggregate = new PersistentQuery(
      aggregatePlan,
      internalLog,
      registry,
      processingLog,
      aggregateOptions,
    );
  }

  /**
   * Creates the topic between the two parts (as many partitions as the first source) and the
   * query. The join part is the query's consumer group member; the aggregation part reads with
   * a group (and keeps a state file) of its own, suffixed `-aggregate`.
   */
  static async open(
    plan: JoinPipelinePlan,
    aggregatePlan: StreamPipelinePlan,
    log: Log,
    registry: FunctionRegistry,
    processingLog: ProcessingLog,
    options: JoinQueryOptions,
  ): Promise<JoinAggregateQuery> {
    const first = await log.describeTopic(plan.sources[0]!.step.topic);
    await log.ensureTopic(plan.sink!.topic, {
      partitions: first?.partitions ?? 1,
      config: { cleanupPolicy: 'delete' },
    });
    return new JoinAggregateQuery(
      plan,
      { ...aggregatePlan, queryId: `${aggregatePlan.queryId}-aggregate` },
      log,
      registry,
      processingLog,
      options,
      {
        groupId: `${options.groupId}-aggregate`,
        autoOffsetReset: 'earliest',
        ...(options.state === undefined ? {} : { state: options.state }),
      },
    );
  }

  override async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = (await super.drain()) + (await this.aggregate.drain());
      if (n === 0) return total;
      total += n;
    }
  }

  override start(): void {
    super.start();
    this.aggregate.start();
  }

  /** Stops both parts; `deleteState` (TERMINATE) also deletes the aggregation's state and the internal topic. */
  override async close(options: { deleteState?: boolean } = {}): Promise<void> {
    await super.close(options);
    await this.aggregate.close(options);
    if (options.deleteState === true)
      await this.internalLog.deleteTopic(this.plan.sink!.topic).catch(() => false);
  }
}
