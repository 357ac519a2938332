/**
 * Entities as the ksql CLI prints them: boxed-less column tables (` A | B ` over a dashed
 * rule), DESCRIBE's `Name :` header over a Field/Type table, errors as their message. In
 * JSON mode the raw entities, pretty-printed. Every function returns text ending in `\n`.
 */
import type { Entity, ErrorEntity } from './http-client.js';

export type OutputFormat = 'TABULAR' | 'JSON';

/** ` A | B ` lines under a header, framed by dashed rules, trailing spaces trimmed. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    ` ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} `.trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w + 3, 0) - 1);
  return [line(headers), rule, ...rows.map(line), rule].join('\n') + '\n';
}

function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function list(entity: Entity, field: string): readonly Record<string, unknown>[] {
  const value = entity[field];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

interface FieldSchema {
  readonly type?: string;
  readonly fields?: readonly { name?: string; schema?: FieldSchema }[] | null;
  readonly memberSchema?: FieldSchema | null;
  readonly parameters?: Readonly<Record<string, unknown>> | null;
}

/** A DESCRIBE field schema as the CLI writes it: `VARCHAR(STRING)`, `ARRAY<INTEGER>`, … */
export function schemaText(schema: FieldSchema | undefined): string {
  const type = schema?.type ?? '';
  switch (type) {
    case 'STRING':
      return 'VARCHAR(STRING)';
    case 'ARRAY':
      return `ARRAY<${schemaText(schema?.memberSchema ?? undefined)}>`;
    case 'MAP':
      return `MAP<STRING, ${schemaText(schema?.memberSchema ?? undefined)}>`;
    case 'STRUCT':
      return `STRUCT<${(schema?.fields ?? []).map((f) => `${f.name ?? ''} ${schemaText(f.schema)}`).join(', ')}>`;
    case 'DECIMAL': {
      const p = schema?.parameters;
      return p ? `DECIMAL(${str(p.precision)}, ${str(p.scale)})` : 'DECIMAL';
    }
    default:
      return type;
  }
}

function statusMessage(entity: Entity): string {
  const status = entity.commandStatus as { message?: unknown } | undefined;
  return str(status?.message);
}

function sourceDescription(entity: Entity): string {
  const d = (entity.sourceDescription ?? {}) as Record<string, unknown>;
  const fields = Array.isArray(d.fields)
    ? (d.fields as { name?: string; schema?: FieldSchema; type?: string }[])
    : [];
  const rows = fields.map((f) => {
    const suffix = f.type === 'KEY' ? '  (key)' : f.type === 'HEADER' ? '  (header)' : '';
    return [f.name ?? '', `${schemaText(f.schema)}${suffix}`];
  });
  return (
    `\n${'Name'.padEnd(21)}: ${str(d.name)}\n` +
    table(['Field', 'Type'], rows) +
    'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n'
  );
}

function queries(entity: Entity): string {
  const rows = list(entity, 'queries').map((q) => {
    const counts = (q.statusCount ?? {}) as Record<string, unknown>;
    const status =
      Object.entries(counts)
        .map(([state, n]) => `${state}:${str(n)}`)
        .join(',') || str(q.state);
    return [
      str(q.id),
      str(q.queryType),
      status,
      Array.isArray(q.sinks) ? q.sinks.map(str).join(',') : '',
      Array.isArray(q.sinkKafkaTopics) ? q.sinkKafkaTopics.map(str).join(',') : '',
      str(q.queryString),
    ];
  });
  return (
    table(['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'], rows) +
    'For detailed information on a Query run: EXPLAIN <Query ID>;\n'
  );
}

function sources(entity: Entity, field: 'streams' | 'tables', title: string): string {
  const rows = list(entity, field).map((s) => [
    str(s.name),
    str(s.topic),
    str(s.keyFormat),
    str(s.valueFormat),
    str(s.isWindowed),
  ]);
  return table([title, 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], rows);
}

/** One entity in the CLI's tabular form. Kinds the shell does not know yet print as JSON. */
export function renderEntity(entity: Entity): string {
  switch (entity['@type']) {
    case 'currentStatus':
      return table(['Message'], [[statusMessage(entity)]]);
    case 'streams':
      return sources(entity, 'streams', 'Stream Name');
    case 'tables':
      return sources(entity, 'tables', 'Table Name');
    case 'queries':
      return queries(entity);
    case 'kafka_topics':
      return table(
        ['Kafka Topic', 'Partitions', 'Partition Replicas'],
        list(entity, 'topics').map((t) => {
          const replicas = Array.isArray(t.replicaInfo) ? t.replicaInfo : [];
          return [str(t.name), String(replicas.length), replicas.map(str).join(' ')];
        }),
      );
    case 'function_names':
      return (
        table(
          ['Function Name', 'Category'],
          list(entity, 'functions').map((f) => [str(f.name), str(f.category)]),
        ) + 'For detailed information on a function run: DESCRIBE FUNCTION <Function Name>;\n'
      );
    case 'properties':
      return table(
        ['Property', 'Scope', 'Level', 'Value'],
        list(entity, 'properties').map((p) => [str(p.name), str(p.scope), str(p.level), str(p.value)]),
      );
    case 'variables':
      return table(
        ['Variable Name', 'Value'],
        list(entity, 'variables').map((v) => [str(v.name), str(v.value)]),
      );
    case 'sourceDescription':
      return sourceDescription(entity);
    case 'warning_entity':
      return `${str(entity.message)}\n`;
    case 'statement_error':
    case 'generic_error':
      return `${str(entity.message)}\n`;
    default:
      return `${JSON.stringify(entity, null, 2)}\n`;
  }
}

export function renderEntities(entities: readonly Entity[], format: OutputFormat): string {
  if (format === 'JSON') return `${JSON.stringify(entities, null, 2)}\n`;
  return entities.map(renderEntity).join('');
}

export function renderError(error: ErrorEntity, format: OutputFormat): string {
  if (format === 'JSON') return `${JSON.stringify(error, null, 2)}\n`;
  return `${error.message}\n`;
}

/** A push query's rows as the CLI prints them: `|`-separated cells of at least the header's width. */
export class RowPrinter {
  private readonly widths: readonly number[];

  constructor(readonly columnNames: readonly string[]) {
    this.widths = columnNames.map((n) => Math.max(n.length, 10));
  }

  private rule(): string {
    return `+${this.widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  }

  private line(cells: readonly string[]): string {
    return `|${this.widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join('|')}|\n`;
  }

  header(): string {
    return this.rule() + this.line(this.columnNames) + this.rule();
  }

  row(values: readonly unknown[]): string {
    return this.line(values.map((v) => (v === null ? 'null' : str(v))));
  }
}
