/**
 * Runs one read-only SQL query over a snapshot of materialized tables in a private in-memory
 * DuckDB database: each table's rows are appended to a typed table (every Sluice type has its
 * DuckDB type: duckdb-sql-values.ts), the query runs with its values bound as parameters, and
 * the database is dropped.
 *
 * Identifiers are always double-quoted (embedded quotes doubled) and values always bound or
 * appended as typed values: no caller text is ever pasted into SQL.
 */
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { SqlType } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import {
  duckDBTypeOf,
  duckDBTypeSql,
  fromDuckDBValue,
  quoteSqlIdentifier,
  sqlTypeOfDuckDB,
  toDuckDBValue,
} from './duckdb-sql-values.js';

export { quoteSqlIdentifier };

export interface SnapshotColumn {
  readonly name: string;
  readonly type: SqlType;
}

export interface SnapshotTable {
  readonly name: string;
  readonly columns: readonly SnapshotColumn[];
  readonly rows: Iterable<readonly SqlValue[]>;
}

export interface SnapshotParam {
  readonly value: SqlValue;
  readonly type: SqlType;
}

export interface SnapshotResult {
  readonly columns: readonly SnapshotColumn[];
  readonly rows: SqlValue[][];
}

export async function runSqlOverSnapshot(
  tables: readonly SnapshotTable[],
  sql: string,
  params: readonly SnapshotParam[],
): Promise<SnapshotResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const table of tables) {
      const columns = table.columns.map((c) => `${quoteSqlIdentifier(c.name)} ${duckDBTypeSql(c.type)}`);
      await connection.run(`CREATE TABLE ${quoteSqlIdentifier(table.name)} (${columns.join(', ')})`);
      const types = table.columns.map((c) => duckDBTypeOf(c.type));
      const appender = await connection.createAppender(table.name);
      try {
        for (const row of table.rows) {
          for (let i = 0; i < types.length; i++) {
            const value = toDuckDBValue(row[i] ?? null, table.columns[i]!.type);
            if (value === null) appender.appendNull();
            else appender.appendValue(value, types[i]);
          }
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    }
    const reader = await connection.runAndReadAll(
      sql,
      params.map((p) => toDuckDBValue(p.value, p.type)),
      params.map((p) => duckDBTypeOf(p.type)),
    );
    const names = reader.columnNames();
    const columns = reader.columnTypes().map((t, i) => ({ name: names[i]!, type: sqlTypeOfDuckDB(t) }));
    const rows = reader
      .getRows()
      .map((row) => row.map((v: DuckDBValue, i) => fromDuckDBValue(v, columns[i]!.type)));
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
