/**
 * Runs one read-only SQL query over a snapshot of materialized tables in a private in-memory
 * DuckDB database: each table's rows are loaded with bound multi-row INSERTs into a typed
 * table, the query runs with its values bound as parameters, and the database is dropped.
 *
 * Identifiers are always double-quoted (embedded quotes doubled) and values always bound:
 * no caller text is ever pasted into SQL. Only BOOLEAN, INTEGER, BIGINT, DOUBLE and STRING
 * columns are loaded; columns of other types are left out of the snapshot.
 */
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';

export type SnapshotType = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING';
export type SnapshotValue = string | number | bigint | boolean | null;

export interface SnapshotTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: SnapshotType }[];
  readonly rows: Iterable<readonly SnapshotValue[]>;
}

export interface SnapshotParam {
  readonly value: SnapshotValue;
  readonly type: SnapshotType;
}

export interface SnapshotResult {
  readonly columns: readonly { readonly name: string; readonly type: SnapshotType }[];
  readonly rows: SnapshotValue[][];
}

const DUCKDB_TYPES: Record<SnapshotType, DuckDBType> = {
  BOOLEAN,
  INTEGER,
  BIGINT,
  DOUBLE,
  STRING: VARCHAR,
};

const INSERT_BATCH = 256;

/** `"name"`, with embedded double quotes doubled. */
export function quoteSqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
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
      const typeNames = table.columns.map((c) => DUCKDB_TYPES[c.type].toString());
      const columns = table.columns.map((c, i) => `${quoteSqlIdentifier(c.name)} ${typeNames[i]}`);
      await connection.run(`CREATE TABLE ${quoteSqlIdentifier(table.name)} (${columns.join(', ')})`);
      const types = table.columns.map((c) => DUCKDB_TYPES[c.type]);
      let batch: (readonly SnapshotValue[])[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        let n = 0;
        const tuples = batch.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`);
        await connection.run(
          `INSERT INTO ${quoteSqlIdentifier(table.name)} VALUES ${tuples.join(', ')}`,
          batch.flat() as DuckDBValue[],
          batch.flatMap(() => types),
        );
        batch = [];
      };
      for (const row of table.rows) {
        batch.push(row);
        if (batch.length >= INSERT_BATCH) await flush();
      }
      await flush();
    }
    const reader = await connection.runAndReadAll(
      sql,
      params.map((p) => p.value as DuckDBValue),
      params.map((p) => DUCKDB_TYPES[p.type]),
    );
    const names = reader.columnNames();
    const columns = reader.columnTypes().map((t, i) => ({ name: names[i]!, type: snapshotType(t) }));
    const rows = reader.getRows().map((row) => row.map((v, i) => snapshotValue(v, columns[i]!.type)));
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** DuckDB's result types in Sluice's: HUGEINT (SUM of integers) as BIGINT, DECIMAL as DOUBLE. */
function snapshotType(type: DuckDBType): SnapshotType {
  const text = type.toString();
  if (text === 'BOOLEAN') return 'BOOLEAN';
  if (text === 'INTEGER' || text === 'SMALLINT' || text === 'TINYINT') return 'INTEGER';
  if (text === 'BIGINT' || text === 'HUGEINT' || text === 'UBIGINT' || text === 'UINTEGER') return 'BIGINT';
  if (text === 'DOUBLE' || text === 'FLOAT' || text.startsWith('DECIMAL')) return 'DOUBLE';
  return 'STRING';
}

function snapshotValue(value: DuckDBValue, type: SnapshotType): SnapshotValue {
  if (value === null) return null;
  switch (type) {
    case 'BOOLEAN':
      return value === true;
    case 'INTEGER':
      return Number(value);
    case 'BIGINT':
      return BigInt(value as bigint | number);
    case 'DOUBLE':
      return value instanceof DuckDBDecimalValue ? value.toDouble() : Number(value);
    case 'STRING':
      return typeof value === 'string' ? value : String(value);
  }
}
