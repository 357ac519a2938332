/**
 * CREATE STREAM/TABLE AS SELECT and INSERT INTO ... SELECT over a join: the sink and the
 * JoinPipelinePlan that writes it, and the co-partitioning check made when the query starts.
 */
import type { CreateStreamAsSelect, CreateTableAsSelect, InsertInto, Query } from '../../parser/ast.js';
import { type AnalyzedJoinQuery, analyzeJoinQuery } from '../analyzer/join-planner.js';
import { repartitionTopicName } from '../analyzer/join-repartition.js';
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { LogicalSchema } from '../catalog/schema.js';
import { ConfigKeys, type EngineConfig } from '../config.js';
import { StatementError } from '../errors.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { Log } from '../log/log.js';
import type { JoinPipelinePlan } from '../plan/join-plan.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import { sinkKeyFormat, sinkSource, sinkTopicSize, sinkValueFormat } from './create-as-select.js';
import { planJoinAggregate } from './create-join-aggregate.js';
import { WithProperties } from './with-properties.js';

export interface PlannedJoinQuery {
  readonly plan: JoinPipelinePlan;
  readonly sink: DataSource;
  readonly partitions: number | undefined;
  readonly replicas: number | undefined;
  /** GROUP BY over the join: the aggregation that reads the join's rows (create-join-aggregate.ts). */
  readonly aggregate?: StreamPipelinePlan;
}

export function isJoinQuery(query: Query): boolean {
  return query.from.kind === 'Join';
}

export function planJoinAsSelect(
  statement: CreateStreamAsSelect | CreateTableAsSelect,
  sqlText: string,
  queryId: string,
  metastore: MetaStore,
  registry: FunctionRegistry,
  config: EngineConfig,
): PlannedJoinQuery {
  if (statement.query.groupBy !== undefined) {
    if (statement.kind !== 'CreateTableAsSelect') {
      throw new StatementError(
        'Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.',
      );
    }
    return planJoinAggregate(statement, sqlText, queryId, metastore, registry, config);
  }
  const props = new WithProperties(statement.properties, 'CREATE_AS');
  const analyzed = analyzeJoinQuery(statement.query, metastore, registry, statement.name);
  const sinkKind = statement.kind === 'CreateTableAsSelect' ? 'TABLE' : 'STREAM';
  if (sinkKind !== analyzed.resultKind) {
    const produces = analyzed.resultKind;
    const use = produces === 'TABLE' ? 'CREATE TABLE AS SELECT' : 'CREATE STREAM AS SELECT';
    throw new StatementError(
      `Invalid result type. Your SELECT query produces a ${produces}. Please use ${use} statement instead.`,
    );
  }
  const schema = resultSchema(analyzed);
  const left = analyzed.dataSources[0]!;
  const keySource =
    left.keyFormat.format === 'NONE'
      ? (analyzed.dataSources.find((s) => s.keyFormat.format !== 'NONE') ?? left)
      : left;
  const keyFormat = sinkKeyFormat(props, { keyed: analyzed.keyed, source: keySource, rekeyed: true }, config);
  const valueFormat = sinkValueFormat(props, { source: left }, config);
  const sink = sinkSource(
    statement,
    sinkKind,
    schema,
    keyFormat,
    valueFormat,
    props,
    config,
    sqlText,
    queryId,
  );
  return {
    plan: joinPlanOf(queryId, analyzed, sink, internalTopics(config)),
    sink,
    ...sinkTopicSize(props, config),
  };
}

export function planJoinInsertInto(
  statement: InsertInto,
  queryId: string,
  metastore: MetaStore,
  registry: FunctionRegistry,
  config?: EngineConfig,
): PlannedJoinQuery {
  const target = metastore.source(statement.target);
  if (target === undefined) throw new StatementError(`Source \`${statement.target}\` does not exist.`);
  if (target.kind === 'TABLE') {
    throw new StatementError(
      `INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`,
    );
  }
  if (target.isSource) throw new StatementError(`Cannot insert into read-only stream: ${target.name}`);
  const analyzed = analyzeJoinQuery(statement.query, metastore, registry, target.name);
  if (analyzed.resultKind !== 'STREAM') {
    throw new StatementError(
      `INSERT INTO can only be used to insert into a stream. The query produces a table.`,
    );
  }
  const result = resultSchema(analyzed);
  const sinkSchema = LogicalSchema.of(target.schema.columns.filter((c) => c.namespace !== 'HEADERS'));
  if (!result.equals(sinkSchema)) {
    throw new StatementError(
      `Incompatible schema between results and sink.\nResult schema is ${result.format()}\nSink schema is ${target.schema.format()}`,
    );
  }
  return {
    plan: joinPlanOf(queryId, analyzed, target, config === undefined ? undefined : internalTopics(config)),
    sink: target,
    partitions: undefined,
    replicas: undefined,
  };
}

function resultSchema(analyzed: AnalyzedJoinQuery): LogicalSchema {
  return LogicalSchema.of([
    ...analyzed.project.key.map((k) => ({ ...k.column, namespace: 'KEY' as const })),
    ...analyzed.project.value.map((v) => ({ ...v.column, namespace: 'VALUE' as const })),
  ]);
}

/** What names and formats a persistent query's internal topics. */
export interface InternalTopicSettings {
  readonly serviceId: string;
  readonly defaultKeyFormat: string;
}

export function internalTopics(config: EngineConfig): InternalTopicSettings {
  return {
    serviceId: config.get(ConfigKeys.SERVICE_ID) ?? 'default_',
    defaultKeyFormat: config.get(ConfigKeys.DEFAULT_KEY_FORMAT)?.toUpperCase() ?? 'KAFKA',
  };
}

/**
 * The plan of a join query. A persistent query (`internal` given) re-keys the sides the
 * analysis marked through their repartition topics; a push query re-keys them in memory.
 */
export function joinPlanOf(
  queryId: string,
  analyzed: AnalyzedJoinQuery,
  sink: DataSource | undefined,
  internal?: InternalTopicSettings,
): JoinPipelinePlan {
  const sources = analyzed.sources.map((s) => {
    if (s.repartition === undefined) return s;
    if (internal === undefined) {
      const { repartition: _dropped, ...rest } = s;
      return rest;
    }
    const r = s.repartition;
    return {
      ...s,
      repartition: {
        ...r,
        topic: repartitionTopicName(internal.serviceId, queryId, r.name),
        keyFormat: r.keyFormat ?? { format: internal.defaultKeyFormat },
      },
    };
  });
  return {
    kind: 'JoinPipeline',
    queryId,
    sources,
    joins: analyzed.joins,
    columns: analyzed.columns,
    ...(analyzed.syntheticKey === undefined ? {} : { syntheticKey: analyzed.syntheticKey }),
    resultKind: analyzed.resultKind,
    steps: analyzed.steps,
    project:
      sink?.timestamp === undefined ? analyzed.project : { ...analyzed.project, timestamp: sink.timestamp },
    ...(sink === undefined
      ? {}
      : {
          sink: {
            kind: 'Sink' as const,
            sinkName: sink.name,
            topic: sink.topic,
            keyFormat: sink.keyFormat,
            valueFormat: sink.valueFormat,
          },
        }),
  };
}

/**
 * Sides joined key to key read partitions that must line up: their topics need as many
 * partitions as each other (ksqlDB's co-partitioning rule). A side joined on anything but its
 * key is re-keyed by the join, and a foreign-key join has no such constraint.
 */
export async function checkCoPartitioned(plan: JoinPipelinePlan, log: Log): Promise<void> {
  const partitionsOf = async (i: number) => {
    const topic = plan.sources[i]!.step.topic;
    const description = await log.describeTopic(topic);
    if (description === undefined) throw new StatementError(`Topic ${topic} does not exist`);
    return description.partitions;
  };
  for (const [i, join] of plan.joins.entries()) {
    if (join.mode === 'FOREIGN_KEY') continue;
    const leftSource = keySource(plan, join.leftKey);
    const rightSource = keySource(plan, join.rightKey);
    if (leftSource === undefined || rightSource === undefined) continue;
    // A side re-keyed through a repartition topic gets the other side's partition count.
    if (plan.sources[leftSource]!.repartition?.topic !== undefined) continue;
    if (plan.sources[rightSource]!.repartition?.topic !== undefined) continue;
    const l = await partitionsOf(leftSource);
    const r = await partitionsOf(rightSource);
    if (l !== r) {
      const ln = plan.sources[leftSource]!.step.sourceName;
      const rn = plan.sources[rightSource]!.step.sourceName;
      throw new StatementError(
        `Can't join \`${ln}\` with \`${rn}\` since the number of partitions don't match. \`${ln}\` partitions = ${l}; \`${rn}\` partitions = ${r}. Please repartition either one so that the number of partitions match.`,
      );
    }
    void i;
  }
}

/** The source whose key column the expression is, if it is one. */
function keySource(
  plan: JoinPipelinePlan,
  e: JoinPipelinePlan['joins'][number]['leftKey'],
): number | undefined {
  if (e.kind !== 'ColumnRef') return undefined;
  for (const [i, s] of plan.sources.entries()) {
    const named = e.source === undefined || s.alias === e.source || s.step.qualifiers.includes(e.source);
    if (!named) continue;
    if (s.step.keyColumns.length === 1 && s.step.keyColumns[0]!.name === e.name) return i;
    if (e.source !== undefined) return undefined;
  }
  return undefined;
}
