/**
 * Read-only SQL over materialized tables, answered by DuckDB (`sluice.query.pull.sql.enabled`):
 * pull queries ksqlDB refuses (GROUP BY, HAVING, aggregates, joins between materialized
 * tables) run over a snapshot of the tables' in-memory indexes.
 *
 * The SELECT is translated from its syntax tree: every identifier is double-quoted and every
 * literal becomes a bound parameter ($1, $2, ...); function names come from a fixed allow-list.
 * Plain key lookups and scans never come here: the pull planner serves them from the indexes.
 */

import type { AliasedRelation } from '../../parser/ast/query.js';
import type { Expression, Query, SelectItem, SortItem } from '../../parser/ast.js';
import { derivedName, SyntheticNames } from '../analyzer/select-names.js';
import { sourceStepFor } from '../analyzer/stream-query-planner.js';
import { sqlTypeFromAst } from '../catalog/ast-types.js';
import type { MetaStore } from '../catalog/metastore.js';
import { decimalType, type SqlType, SqlTypes } from '../catalog/types.js';
import { Decimal, type SqlValue } from '../catalog/values.js';
import { StatementError } from '../errors.js';
import type { PushQueryRow } from '../runtime/push-query.js';
import {
  quoteSqlIdentifier as q,
  runSqlOverSnapshot,
  type SnapshotParam,
  type SnapshotTable,
} from '../state/duckdb-sql-snapshot.js';
import { duckDBTypeSql } from '../state/duckdb-sql-values.js';
import type { MaterializedTable } from './materialized-table.js';
import type { PullColumn } from './pull-planner.js';
import type { PullQuery } from './pull-query.js';

/** ksqlDB function names and the DuckDB functions that answer them. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  COUNT: 'count',
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
  ABS: 'abs',
  ROUND: 'round',
  FLOOR: 'floor',
  CEIL: 'ceil',
  UCASE: 'upper',
  LCASE: 'lower',
  LEN: 'length',
  CONCAT: 'concat',
  COALESCE: 'coalesce',
  IFNULL: 'ifnull',
};

/** DuckDB's widest DECIMAL; a longer DECIMAL literal is bound as a DOUBLE. */
const MAX_DECIMAL_PRECISION = 38;

export interface SqlPullTranslation {
  readonly sql: string;
  readonly params: readonly SnapshotParam[];
  /** The materialized tables the query reads, by source name. */
  readonly tables: readonly string[];
}

/**
 * Whether a query is one the DuckDB path may take: no WINDOW or PARTITION BY, and every source
 * a materialized table (otherwise the pull planner's own refusal stands).
 */
export function sqlPullEligible(
  query: Query,
  metastore: MetaStore,
  isMaterialized: (name: string) => boolean,
): boolean {
  if (query.window !== undefined || query.partitionBy !== undefined) return false;
  const relations =
    query.from.kind === 'Join' ? [query.from.left, ...query.from.joins.map((j) => j.relation)] : [query.from];
  return relations.every((r) => {
    const source = metastore.source(r.name);
    return source !== undefined && source.kind === 'TABLE' && isMaterialized(source.name);
  });
}

function unsupported(what: string): never {
  throw new StatementError(`DuckDB SQL pull queries do not support ${what}.`);
}

export function translatePullSql(query: Query, metastore: MetaStore): SqlPullTranslation {
  const params: SnapshotParam[] = [];
  const bind = (value: SqlValue, type: SqlType) => {
    params.push({ value, type });
    return `$${params.length}`;
  };
  const relations: AliasedRelation[] =
    query.from.kind === 'Join' ? [query.from.left, ...query.from.joins.map((j) => j.relation)] : [query.from];
  const tables: string[] = [];
  for (const relation of relations) {
    const source = metastore.source(relation.name);
    if (source === undefined) throw new StatementError(`Source \`${relation.name}\` does not exist.`);
    if (source.kind !== 'TABLE') unsupported(`streams (\`${source.name}\`)`);
    if (!tables.includes(source.name)) tables.push(source.name);
  }

  const expr = (e: Expression): string => {
    switch (e.kind) {
      case 'NullLiteral':
        return 'NULL';
      case 'BooleanLiteral':
        return bind(e.value, SqlTypes.BOOLEAN);
      case 'StringLiteral':
        return bind(e.value, SqlTypes.STRING);
      case 'IntegerLiteral':
        return bind(e.value, SqlTypes.INTEGER);
      case 'BigIntLiteral':
        return bind(e.value, SqlTypes.BIGINT);
      case 'DoubleLiteral':
        return bind(e.value, SqlTypes.DOUBLE);
      case 'DecimalLiteral':
        return e.precision > MAX_DECIMAL_PRECISION
          ? bind(Number(e.value), SqlTypes.DOUBLE)
          : bind(new Decimal(e.value), decimalType(Math.max(e.precision, e.scale, 1), e.scale));
      case 'ColumnRef':
        return e.source === undefined ? q(e.name) : `${q(e.source)}.${q(e.name)}`;
      case 'FunctionCall': {
        const name = FUNCTIONS[e.name.toUpperCase()];
        if (name === undefined) unsupported(`the function ${e.name}`);
        if (e.star) return `${name}(*)`;
        return `${name}(${e.distinct ? 'DISTINCT ' : ''}${e.args.map(expr).join(', ')})`;
      }
      case 'ArithmeticUnary':
        return `(${e.operator}${expr(e.operand)})`;
      case 'ArithmeticBinary':
        return `(${expr(e.left)} ${e.operator} ${expr(e.right)})`;
      case 'Comparison':
        return `(${expr(e.left)} ${e.operator} ${expr(e.right)})`;
      case 'Between':
        return `(${expr(e.value)} ${e.negated ? 'NOT ' : ''}BETWEEN ${expr(e.lower)} AND ${expr(e.upper)})`;
      case 'InList':
        return `(${expr(e.value)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(expr).join(', ')}))`;
      case 'Like': {
        const escapeSql = e.escape === undefined ? '' : ` ESCAPE ${bind(e.escape, SqlTypes.STRING)}`;
        return `(${expr(e.value)} ${e.negated ? 'NOT ' : ''}LIKE ${expr(e.pattern)}${escapeSql})`;
      }
      case 'IsNull':
        return `(${expr(e.value)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
      case 'Not':
        return `(NOT ${expr(e.operand)})`;
      case 'Logical':
        return `(${expr(e.left)} ${e.operator} ${expr(e.right)})`;
      case 'SearchedCase':
        return `(CASE${e.whens.map((w) => ` WHEN ${expr(w.condition)} THEN ${expr(w.result)}`).join('')}${
          e.else === undefined ? '' : ` ELSE ${expr(e.else)}`
        } END)`;
      case 'SimpleCase':
        return `(CASE ${expr(e.operand)}${e.whens
          .map((w) => ` WHEN ${expr(w.condition)} THEN ${expr(w.result)}`)
          .join('')}${e.else === undefined ? '' : ` ELSE ${expr(e.else)}`} END)`;
      case 'Cast': {
        let target: string;
        try {
          target = duckDBTypeSql(sqlTypeFromAst(e.type, (name) => metastore.type(name)));
        } catch (err) {
          throw new StatementError((err as Error).message);
        }
        return `CAST(${expr(e.operand)} AS ${target})`;
      }
      default:
        return unsupported(`${e.kind} expressions`);
    }
  };

  const select = selectList(query.select, relations, metastore, expr);
  const from =
    query.from.kind === 'Join'
      ? [
          relationSql(query.from.left),
          ...query.from.joins.map((j) => {
            if (j.within !== undefined) unsupported('WITHIN');
            return `${j.type} JOIN ${relationSql(j.relation)} ON ${expr(j.on)}`;
          }),
        ].join(' ')
      : relationSql(query.from);
  let sql = `SELECT ${select} FROM ${from}`;
  if (query.where !== undefined) sql += ` WHERE ${expr(query.where)}`;
  if (query.groupBy !== undefined) {
    sql += query.groupBy.length === 0 ? ' GROUP BY ()' : ` GROUP BY ${query.groupBy.map(expr).join(', ')}`;
  }
  if (query.having !== undefined) sql += ` HAVING ${expr(query.having)}`;
  if (query.orderBy !== undefined)
    sql += ` ORDER BY ${query.orderBy.items.map((i) => sortKey(i, expr)).join(', ')}`;
  if (query.limit !== undefined) sql += ` LIMIT ${bind(BigInt(query.limit), SqlTypes.BIGINT)}`;
  return { sql, params, tables };
}

/**
 * One ORDER BY key. A bare integer is an ordinal (the n-th select column), as DuckDB reads it;
 * names resolve to select aliases first, then to columns. NULLs sort last unless NULLS FIRST is
 * written, in either direction; both are always spelled out, whatever DuckDB's defaults.
 */
function sortKey(item: SortItem, expr: (e: Expression) => string): string {
  const key =
    item.expression.kind === 'IntegerLiteral'
      ? String(Math.trunc(item.expression.value))
      : expr(item.expression);
  return `${key} ${item.ordering ?? 'ASC'} NULLS ${item.nulls ?? 'LAST'}`;
}

function relationSql(relation: AliasedRelation): string {
  return relation.alias === undefined ? q(relation.name) : `${q(relation.name)} AS ${q(relation.alias)}`;
}

function selectList(
  items: readonly SelectItem[],
  relations: readonly AliasedRelation[],
  metastore: MetaStore,
  expr: (e: Expression) => string,
): string {
  const joined = relations.length > 1;
  const out: { name?: string; sql: string }[] = [];
  for (const item of items) {
    if (item.kind === 'AllStructFields') unsupported('->*');
    if (item.kind === 'AllColumns') {
      for (const relation of relations) {
        const qualifier = relation.alias ?? relation.name;
        if (item.source !== undefined && item.source !== qualifier) continue;
        const step = sourceStepFor(metastore.source(relation.name)!, relation.alias);
        for (const column of [...step.keyColumns, ...step.valueColumns]) {
          out.push({
            name: joined ? `${qualifier}_${column.name}` : column.name,
            sql: `${q(qualifier)}.${q(column.name)}`,
          });
        }
      }
      continue;
    }
    const name = item.alias ?? derivedName(item.expression);
    out.push({ ...(name === undefined ? {} : { name }), sql: expr(item.expression) });
  }
  const names = new SyntheticNames(new Set(out.flatMap((o) => (o.name === undefined ? [] : [o.name]))));
  return out.map((o) => `${o.sql} AS ${q(o.name ?? names.take())}`).join(', ');
}

/** The snapshot of a materialized table: every column, with its type, and the current rows. */
export async function tableSnapshot(table: MaterializedTable): Promise<SnapshotTable> {
  const rows: (readonly SqlValue[])[] = [];
  for await (const row of table.scan()) rows.push(row.values);
  return {
    name: table.source.name,
    columns: table.step.columns.map((column) => ({ name: column.name, type: column.type })),
    rows,
  };
}

/** Runs the query over a snapshot of the tables taken now, as a pull query's rows. */
export async function sqlPullQuery(
  id: string,
  query: Query,
  metastore: MetaStore,
  tableOf: (name: string) => MaterializedTable | undefined,
): Promise<PullQuery> {
  const translation = translatePullSql(query, metastore);
  const snapshots: SnapshotTable[] = [];
  for (const name of translation.tables) {
    const table = tableOf(name);
    if (table === undefined)
      throw new StatementError(`The \`${name}\` table isn't materialized, so it cannot be queried.`);
    snapshots.push(await tableSnapshot(table));
  }
  let result: Awaited<ReturnType<typeof runSqlOverSnapshot>>;
  try {
    result = await runSqlOverSnapshot(snapshots, translation.sql, translation.params);
  } catch (err) {
    throw new StatementError(`DuckDB could not run the query: ${(err as Error).message}`);
  }
  const columns: PullColumn[] = result.columns.map((c) => ({ name: c.name, type: c.type }));
  const rows = result.rows;
  return {
    id,
    pull: 'table',
    columns,
    close: async () => {},
    async *[Symbol.asyncIterator](): AsyncGenerator<PushQueryRow> {
      for (const values of rows) yield { values, timestamp: 0 };
    },
  };
}
