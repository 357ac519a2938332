/**
 * AST -> canonical SQL: one line per statement, keywords upper-case, names quoted only when
 * they must be, ending in `;`. Parsing the output gives back the same AST (locations aside);
 * the conformance test checks this for every statement of ksqlDB's test suite.
 */
import type {
  AliasedRelation,
  Property,
  Query,
  Relation,
  SelectItem,
  SortItem,
  Statement,
  TableElement,
  WindowExpression,
  WithinExpression,
} from './ast.js';
import {
  formatCaseKeptName,
  formatDuration,
  formatExpression,
  formatType,
  formatValueExpression,
} from './format-expression.js';
import { formatIdentifier, formatPropertyName, formatString } from './format-names.js';
import { assertNever } from './visitor.js';

export { formatExpression, formatType } from './format-expression.js';

/** The statement as canonical SQL, with its terminating `;`. */
export function formatStatement(statement: Statement): string {
  return `${formatStatementBody(statement)};`;
}

function formatStatementBody(s: Statement): string {
  switch (s.kind) {
    case 'Query':
      return formatQuery(s);
    case 'CreateStream':
    case 'CreateTable': {
      const head = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.isSource ? 'SOURCE ' : ''}${s.kind === 'CreateStream' ? 'STREAM' : 'TABLE'}`;
      const elements = s.elements.length === 0 ? '' : ` (${s.elements.map(formatTableElement).join(', ')})`;
      return `${head} ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)}${elements}${formatWith(s.properties)}`;
    }
    case 'CreateStreamAsSelect':
    case 'CreateTableAsSelect': {
      const head = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.kind === 'CreateStreamAsSelect' ? 'STREAM' : 'TABLE'}`;
      return `${head} ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)}${formatWith(s.properties)} AS ${formatQuery(s.query)}`;
    }
    case 'InsertInto':
      return `INSERT INTO ${formatIdentifier(s.target)}${formatWith(s.properties)} ${formatQuery(s.query)}`;
    case 'InsertValues': {
      const columns = s.columns.length === 0 ? '' : ` (${s.columns.map(formatIdentifier).join(', ')})`;
      return `INSERT INTO ${formatIdentifier(s.target)}${columns} VALUES (${s.values.map(formatValueExpression).join(', ')})`;
    }
    case 'DropStream':
    case 'DropTable':
      return `DROP ${s.kind === 'DropStream' ? 'STREAM' : 'TABLE'} ${s.ifExists ? 'IF EXISTS ' : ''}${formatIdentifier(s.name)}${s.deleteTopic ? ' DELETE TOPIC' : ''}`;
    case 'DropType':
    case 'DropConnector':
      return `DROP ${s.kind === 'DropType' ? 'TYPE' : 'CONNECTOR'} ${s.ifExists ? 'IF EXISTS ' : ''}${formatIdentifier(s.name)}`;
    case 'TerminateQuery':
    case 'PauseQuery':
    case 'ResumeQuery': {
      const verb = s.kind === 'TerminateQuery' ? 'TERMINATE' : s.kind === 'PauseQuery' ? 'PAUSE' : 'RESUME';
      return `${verb} ${s.queryId === undefined ? 'ALL' : formatIdentifier(s.queryId)}`;
    }
    case 'ListStreams':
      return `SHOW STREAMS${s.extended ? ' EXTENDED' : ''}`;
    case 'ListTables':
      return `SHOW TABLES${s.extended ? ' EXTENDED' : ''}`;
    case 'ListTopics':
      return `SHOW ${s.all ? 'ALL ' : ''}TOPICS${s.extended ? ' EXTENDED' : ''}`;
    case 'ListQueries':
      return `SHOW QUERIES${s.extended ? ' EXTENDED' : ''}`;
    case 'ListProperties':
      return 'SHOW PROPERTIES';
    case 'ListFunctions':
      return 'SHOW FUNCTIONS';
    case 'ListTypes':
      return 'SHOW TYPES';
    case 'ListVariables':
      return 'SHOW VARIABLES';
    case 'ListConnectors':
      return `SHOW ${s.scope === 'ALL' ? '' : `${s.scope} `}CONNECTORS`;
    case 'ListConnectorPlugins':
      return 'SHOW CONNECTOR PLUGINS';
    case 'DescribeSource':
      return `DESCRIBE ${formatIdentifier(s.name)}${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeStreams':
      return `DESCRIBE STREAMS${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeTables':
      return `DESCRIBE TABLES${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeFunction':
      return `DESCRIBE FUNCTION ${formatCaseKeptName(s.name)}`;
    case 'DescribeConnector':
      return `DESCRIBE CONNECTOR ${formatIdentifier(s.name)}`;
    case 'Explain':
      return `EXPLAIN ${s.statement === undefined ? formatIdentifier(s.queryId ?? '') : formatStatementBody(s.statement)}`;
    case 'PrintTopic': {
      const topic = /^[A-Za-z_][A-Za-z0-9_@]*$/.test(s.topic)
        ? formatCaseKeptName(s.topic)
        : formatString(s.topic);
      return `PRINT ${topic}${s.fromBeginning ? ' FROM BEGINNING' : ''}${s.interval === undefined ? '' : ` INTERVAL ${s.interval}`}${s.limit === undefined ? '' : ` LIMIT ${s.limit}`}`;
    }
    case 'SetProperty':
      return `SET ${formatString(s.name)}=${formatString(s.value)}`;
    case 'UnsetProperty':
      return `UNSET ${formatString(s.name)}`;
    case 'AlterSystemProperty':
      return `ALTER SYSTEM ${formatString(s.name)}=${formatString(s.value)}`;
    case 'DefineVariable':
      return `DEFINE ${formatCaseKeptName(s.name)} = ${formatString(s.value)}`;
    case 'UndefineVariable':
      return `UNDEFINE ${formatCaseKeptName(s.name)}`;
    case 'RunScript':
      return `RUN SCRIPT ${formatString(s.path)}`;
    case 'RegisterType':
      return `CREATE TYPE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)} AS ${formatType(s.type)}`;
    case 'AlterSource':
      return `ALTER ${s.sourceType} ${formatIdentifier(s.name)} ${s.columns.map((c) => `ADD COLUMN ${formatIdentifier(c.name)} ${formatType(c.type)}`).join(', ')}`;
    case 'AssertTopic':
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}TOPIC ${formatResourceName(s.topic)}${formatWith(s.properties)}${s.timeout === undefined ? '' : ` TIMEOUT ${formatDuration(s.timeout)}`}`;
    case 'AssertSchema':
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}SCHEMA${s.subject === undefined ? '' : ` SUBJECT ${formatResourceName(s.subject)}`}${s.id === undefined ? '' : ` ID ${formatExpression(s.id)}`}${s.timeout === undefined ? '' : ` TIMEOUT ${formatDuration(s.timeout)}`}`;
    case 'CreateConnector':
      return `CREATE ${s.type} CONNECTOR ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatIdentifier(s.name)}${formatWith(s.properties)}`;
    case 'AssertValues':
    case 'AssertTombstone': {
      const columns = s.columns.length === 0 ? '' : ` (${s.columns.map(formatIdentifier).join(', ')})`;
      const values = s.kind === 'AssertValues' ? s.values : s.keyValues;
      const head = s.kind === 'AssertValues' ? 'ASSERT VALUES' : 'ASSERT NULL VALUES';
      return `${head} ${formatIdentifier(s.target)}${columns} ${s.kind === 'AssertValues' ? 'VALUES' : 'KEY'} (${values.map(formatValueExpression).join(', ')})`;
    }
    case 'AssertStream':
    case 'AssertTable': {
      const elements = s.elements.length === 0 ? '' : ` (${s.elements.map(formatTableElement).join(', ')})`;
      return `ASSERT ${s.kind === 'AssertStream' ? 'STREAM' : 'TABLE'} ${formatIdentifier(s.name)}${elements}${formatWith(s.properties)}`;
    }
    default:
      return assertNever(s);
  }
}

/** A topic or subject name, kept as written: bare when it reads back the same, else a string. */
function formatResourceName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_@]*$/.test(name) ? formatCaseKeptName(name) : formatString(name);
}

function formatWith(properties: readonly Property[]): string {
  if (properties.length === 0) return '';
  return ` WITH (${properties.map((p) => `${formatPropertyName(p.name)}=${formatExpression(p.value)}`).join(', ')})`;
}

function formatTableElement(e: TableElement): string {
  const constraint =
    e.constraint === 'NONE'
      ? ''
      : e.constraint === 'HEADER'
        ? ` HEADER(${formatString(e.headerKey ?? '')})`
        : ` ${e.constraint}`;
  return `${formatIdentifier(e.name)} ${formatType(e.type)}${constraint}`;
}

/** A SELECT as canonical SQL (no `;`). */
export function formatQuery(q: Query): string {
  const parts = [`SELECT ${q.select.map(formatSelectItem).join(', ')}`, `FROM ${formatRelation(q.from)}`];
  if (q.window !== undefined) parts.push(`WINDOW ${formatWindow(q.window)}`);
  if (q.where !== undefined) parts.push(`WHERE ${formatExpression(q.where)}`);
  if (q.groupBy !== undefined) parts.push(`GROUP BY ${formatGrouping(q.groupBy)}`);
  if (q.partitionBy !== undefined) parts.push(`PARTITION BY ${formatGrouping(q.partitionBy)}`);
  if (q.having !== undefined) parts.push(`HAVING ${formatExpression(q.having)}`);
  if (q.orderBy !== undefined) parts.push(`ORDER BY ${q.orderBy.items.map(formatSortItem).join(', ')}`);
  if (q.emit !== undefined) parts.push(`EMIT ${q.emit}`);
  if (q.limit !== undefined) parts.push(`LIMIT ${q.limit}`);
  return parts.join(' ');
}

function formatSortItem(item: SortItem): string {
  const ordering = item.ordering === undefined ? '' : ` ${item.ordering}`;
  const nulls = item.nulls === undefined ? '' : ` NULLS ${item.nulls}`;
  return `${formatExpression(item.expression)}${ordering}${nulls}`;
}

function formatGrouping(list: readonly import('./ast.js').Expression[]): string {
  return list.length === 0 ? '()' : list.map(formatValueExpression).join(', ');
}

function formatSelectItem(item: SelectItem): string {
  switch (item.kind) {
    case 'AllColumns':
      return item.source === undefined ? '*' : `${formatIdentifier(item.source)}.*`;
    case 'AllStructFields': {
      const base = formatValueExpression(item.base);
      const needsParens =
        item.base.kind !== 'ColumnRef' &&
        item.base.kind !== 'Dereference' &&
        item.base.kind !== 'Subscript' &&
        item.base.kind !== 'FunctionCall';
      return `${needsParens ? `(${formatExpression(item.base)})` : base}->*`;
    }
    case 'SingleColumn':
      return `${formatExpression(item.expression)}${item.alias === undefined ? '' : ` AS ${formatIdentifier(item.alias)}`}`;
    default:
      return assertNever(item);
  }
}

function formatAliased(r: AliasedRelation): string {
  return `${formatIdentifier(r.name)}${r.alias === undefined ? '' : ` ${formatIdentifier(r.alias)}`}`;
}

function formatRelation(r: Relation): string {
  if (r.kind === 'AliasedRelation') return formatAliased(r);
  const joins = r.joins.map((j) => {
    const type = j.type === 'INNER' ? 'INNER' : j.type === 'FULL' ? 'FULL OUTER' : j.type;
    const within = j.within === undefined ? '' : ` WITHIN ${formatWithin(j.within)}`;
    return `${type} JOIN ${formatAliased(j.relation)}${within} ON ${formatExpression(j.on)}`;
  });
  return `${formatAliased(r.left)} ${joins.join(' ')}`;
}

function formatWithin(w: WithinExpression): string {
  const size =
    w.after === undefined
      ? formatDuration(w.before)
      : `(${formatDuration(w.before)}, ${formatDuration(w.after)})`;
  return `${size}${w.grace === undefined ? '' : ` GRACE PERIOD ${formatDuration(w.grace)}`}`;
}

function formatWindow(w: WindowExpression): string {
  const options = [
    ...(w.retention === undefined ? [] : [`RETENTION ${formatDuration(w.retention)}`]),
    ...(w.grace === undefined ? [] : [`GRACE PERIOD ${formatDuration(w.grace)}`]),
  ];
  const name = w.name === undefined ? '' : `${w.name} `;
  switch (w.kind) {
    case 'TumblingWindow':
      return `${name}TUMBLING (${[`SIZE ${formatDuration(w.size)}`, ...options].join(', ')})`;
    case 'HoppingWindow':
      return `${name}HOPPING (${[`SIZE ${formatDuration(w.size)}`, `ADVANCE BY ${formatDuration(w.advance)}`, ...options].join(', ')})`;
    case 'SessionWindow':
      return `${name}SESSION (${[formatDuration(w.gap), ...options].join(', ')})`;
    default:
      return assertNever(w);
  }
}
