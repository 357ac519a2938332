/**
 * CREATE TABLE AS SELECT ... FROM a JOIN b ... GROUP BY: a join whose rows are aggregated.
 *
 * As in ksqlDB, the query runs in two parts joined by an internal topic,
 * `_confluent-ksql-<service id>query_<query id>-Aggregate-GroupBy-repartition`:
 * - the join (with WHERE) writes each joined row there, keyed by the grouping expressions
 *   (JSON key) so every row of a group lands in one partition; the value (JSON) is the joined
 *   row, each column named as ksqlDB names a join's columns (`<alias>_<column>`, e.g. `I1_BAR`);
 * - the aggregation reads that topic as a keyless stream of those columns, with the query's
 *   SELECT, GROUP BY, WINDOW and HAVING rewritten to the flat names, and writes the sink.
 */
import type { ColumnRef, CreateTableAsSelect, Expression, Query, SelectItem } from '../../parser/ast.js';
import { planAggregate } from '../analyzer/aggregate-planner.js';
import { analyzeJoinQuery } from '../analyzer/join-planner.js';
import { sourceStepFor } from '../analyzer/stream-query-planner.js';
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { LogicalSchema } from '../catalog/schema.js';
import type { EngineConfig } from '../config.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import { rewriteExpression } from '../expr/expression-walk.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import { ColumnScope } from '../plan/column-scope.js';
import type { JoinPipelinePlan } from '../plan/join-plan.js';
import { JOIN_KEY_SLOT, JoinScope } from '../plan/join-scope.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import { sinkKeyFormat, sinkSource, sinkTopicSize, sinkValueFormat } from './create-as-select.js';
import { internalTopics, joinPlanOf, type PlannedJoinQuery } from './create-join-as-select.js';
import { WithProperties } from './with-properties.js';

/** The internal topic between a join and its aggregation, as ksqlDB names it. */
export function groupByTopicName(serviceId: string, queryId: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-Aggregate-GroupBy-repartition`;
}

export function planJoinAggregate(
  statement: CreateTableAsSelect,
  sqlText: string,
  queryId: string,
  metastore: MetaStore,
  registry: FunctionRegistry,
  config: EngineConfig,
): PlannedJoinQuery {
  const props = new WithProperties(statement.properties, 'CREATE_AS');
  const query = statement.query;
  const groupBy = query.groupBy ?? [];
  const analyzed = analyzeJoinQuery(query, metastore, registry, statement.name, { aggregate: true });
  if (analyzed.resultKind !== 'STREAM') {
    throw new UnsupportedStatementError(
      'aggregation over table joins',
      'GROUP BY over a table-table join is not supported yet.',
    );
  }
  const keyType = analyzed.columns[analyzed.columns.length - 1]!.type;
  const scope = new JoinScope(analyzed.sources, keyType, analyzed.syntheticKey?.name);
  const flat = analyzed.columns.filter((c) => c.name !== JOIN_KEY_SLOT);
  const internal = internalTopics(config);
  const topic = groupByTopicName(internal.serviceId, queryId);

  // The joined rows as the aggregation sees them: a keyless stream of the flat columns.
  const joined: DataSource = {
    kind: 'STREAM',
    name: `${statement.name}_JOINED`,
    schema: LogicalSchema.of(flat.map((c) => ({ ...c, namespace: 'VALUE' as const }))),
    topic,
    keyFormat: { format: 'NONE' },
    valueFormat: { format: 'JSON' },
    isSource: false,
    sqlText,
  };
  const flatName = (ref: ColumnRef, clause: string): Expression => {
    const resolved = scope.resolve(ref.source, ref.name);
    if (resolved === undefined) {
      const name = ref.source === undefined ? ref.name : `${ref.source}.${ref.name}`;
      throw new StatementError(`${clause} column '${name}' cannot be resolved.`);
    }
    const name =
      resolved.source < 0 ? ref.name : `${analyzed.sources[resolved.source]!.alias}_${resolved.name}`;
    return { kind: 'ColumnRef', name, ...(ref.location === undefined ? {} : { location: ref.location }) };
  };
  const flatten = (e: Expression, clause: string) =>
    rewriteExpression(e, (node) => (node.kind === 'ColumnRef' ? flatName(node, clause) : undefined));
  const select: SelectItem[] = query.select.map((item) => {
    if (item.kind === 'SingleColumn') return { ...item, expression: flatten(item.expression, 'SELECT') };
    if (item.kind === 'AllColumns')
      throw new UnsupportedStatementError(
        'SELECT * with GROUP BY',
        'SELECT * with GROUP BY is not supported yet.',
      );
    return { ...item, base: flatten(item.base, 'SELECT') };
  });
  const rewritten: Query = {
    kind: 'Query',
    select,
    from: { kind: 'AliasedRelation', name: joined.name },
    groupBy: groupBy.map((e) => flatten(e, 'GROUP BY')),
    ...(query.window === undefined ? {} : { window: query.window }),
    ...(query.having === undefined ? {} : { having: flatten(query.having, 'HAVING') }),
    ...(query.emit === undefined ? {} : { emit: query.emit }),
  };
  const step = sourceStepFor(joined, undefined);
  const aggregate = planAggregate(
    rewritten,
    joined,
    step,
    new ColumnScope(step.columns, step.qualifiers),
    registry,
    statement.name,
  );

  const left = analyzed.dataSources[0]!;
  const schema = LogicalSchema.of([
    ...aggregate.project.key.map((k) => ({ ...k.column, namespace: 'KEY' as const })),
    ...aggregate.project.value.map((v) => ({ ...v.column, namespace: 'VALUE' as const })),
  ]);
  const keyFormat = sinkKeyFormat(
    props,
    { keyed: true, source: left, rekeyed: true, aggregate: aggregate.step },
    config,
  );
  const valueFormat = sinkValueFormat(props, { source: left }, config);
  const sink = sinkSource(
    statement,
    'TABLE',
    schema,
    keyFormat,
    valueFormat,
    props,
    config,
    sqlText,
    queryId,
  );

  // The join part: its rows keyed by the grouping expressions, to the internal topic.
  const groupKeys = groupBy.map((e, i) => ({
    column: {
      name: `KSQL_GROUP_KEY_${i}`,
      type: compileExpression(e, scope, registry, { clause: 'GROUP BY' }).type ?? keyType,
    },
    expression: e,
  }));
  const joinPart: JoinPipelinePlan = {
    ...joinPlanOf(queryId, analyzed, undefined, internal),
    project: {
      kind: 'Project',
      key: groupKeys,
      value: flat.map((c, i) => ({ column: c, expression: columnAt(analyzed.sources, i, c.name) })),
    },
    sink: {
      kind: 'Sink',
      sinkName: joined.name,
      topic,
      keyFormat: { format: 'JSON' },
      valueFormat: { format: 'JSON' },
    },
  };
  const aggregatePart: StreamPipelinePlan = {
    kind: 'StreamPipeline',
    queryId,
    source: step,
    steps: [],
    aggregate: aggregate.step,
    project:
      sink.timestamp === undefined ? aggregate.project : { ...aggregate.project, timestamp: sink.timestamp },
    sink: {
      kind: 'Sink',
      sinkName: sink.name,
      topic: sink.topic,
      keyFormat: sink.keyFormat,
      valueFormat: sink.valueFormat,
    },
  };
  return { plan: joinPart, sink, ...sinkTopicSize(props, config), aggregate: aggregatePart };
}

/** A reference to the i-th flat column of the joined row: its source's column, or the synthetic key. */
function columnAt(sources: JoinPipelinePlan['sources'], index: number, flatName: string): Expression {
  for (const s of sources) {
    if (index >= s.offset && index < s.offset + s.step.columns.length) {
      return { kind: 'ColumnRef', source: s.alias, name: s.step.columns[index - s.offset]!.name };
    }
  }
  return { kind: 'ColumnRef', name: flatName };
}
