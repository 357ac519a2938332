/**
 * CREATE STREAM AS SELECT and INSERT INTO ... SELECT: the sink a stateless stream query
 * writes, and the plan that writes it.
 */
import type { CreateStreamAsSelect, CreateTableAsSelect, InsertInto } from '../../parser/ast.js';
import { type AnalyzedStreamQuery, analyzeStreamQuery } from '../analyzer/stream-query-planner.js';
import type { DataSource, FormatInfo, KeyFormatInfo } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { LogicalSchema } from '../catalog/schema.js';
import { ConfigKeys, type EngineConfig } from '../config.js';
import { StatementError } from '../errors.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import { timestampColumn } from './create-source.js';
import { checkFormatName, validateFormats, withWrapping } from './source-formats.js';
import { WithProperties } from './with-properties.js';

export interface PlannedPersistentQuery {
  readonly plan: StreamPipelinePlan;
  /** The sink as the catalog will hold it (new for CSAS, the existing target for INSERT INTO). */
  readonly sink: DataSource;
  readonly partitions: number | undefined;
  readonly replicas: number | undefined;
}

/**
 * CREATE STREAM AS SELECT, and CREATE TABLE AS SELECT over a table without aggregation (a
 * table projected and filtered row by row keeps the table's key).
 */
export function planCreateStreamAsSelect(
  statement: CreateStreamAsSelect | CreateTableAsSelect,
  sqlText: string,
  queryId: string,
  metastore: MetaStore,
  registry: FunctionRegistry,
  config: EngineConfig,
): PlannedPersistentQuery {
  const props = new WithProperties(statement.properties, 'CREATE_AS');
  const analyzed = analyzeStreamQuery(statement.query, metastore, registry, statement.name);
  const sinkKind = statement.kind === 'CreateTableAsSelect' ? 'TABLE' : 'STREAM';
  if (sinkKind === 'STREAM' && analyzed.aggregate !== undefined) {
    throw new StatementError(
      'Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.',
    );
  }
  if (sinkKind === 'TABLE' && analyzed.source.kind !== 'TABLE' && analyzed.aggregate === undefined) {
    throw new StatementError(
      'Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.',
    );
  }
  if (sinkKind === 'TABLE' && analyzed.source.keyFormat.window !== undefined) {
    throw new StatementError('KSQL does not support persistent queries on windowed tables.');
  }
  if (sinkKind === 'STREAM' && analyzed.source.kind === 'TABLE') {
    throw new StatementError(
      `Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.`,
    );
  }
  if (sinkKind === 'TABLE' && !analyzed.keyed) {
    const keys = analyzed.sourceStep.keyColumns.map((c) => c.name);
    throw new StatementError(
      `The query used to build \`${statement.name}\` must include the key column${keys.length > 1 ? 's' : ''} ${keys.join(' and ')} in its projection (eg, SELECT ${keys.join(', ')}...).`,
    );
  }
  const schema = LogicalSchema.of([
    ...analyzed.project.key.map((k) => ({ ...k.column, namespace: 'KEY' as const })),
    ...analyzed.project.value.map((v) => ({ ...v.column, namespace: 'VALUE' as const })),
  ]);
  const keyFormat = sinkKeyFormat(props, analyzed, config);
  const valueFormat = sinkValueFormat(props, analyzed, config);
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
  return { plan: planOf(queryId, analyzed, sink), sink, ...sinkTopicSize(props, config) };
}

/**
 * The sink of a CREATE ... AS SELECT (plain or join): its formats checked against its schema,
 * its topic (KAFKA_TOPIC, else the output prefix and the name) and TIMESTAMP column.
 */
export function sinkSource(
  statement: CreateStreamAsSelect | CreateTableAsSelect,
  sinkKind: 'STREAM' | 'TABLE',
  schema: LogicalSchema,
  keyFormat: DataSource['keyFormat'],
  valueFormat: DataSource['valueFormat'],
  props: WithProperties,
  config: EngineConfig,
  sqlText: string,
  queryId: string,
): DataSource {
  validateFormats(schema, keyFormat, valueFormat);
  const topic =
    props.string('KAFKA_TOPIC') ?? `${config.get(ConfigKeys.OUTPUT_TOPIC_PREFIX) ?? ''}${statement.name}`;
  const timestamp = timestampColumn(props, schema);
  return {
    kind: sinkKind,
    name: statement.name,
    schema,
    topic,
    keyFormat,
    valueFormat,
    isSource: false,
    sqlText,
    createdByQuery: queryId,
    ...(timestamp === undefined ? {} : { timestamp }),
  };
}

/** The partitions and replicas of a sink topic Sluice creates: WITH, else the configuration. */
export function sinkTopicSize(
  props: WithProperties,
  config: EngineConfig,
): { partitions: number | undefined; replicas: number | undefined } {
  return {
    partitions: props.integer('PARTITIONS') ?? config.integer(ConfigKeys.SINK_PARTITIONS),
    replicas: props.integer('REPLICAS') ?? config.integer(ConfigKeys.SINK_REPLICAS),
  };
}

export function planInsertInto(
  statement: InsertInto,
  queryId: string,
  metastore: MetaStore,
  registry: FunctionRegistry,
): PlannedPersistentQuery {
  new WithProperties(statement.properties, 'INSERT_INTO');
  const target = metastore.source(statement.target);
  if (target === undefined) {
    const at = statement.targetLocation;
    const where = at === undefined ? '' : `Line: ${at.line}, Col: ${at.column}: `;
    throw new StatementError(`${where}Source \`${statement.target}\` does not exist.`);
  }
  if (target.kind === 'TABLE') {
    throw new StatementError(
      `INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`,
    );
  }
  if (target.isSource) throw new StatementError(`Cannot insert into read-only stream: ${target.name}`);
  if (target.schema.headers.length > 0) {
    throw new StatementError(`Cannot insert into ${target.name} because it has header columns`);
  }
  const analyzed = analyzeStreamQuery(statement.query, metastore, registry, target.name);
  const result = LogicalSchema.of([
    ...analyzed.project.key.map((k) => ({ ...k.column, namespace: 'KEY' as const })),
    ...analyzed.project.value.map((v) => ({ ...v.column, namespace: 'VALUE' as const })),
  ]);
  const sinkSchema = LogicalSchema.of(target.schema.columns.filter((c) => c.namespace !== 'HEADERS'));
  if (!result.equals(sinkSchema)) {
    throw new StatementError(
      `Incompatible schema between results and sink.\nResult schema is ${result.format()}\nSink schema is ${target.schema.format()}`,
    );
  }
  return {
    plan: planOf(queryId, analyzed, target),
    sink: target,
    partitions: undefined,
    replicas: undefined,
  };
}

function planOf(queryId: string, analyzed: AnalyzedStreamQuery, sink: DataSource): StreamPipelinePlan {
  return {
    kind: 'StreamPipeline',
    queryId,
    source: analyzed.sourceStep,
    steps: analyzed.steps,
    ...(analyzed.aggregate === undefined ? {} : { aggregate: analyzed.aggregate }),
    project:
      sink.timestamp === undefined ? analyzed.project : { ...analyzed.project, timestamp: sink.timestamp },
    sink: {
      kind: 'Sink',
      sinkName: sink.name,
      topic: sink.topic,
      keyFormat: sink.keyFormat,
      valueFormat: sink.valueFormat,
    },
  };
}

export function sinkKeyFormat(
  props: WithProperties,
  analyzed: Pick<AnalyzedStreamQuery, 'keyed' | 'source' | 'rekeyed' | 'aggregate'>,
  config: EngineConfig,
): KeyFormatInfo {
  const explicit = props.keyFormat();
  if (explicit !== undefined) checkFormatName(explicit);
  if (!analyzed.keyed) {
    if (explicit !== undefined && explicit !== 'NONE') {
      throw new StatementError('Key format specified for stream without key columns.');
    }
    return { format: 'NONE' };
  }
  const inherited = analyzed.source.keyFormat;
  const window = analyzed.aggregate?.window;
  if (window !== undefined) {
    const format =
      explicit ??
      (inherited.format === 'NONE'
        ? (config.get(ConfigKeys.DEFAULT_KEY_FORMAT)?.toUpperCase() ?? 'KAFKA')
        : inherited.format);
    const delimiter =
      props.string('KEY_DELIMITER') ?? (explicit === undefined ? inherited.delimiter : undefined);
    return {
      format,
      ...(delimiter === undefined ? {} : { delimiter }),
      window: window.type === 'SESSION' ? { type: 'SESSION' } : { type: window.type, sizeMs: window.sizeMs },
    };
  }
  if (inherited.window !== undefined && !analyzed.rekeyed) {
    return { ...inherited, format: explicit ?? inherited.format };
  }
  // A keyless source's NONE is not inherited by a keyed output; an explicit NONE stays, to fail validation.
  const format =
    explicit ??
    (inherited.format === 'NONE'
      ? (config.get(ConfigKeys.DEFAULT_KEY_FORMAT)?.toUpperCase() ?? 'KAFKA')
      : inherited.format);
  const delimiter =
    props.string('KEY_DELIMITER') ?? (explicit === undefined ? inherited.delimiter : undefined);
  return delimiter === undefined ? { format } : { format, delimiter };
}

export function sinkValueFormat(
  props: WithProperties,
  analyzed: Pick<AnalyzedStreamQuery, 'source'>,
  config: EngineConfig,
): FormatInfo {
  const explicit = props.valueFormat();
  const inherited = analyzed.source.valueFormat;
  const format = explicit ?? inherited.format;
  const delimiter =
    props.string('VALUE_DELIMITER') ?? (explicit === undefined ? inherited.delimiter : undefined);
  return withWrapping({ format, ...(delimiter === undefined ? {} : { delimiter }) }, props, config);
}
