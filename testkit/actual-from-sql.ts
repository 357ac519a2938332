/**
 * Engine values to the `ActualValue`s the comparison needs, for formats whose records the
 * executor decodes with the engine's serdes (KAFKA now; AVRO and PROTOBUF later). JSON and
 * DELIMITED records are better read straight from their bytes (`decodeJsonForComparison`,
 * UTF-8 text), as upstream's harness does.
 */
import type { SqlType } from '../engine/catalog/types.js';
import { isDecimal, type SqlValue } from '../engine/catalog/values.js';
import { type ActualValue, doubleAsExactDecimal } from './actual-values.js';
import { ExactDecimal } from './exact-decimal.js';

export interface SqlConversionOptions {
  /**
   * The value came from a KAFKA-format record, which upstream's harness reads back its own
   * way: a DOUBLE as the exact decimal of its Java text (so `2.0`, not `2`, matches), BYTES as
   * the UTF-8 text of the bytes (it writes them from the JSON string as given).
   */
  kafkaFormat?: boolean;
}

/** One value of a known SQL type, as upstream's harness would hold it for comparison. */
export function actualFromSqlValue(
  value: SqlValue,
  type: SqlType,
  options: SqlConversionOptions = {},
): ActualValue {
  if (value === null) return null;
  switch (type.kind) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case 'DOUBLE':
      return options.kafkaFormat ? doubleAsExactDecimal(value as number) : (value as number);
    case 'DECIMAL': {
      const text = isDecimal(value) ? value.toFixed(type.scale) : String(value);
      return ExactDecimal.parse(text) ?? text;
    }
    case 'BYTES':
      return options.kafkaFormat ? Buffer.from(value as Uint8Array).toString('utf8') : (value as Uint8Array);
    case 'BOOLEAN':
    case 'STRING':
      return value as ActualValue;
    case 'ARRAY':
      return (value as readonly SqlValue[]).map((element) =>
        actualFromSqlValue(element, type.element, options),
      );
    case 'MAP': {
      const fields: Record<string, ActualValue> = {};
      for (const [key, entry] of value as ReadonlyMap<SqlValue, SqlValue>) {
        fields[mapKeyText(key)] = actualFromSqlValue(entry, type.value, options);
      }
      return fields;
    }
    case 'STRUCT': {
      const struct = value as { readonly [field: string]: SqlValue };
      const fields: Record<string, ActualValue> = {};
      for (const field of type.fields) {
        fields[field.name] = actualFromSqlValue(struct[field.name] ?? null, field.type, options);
      }
      return fields;
    }
  }
}

/** A wrapped row (several columns, or one wrapped column) as a struct keyed by column name. */
export function actualFromSqlRow(
  row: readonly SqlValue[],
  columns: readonly { name: string; type: SqlType }[],
  options: SqlConversionOptions = {},
): ActualValue {
  const fields: Record<string, ActualValue> = {};
  columns.forEach((column, i) => {
    fields[column.name] = actualFromSqlValue(row[i] ?? null, column.type, options);
  });
  return fields;
}

function mapKeyText(key: SqlValue): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (isDecimal(key)) return key.toString();
  return String(key);
}
