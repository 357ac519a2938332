/**
 * Sluice's SQL types and runtime values (engine/catalog/values.ts) in DuckDB and back, for the
 * snapshots read-only SQL runs over:
 *
 * | Sluice       | DuckDB        | value there                  | back                          |
 * |--------------|---------------|------------------------------|-------------------------------|
 * | BOOLEAN      | BOOLEAN       | boolean                      | boolean                       |
 * | INTEGER      | INTEGER       | number                       | number                        |
 * | BIGINT       | BIGINT        | bigint                       | bigint (HUGEINT too, checked) |
 * | DOUBLE       | DOUBLE        | number                       | number                        |
 * | DECIMAL(p,s) | DECIMAL(p,s)  | unscaled bigint              | Decimal at scale s            |
 * | STRING       | VARCHAR       | string                       | string                        |
 * | BYTES        | BLOB          | bytes                        | Uint8Array                    |
 * | DATE         | DATE          | days since epoch             | days since epoch              |
 * | TIME         | TIME          | micros of the day            | millis of the day             |
 * | TIMESTAMP    | TIMESTAMP     | epoch micros                 | epoch millis                  |
 * | ARRAY<T>     | T[] (LIST)    | items                        | array                         |
 * | MAP<K,V>     | MAP(K, V)     | entries                      | Map                           |
 * | STRUCT<...>  | STRUCT(...)   | fields by name               | struct with the type's fields |
 *
 * Type texts for DDL are written here, with every STRUCT field name double-quoted; values are
 * always handed to DuckDB as typed values (bound or appended), never as text.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  blobValue,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  dateValue,
  decimalValue,
  INTEGER,
  LIST,
  listValue,
  MAP,
  mapValue,
  STRUCT,
  structValue,
  TIME,
  TIMESTAMP,
  timestampValue,
  timeValue,
  VARCHAR,
} from '@duckdb/node-api';
import { arrayType, decimalType, mapType, type SqlType, SqlTypes, structType } from '../catalog/types.js';
import {
  Decimal,
  INT64_MAX,
  INT64_MIN,
  makeStruct,
  type SqlStruct,
  type SqlValue,
} from '../catalog/values.js';

/** `"name"`, with embedded double quotes doubled. */
export function quoteSqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The DuckDB type of a Sluice type, as an object (for binding and appending). */
export function duckDBTypeOf(type: SqlType): DuckDBType {
  switch (type.kind) {
    case 'BOOLEAN':
      return BOOLEAN;
    case 'INTEGER':
      return INTEGER;
    case 'BIGINT':
      return BIGINT;
    case 'DOUBLE':
      return DOUBLE;
    case 'STRING':
      return VARCHAR;
    case 'BYTES':
      return BLOB;
    case 'DATE':
      return DATE;
    case 'TIME':
      return TIME;
    case 'TIMESTAMP':
      return TIMESTAMP;
    case 'DECIMAL':
      return DECIMAL(type.precision, type.scale);
    case 'ARRAY':
      return LIST(duckDBTypeOf(type.element));
    case 'MAP':
      return MAP(duckDBTypeOf(type.key), duckDBTypeOf(type.value));
    case 'STRUCT':
      return STRUCT(Object.fromEntries(type.fields.map((f) => [f.name, duckDBTypeOf(f.type)])));
  }
}

/**
 * The DuckDB type of a Sluice type, as DDL text with quoted STRUCT field names. DuckDB compares
 * field names without case, so a STRUCT whose fields differ only in case cannot be loaded.
 */
export function duckDBTypeSql(type: SqlType): string {
  switch (type.kind) {
    case 'DECIMAL':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ARRAY':
      return `${duckDBTypeSql(type.element)}[]`;
    case 'MAP':
      return `MAP(${duckDBTypeSql(type.key)}, ${duckDBTypeSql(type.value)})`;
    case 'STRUCT': {
      const lower = new Set(type.fields.map((f) => f.name.toLowerCase()));
      if (lower.size !== type.fields.length) {
        throw new TypeError(
          `DuckDB cannot hold a STRUCT whose field names differ only in case (${type.fields.map((f) => f.name).join(', ')}).`,
        );
      }
      return `STRUCT(${type.fields.map((f) => `${quoteSqlIdentifier(f.name)} ${duckDBTypeSql(f.type)}`).join(', ')})`;
    }
    default:
      return duckDBTypeOf(type).toString();
  }
}

const MICROS_PER_MILLI = 1000n;

/** A Sluice runtime value of `type` as a DuckDB value of `duckDBTypeOf(type)`. */
export function toDuckDBValue(value: SqlValue, type: SqlType): DuckDBValue {
  if (value === null) return null;
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
      return value as boolean | number | bigint | string;
    case 'DECIMAL': {
      const unscaled = BigInt((value as Decimal).toFixed(type.scale).replace('.', ''));
      return decimalValue(unscaled, type.precision, type.scale);
    }
    case 'BYTES':
      return blobValue(value as Uint8Array);
    case 'DATE':
      return dateValue(value as number);
    case 'TIME':
      return timeValue(BigInt(value as number) * MICROS_PER_MILLI);
    case 'TIMESTAMP':
      return timestampValue(BigInt(value as number) * MICROS_PER_MILLI);
    case 'ARRAY':
      return listValue((value as readonly SqlValue[]).map((item) => toDuckDBValue(item, type.element)));
    case 'MAP':
      return mapValue(
        [...(value as ReadonlyMap<SqlValue, SqlValue>)].map(([k, v]) => ({
          key: toDuckDBValue(k, type.key),
          value: toDuckDBValue(v, type.value),
        })),
      );
    case 'STRUCT': {
      const struct = value as SqlStruct;
      return structValue(
        Object.fromEntries(type.fields.map((f) => [f.name, toDuckDBValue(struct[f.name] ?? null, f.type)])),
      );
    }
  }
}

/** A result column's DuckDB type as the Sluice type it is returned as. */
export function sqlTypeOfDuckDB(type: DuckDBType): SqlType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return SqlTypes.BOOLEAN;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return SqlTypes.INTEGER;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return SqlTypes.BIGINT;
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return SqlTypes.DOUBLE;
    case DuckDBTypeId.DECIMAL:
      return decimalType(type.width, type.scale);
    case DuckDBTypeId.BLOB:
      return SqlTypes.BYTES;
    case DuckDBTypeId.DATE:
      return SqlTypes.DATE;
    case DuckDBTypeId.TIME:
      return SqlTypes.TIME;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return SqlTypes.TIMESTAMP;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return arrayType(sqlTypeOfDuckDB(type.valueType));
    case DuckDBTypeId.MAP:
      return mapType(sqlTypeOfDuckDB(type.keyType), sqlTypeOfDuckDB(type.valueType));
    case DuckDBTypeId.STRUCT:
      return structType(
        type.entryNames.map((name, i) => ({ name, type: sqlTypeOfDuckDB(type.entryTypes[i]!) })),
      );
    default:
      // VARCHAR, and what Sluice has no type for (INTERVAL, UUID, ...): DuckDB's text of it.
      return SqlTypes.STRING;
  }
}

/** Floor division of micros (or nanos) to millis, as a number. */
function millisOf(value: bigint, perMilli: bigint): number {
  const quotient = value / perMilli;
  return Number(value < 0n && quotient * perMilli !== value ? quotient - 1n : quotient);
}

/** A DuckDB result value as the Sluice runtime value of `type` (from `sqlTypeOfDuckDB`). */
export function fromDuckDBValue(value: DuckDBValue, type: SqlType): SqlValue {
  if (value === null) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      return value === true;
    case 'INTEGER':
      return Number(value);
    case 'BIGINT': {
      const big = BigInt(value as bigint | number);
      if (big < INT64_MIN || big > INT64_MAX) throw new RangeError(`${big} does not fit a BIGINT.`);
      return big;
    }
    case 'DOUBLE':
      return Number(value);
    case 'DECIMAL':
      return new Decimal((value as DuckDBDecimalValue).toString()).toDecimalPlaces(type.scale);
    case 'STRING':
      return typeof value === 'string' ? value : String(value);
    case 'BYTES':
      return value instanceof DuckDBBlobValue ? value.bytes : new TextEncoder().encode(String(value));
    case 'DATE':
      return (value as DuckDBDateValue).days;
    case 'TIME':
      return millisOf((value as DuckDBTimeValue).micros, MICROS_PER_MILLI);
    case 'TIMESTAMP':
      if (value instanceof DuckDBTimestampSecondsValue) return Number(value.seconds) * 1000;
      if (value instanceof DuckDBTimestampMillisecondsValue) return Number(value.millis);
      if (value instanceof DuckDBTimestampNanosecondsValue) return millisOf(value.nanos, 1_000_000n);
      if (value instanceof DuckDBTimestampTZValue) return millisOf(value.micros, MICROS_PER_MILLI);
      return millisOf((value as DuckDBTimestampValue).micros, MICROS_PER_MILLI);
    case 'ARRAY':
      // A LIST, or a fixed-size ARRAY: both have their items.
      return (value as DuckDBListValue).items.map((item) => fromDuckDBValue(item, type.element));
    case 'MAP':
      return new Map(
        (value as DuckDBMapValue).entries.map((e) => [
          fromDuckDBValue(e.key, type.key),
          fromDuckDBValue(e.value, type.value),
        ]),
      );
    case 'STRUCT': {
      const entries = (value as DuckDBStructValue).entries;
      return makeStruct(
        type,
        Object.fromEntries(
          type.fields.map((f) => [f.name, fromDuckDBValue(entries[f.name] ?? null, f.type)]),
        ),
      );
    }
  }
}
