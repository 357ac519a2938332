/**
 * The logical schema of a stream or table: ordered columns, each in the KEY, VALUE or HEADERS
 * namespace, plus ksqlDB's pseudo (system) columns. Column names are case-sensitive strings;
 * the parser has already upper-cased unquoted identifiers.
 */
import { catalogMessages } from './messages.js';
import {
  arrayType,
  formatType,
  quoteIdentifier,
  type SqlType,
  SqlTypeError,
  SqlTypes,
  struct,
  typesEqual,
} from './types.js';

export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADERS';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** For a `HEADER('k')` column: the header key it reads. Absent for `HEADERS` (all headers). */
  readonly headerKey?: string;
}

/** ksqlDB's pseudo columns: names no user column may take. */
export const SystemColumns = Object.freeze({
  ROWTIME: Object.freeze({ name: 'ROWTIME', type: SqlTypes.BIGINT }),
  ROWPARTITION: Object.freeze({ name: 'ROWPARTITION', type: SqlTypes.INTEGER }),
  ROWOFFSET: Object.freeze({ name: 'ROWOFFSET', type: SqlTypes.BIGINT }),
  WINDOWSTART: Object.freeze({ name: 'WINDOWSTART', type: SqlTypes.BIGINT }),
  WINDOWEND: Object.freeze({ name: 'WINDOWEND', type: SqlTypes.BIGINT }),
});

/** The legacy implicit key name, still used for synthesised key columns. */
export const ROWKEY_NAME = 'ROWKEY';

const SYSTEM_COLUMN_NAMES: ReadonlySet<string> = new Set(Object.keys(SystemColumns));

export function isSystemColumnName(name: string): boolean {
  return SYSTEM_COLUMN_NAMES.has(name);
}

export function isWindowBoundColumnName(name: string): boolean {
  return name === 'WINDOWSTART' || name === 'WINDOWEND';
}

/** The type of the `HEADERS` column: every header, in order. */
export const HEADERS_TYPE: SqlType = arrayType(struct(['KEY', SqlTypes.STRING], ['VALUE', SqlTypes.BYTES]));

export interface FormatSchemaOptions {
  /** Append ` KEY` to key columns (ksqlDB does in DESCRIBE and pull-query headers). Default true. */
  readonly markKeys?: boolean;
}

export class LogicalSchema {
  readonly columns: readonly Column[];
  readonly key: readonly Column[];
  readonly value: readonly Column[];
  readonly headers: readonly Column[];

  private constructor(columns: readonly Column[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ ...c })));
    this.key = Object.freeze(this.columns.filter((c) => c.namespace === 'KEY'));
    this.value = Object.freeze(this.columns.filter((c) => c.namespace === 'VALUE'));
    this.headers = Object.freeze(this.columns.filter((c) => c.namespace === 'HEADERS'));
    Object.freeze(this);
  }

  /**
   * Key columns first, then value and header columns in the given order, as ksqlDB lays a
   * schema out. Throws SqlTypeError on a duplicate name or a HEADERS column of the wrong type.
   */
  static of(columns: readonly Column[]): LogicalSchema {
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.name)) {
        throw new SqlTypeError(catalogMessages.duplicateColumn(quoteIdentifier(column.name)));
      }
      seen.add(column.name);
      if (column.namespace === 'HEADERS') {
        const expected = column.headerKey === undefined ? HEADERS_TYPE : SqlTypes.BYTES;
        if (!typesEqual(column.type, expected)) {
          throw new SqlTypeError(
            catalogMessages.headerColumnType(
              column.headerKey === undefined ? 'HEADERS' : 'HEADER',
              quoteIdentifier(column.name),
              formatType(expected),
              formatType(column.type),
            ),
          );
        }
      }
    }
    const keys = columns.filter((c) => c.namespace === 'KEY');
    const others = columns.filter((c) => c.namespace !== 'KEY');
    return new LogicalSchema([...keys, ...others]);
  }

  static builder(): LogicalSchemaBuilder {
    return new LogicalSchemaBuilder();
  }

  /** A key or value/header column by exact name. */
  find(name: string): Column | undefined {
    return this.columns.find((c) => c.name === name);
  }

  findKey(name: string): Column | undefined {
    return this.key.find((c) => c.name === name);
  }

  findValue(name: string): Column | undefined {
    return this.value.find((c) => c.name === name) ?? this.headers.find((c) => c.name === name);
  }

  /**
   * The schema a query sees while processing: the pseudo columns ROWTIME, ROWPARTITION and
   * ROWOFFSET (and WINDOWSTART/WINDOWEND for windowed sources) as value columns.
   */
  withPseudoColumns(windowed: boolean): LogicalSchema {
    const pseudo: Column[] = [SystemColumns.ROWTIME, SystemColumns.ROWPARTITION, SystemColumns.ROWOFFSET].map(
      (c) => ({ ...c, namespace: 'VALUE' as const }),
    );
    if (windowed) {
      pseudo.push(
        { ...SystemColumns.WINDOWSTART, namespace: 'VALUE' },
        { ...SystemColumns.WINDOWEND, namespace: 'VALUE' },
      );
    }
    const kept = this.columns.filter((c) => !isSystemColumnName(c.name));
    return LogicalSchema.of([...kept, ...pseudo]);
  }

  equals(other: LogicalSchema): boolean {
    return (
      this.columns.length === other.columns.length &&
      this.columns.every((c, i) => {
        const o = other.columns[i];
        return (
          o !== undefined &&
          c.name === o.name &&
          c.namespace === o.namespace &&
          c.headerKey === o.headerKey &&
          typesEqual(c.type, o.type)
        );
      })
    );
  }

  /** ksqlDB's schema text: `` `ID` STRING KEY, `COUNT` BIGINT ``. */
  format(options: FormatSchemaOptions = {}): string {
    return this.columns.map((c) => formatColumn(c, options)).join(', ');
  }

  toString(): string {
    return this.format();
  }
}

export function formatColumn(column: Column, options: FormatSchemaOptions = {}): string {
  const base = `${quoteIdentifier(column.name)} ${formatType(column.type)}`;
  switch (column.namespace) {
    case 'KEY':
      return options.markKeys === false ? base : `${base} KEY`;
    case 'HEADERS':
      return column.headerKey === undefined
        ? `${base} HEADERS`
        : `${base} HEADER('${column.headerKey.replaceAll("'", "''")}')`;
    case 'VALUE':
      return base;
  }
}

export class LogicalSchemaBuilder {
  private readonly columns: Column[] = [];

  keyColumn(name: string, type: SqlType): this {
    this.columns.push({ name, type, namespace: 'KEY' });
    return this;
  }

  valueColumn(name: string, type: SqlType): this {
    this.columns.push({ name, type, namespace: 'VALUE' });
    return this;
  }

  /** `HEADERS` (all headers) when headerKey is undefined, else `HEADER('headerKey')`. */
  headerColumn(name: string, headerKey?: string): this {
    const type = headerKey === undefined ? HEADERS_TYPE : SqlTypes.BYTES;
    this.columns.push(
      headerKey === undefined
        ? { name, type, namespace: 'HEADERS' }
        : { name, type, namespace: 'HEADERS', headerKey },
    );
    return this;
  }

  build(): LogicalSchema {
    return LogicalSchema.of(this.columns);
  }
}
