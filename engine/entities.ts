/**
 * What each statement returns: ksqlDB's REST entities (`@type` plus fields), built from the
 * catalog. The REST server sends them as they are; the REPL renders them.
 */
import type { DataSource } from './catalog/data-source.js';
import type { MetaStore, QueryInfo } from './catalog/metastore.js';
import { schemaInfo } from './catalog/schema-info.js';
import type { SqlType } from './catalog/types.js';
import type { FunctionInfo } from './expr/functions/function-types.js';

export interface KsqlEntity {
  readonly '@type': string;
  readonly statementText: string;
  readonly warnings: readonly { readonly message: string }[];
  readonly [field: string]: unknown;
}

function entity(type: string, statementText: string, fields: Record<string, unknown>): KsqlEntity {
  return { '@type': type, statementText, ...fields, warnings: [] };
}

export function currentStatus(
  statementText: string,
  commandId: string,
  message: string,
  queryId?: string,
  commandSequenceNumber = -1,
): KsqlEntity {
  const commandStatus =
    queryId === undefined ? { status: 'SUCCESS', message } : { status: 'SUCCESS', message, queryId };
  return entity('currentStatus', statementText, { commandId, commandStatus, commandSequenceNumber });
}

export function warningEntity(statementText: string, message: string): KsqlEntity {
  return entity('warning_entity', statementText, { message });
}

function sourceSummary(s: DataSource) {
  return {
    type: s.kind,
    name: s.name,
    topic: s.topic,
    keyFormat: s.keyFormat.format,
    valueFormat: s.valueFormat.format,
    isWindowed: s.keyFormat.window !== undefined,
  };
}

export function sourceList(
  statementText: string,
  kind: 'STREAM' | 'TABLE',
  metastore: MetaStore,
): KsqlEntity {
  const sources = metastore
    .allSources()
    .filter((s) => s.kind === kind)
    .map(sourceSummary);
  return kind === 'STREAM'
    ? entity('streams', statementText, { streams: sources })
    : entity('tables', statementText, { tables: sources });
}

export function topicList(
  statementText: string,
  topics: readonly { name: string; partitions: number }[],
): KsqlEntity {
  return entity('kafka_topics', statementText, {
    topics: topics.map((t) => ({ name: t.name, replicaInfo: Array.from({ length: t.partitions }, () => 1) })),
  });
}

export function queryList(
  statementText: string,
  queries: readonly (QueryInfo & { state: string; sinkTopic: string })[],
): KsqlEntity {
  return entity('queries', statementText, {
    queries: queries.map((q) => ({
      queryString: q.sqlText,
      sinks: [q.sink],
      sinkKafkaTopics: [q.sinkTopic],
      id: q.id,
      statusCount: { [q.state]: 1 },
      queryType: 'PERSISTENT',
      state: q.state,
    })),
  });
}

export function propertyList(
  statementText: string,
  properties: Readonly<Record<string, string>>,
  overridden: readonly string[],
): KsqlEntity {
  return entity('properties', statementText, {
    properties: Object.entries(properties).map(([name, value]) => ({
      name,
      scope: 'KSQL',
      value,
      editable: true,
      level: overridden.includes(name) ? 'SESSION' : 'SERVER',
    })),
    overwrittenProperties: overridden,
    defaultProperties: [],
  });
}

export function functionList(statementText: string, functions: readonly FunctionInfo[]): KsqlEntity {
  return entity('function_names', statementText, {
    functions: functions.map((f) => ({ name: f.name, type: f.kind, category: f.category })),
  });
}

export function functionDescription(statementText: string, f: FunctionInfo): KsqlEntity {
  return entity('describe_function', statementText, {
    name: f.name,
    description: f.description,
    author: 'Sluice',
    version: '',
    path: 'internal',
    type: f.kind,
    functions: f.signatures.map((s) => ({
      arguments: s.arguments.map((a, i) => ({
        name: a.name,
        type: a.type,
        description: a.description ?? '',
        isVariadic: s.variadic && i === s.arguments.length - 1,
      })),
      returnType: s.returnType,
      description: s.description,
    })),
  });
}

export function typeList(statementText: string, types: ReadonlyMap<string, SqlType>): KsqlEntity {
  return entity('type_list', statementText, {
    types: Object.fromEntries([...types].map(([name, type]) => [name, schemaInfo(type)])),
  });
}

export function variableList(statementText: string, variables: ReadonlyMap<string, string>): KsqlEntity {
  return entity('variables', statementText, {
    variables: [...variables].map(([name, value]) => ({ name, value })),
  });
}

/** DESCRIBE: the source's columns with ksqlDB's schema JSON, formats, topic and queries. */
export function sourceDescription(
  source: DataSource,
  metastore: MetaStore,
  partitions: number,
  extended: boolean,
): Record<string, unknown> {
  const fields = source.schema.columns.map((c) => {
    const field: Record<string, unknown> = { name: c.name, schema: schemaInfo(c.type) };
    if (c.namespace === 'KEY') field.type = 'KEY';
    if (c.namespace === 'HEADERS') {
      field.type = 'HEADER';
      if (c.headerKey !== undefined) field.headerKey = c.headerKey;
    }
    return field;
  });
  const queryRef = (q: QueryInfo) => ({ queryString: q.sqlText, sinks: [q.sink], id: q.id });
  return {
    name: source.name,
    windowType: source.keyFormat.window?.type ?? null,
    readQueries: metastore.readersOf(source.name).map(queryRef),
    writeQueries: metastore.writersOf(source.name).map(queryRef),
    fields,
    type: source.kind,
    timestamp: source.timestamp?.column ?? '',
    statistics: '',
    errorStats: '',
    extended,
    keyFormat: source.keyFormat.format,
    valueFormat: source.valueFormat.format,
    topic: source.topic,
    partitions,
    replication: 1,
    statement: source.sqlText,
    queryOffsetSummaries: [],
    sourceConstraints: [],
    clusterStatistics: [],
    clusterErrorStats: [],
  };
}

export function describeSourceEntity(
  statementText: string,
  description: Record<string, unknown>,
): KsqlEntity {
  return entity('sourceDescription', statementText, { sourceDescription: description });
}

export function describeSourcesEntity(
  statementText: string,
  descriptions: readonly Record<string, unknown>[],
): KsqlEntity {
  return entity('source_descriptions', statementText, { sourceDescriptions: descriptions });
}

export function executionPlanEntity(statementText: string, plan: string): KsqlEntity {
  return entity('executionPlan', statementText, { executionPlan: plan });
}
