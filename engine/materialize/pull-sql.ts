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
import { functionResultType, translateFunction } from './pull-sql-functions.js';

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

  // Static types of the translated subset, where a translation depends on them.
  const steps = relations.map((r) => ({
    qualifier: r.alias ?? r.name,
    step: sourceStepFor(metastore.source(r.name)!, r.alias),
  }));
  const selectTypes = new Map<string, Expression>();
  for (const item of query.select) {
    if (item.kind !== 'SingleColumn') continue;
    const name = item.alias ?? derivedName(item.expression);
    if (name !== undefined) selectTypes.set(name, item.expression);
  }
  const columnType = (source: string | undefined, name: string): SqlType | undefined => {
    const found = steps
      .filter((s) => source === undefined || s.qualifier === source)
      .flatMap((s) => s.step.columns.filter((c) => c.name === name));
    if (found.length === 1) return found[0]!.type;
    const aliased = source === undefined ? selectTypes.get(name) : undefined;
    return aliased === undefined || aliased.kind === 'ColumnRef' ? undefined : typeOf(aliased);
  };
  const typeOf = (e: Expression): SqlType | undefined => {
    switch (e.kind) {
      case 'BooleanLiteral':
        return SqlTypes.BOOLEAN;
      case 'StringLiteral':
        return SqlTypes.STRING;
      case 'IntegerLiteral':
        return SqlTypes.INTEGER;
      case 'BigIntLiteral':
        return SqlTypes.BIGINT;
      case 'DoubleLiteral':
        return SqlTypes.DOUBLE;
      case 'DecimalLiteral':
        return e.precision > MAX_DECIMAL_PRECISION
          ? SqlTypes.DOUBLE
          : decimalType(Math.max(e.precision, e.scale, 1), e.scale);
      case 'ColumnRef':
        return columnType(e.source, e.name);
      case 'ArithmeticUnary':
        return typeOf(e.operand);
      case 'ArithmeticBinary': {
        const [l, r] = [typeOf(e.left), typeOf(e.right)];
        if (l === undefined || r === undefined) return undefined;
        if (l.kind === 'DOUBLE' || r.kind === 'DOUBLE') return SqlTypes.DOUBLE;
        if (l.kind === 'DECIMAL') return l;
        if (r.kind === 'DECIMAL') return r;
        if (l.kind === 'BIGINT' || r.kind === 'BIGINT') return SqlTypes.BIGINT;
        return l.kind === 'INTEGER' && r.kind === 'INTEGER' ? SqlTypes.INTEGER : undefined;
      }
      case 'Cast':
        try {
          return sqlTypeFromAst(e.type, (name) => metastore.type(name));
        } catch {
          return undefined;
        }
      case 'FunctionCall':
        return functionResultType(e, e.args.map(typeOf));
      case 'SearchedCase':
      case 'SimpleCase':
        return [...e.whens.map((w) => w.result), ...(e.else === undefined ? [] : [e.else])]
          .map(typeOf)
          .find((t) => t !== undefined);
      case 'Subscript': {
        const base = typeOf(e.base);
        return base?.kind === 'ARRAY' ? base.element : base?.kind === 'MAP' ? base.value : undefined;
      }
      case 'Dereference': {
        const base = typeOf(e.base);
        return base?.kind === 'STRUCT' ? base.fields.find((f) => f.name === e.field)?.type : undefined;
      }
      case 'Comparison':
      case 'Between':
      case 'InList':
      case 'Like':
      case 'IsNull':
      case 'Not':
      case 'Logical':
        return SqlTypes.BOOLEAN;
      default:
        return undefined;
    }
  };
  const isIntegral = (t: SqlType | undefined) => t?.kind === 'INTEGER' || t?.kind === 'BIGINT';

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
      case 'FunctionCall':
        return translateFunction(e, {
          sql: (i) => expr(e.args[i]!),
          type: (i) => typeOf(e.args[i]!),
          bind,
        });
      case 'ArithmeticUnary':
        return `(${e.operator}${expr(e.operand)})`;
      case 'ArithmeticBinary': {
        if (e.operator !== '/') return `(${expr(e.left)} ${e.operator} ${expr(e.right)})`;
        // ksqlDB divides integers as integers (truncating), DOUBLEs as DOUBLEs.
        const [l, r] = [typeOf(e.left), typeOf(e.right)];
        if (isIntegral(l) && isIntegral(r)) return `(${expr(e.left)} // ${expr(e.right)})`;
        if (l?.kind === 'DOUBLE' || r?.kind === 'DOUBLE') return `(${expr(e.left)} / ${expr(e.right)})`;
        if (l?.kind === 'DECIMAL' || r?.kind === 'DECIMAL') {
          unsupported(
            '/ on DECIMAL values (ksqlDB scales the quotient differently); CAST an operand to DOUBLE',
          );
        }
        return unsupported('/ where the operand types cannot be told; CAST the operands');
      }
      case 'Subscript': {
        const base = typeOf(e.base);
        if (base?.kind !== 'ARRAY' && base?.kind !== 'MAP')
          unsupported('[] on a value that is not an ARRAY or MAP');
        return `(${expr(e.base)})[${expr(e.index)}]`;
      }
      case 'Dereference':
        return `(${expr(e.base)}).${q(e.field)}`;
      case 'Comparison':
        return `(${expr(e.left)} ${e.operator} ${expr(e.right)})`;
      // ksqlDB's IN and BETWEEN are false, not NULL, where a NULL is compared.
      case 'Between':
        return `(${e.negated ? 'NOT ' : ''}coalesce(${expr(e.value)} BETWEEN ${expr(e.lower)} AND ${expr(e.upper)}, ${bind(false, SqlTypes.BOOLEAN)}))`;
      case 'InList':
        return `(${e.negated ? 'NOT ' : ''}coalesce(${expr(e.value)} IN (${e.list.map(expr).join(', ')}), ${bind(false, SqlTypes.BOOLEAN)}))`;
      case 'Like': {
        // ksqlDB's LIKE is a regular expression whose `.` stops at line breaks; DuckDB's LIKE does
        // not, so the pattern becomes that regular expression (RE2, bound).
        if (e.pattern.kind !== 'StringLiteral')
          unsupported('LIKE with a pattern that is not a string literal');
        const regex = likeRegex(e.pattern.value, e.escape);
        return `(${e.negated ? 'NOT ' : ''}regexp_full_match(${expr(e.value)}, ${bind(regex, SqlTypes.STRING)}))`;
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
        const from = typeOf(e.operand);
        const to = e.type.kind === 'PrimitiveType' ? e.type.name : undefined;
        // Java narrows DOUBLE and DECIMAL to integers by truncation; DuckDB rounds.
        if ((to === 'INTEGER' || to === 'BIGINT') && (from?.kind === 'DOUBLE' || from?.kind === 'DECIMAL')) {
          return `CAST(trunc(${expr(e.operand)}) AS ${target})`;
        }
        if (to === 'BOOLEAN' && from?.kind === 'STRING') {
          unsupported("CAST of a STRING to BOOLEAN (ksqlDB's lenient reading of booleans is not DuckDB's)");
        }
        if (to === 'STRING' && from?.kind === 'DOUBLE') {
          unsupported("CAST of a DOUBLE to STRING (Java's text of a double is not DuckDB's)");
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

/** Any character but the line breaks a JavaScript or Java `.` does not match. */
const LIKE_ANY = '[^\\n\\r\\x{2028}\\x{2029}]';

/** The RE2 regular expression of a LIKE pattern, as ksqlDB matches it (see engine/expr/like.ts). */
function likeRegex(pattern: string, escapeChar: string | undefined): string {
  let source = '';
  let escaped = false;
  for (const c of pattern) {
    if (escaped) {
      source += quoteRegex(c);
      escaped = false;
    } else if (c === escapeChar) escaped = true;
    else if (c === '%') source += `${LIKE_ANY}*`;
    else if (c === '_') source += LIKE_ANY;
    else source += quoteRegex(c);
  }
  if (escaped) unsupported('a LIKE pattern that ends with its escape character');
  return source;
}

function quoteRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
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
