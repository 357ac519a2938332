/**
 * The text of a value as ksqlDB's functions produce it with Java's `toString` (ARRAY_JOIN,
 * string concatenation of non-string values): doubles as `Double.toString`, decimals at their
 * scale, collections as Java's `[a, b]` and `{k=v}`, structs as Kafka Connect's `Struct{F=v}`.
 */
import type { SqlType } from '../../catalog/types.js';
import { formatDate, formatTime, formatTimestamp, javaDoubleToString } from '../../catalog/value-text.js';
import { isDecimal, type SqlStruct, type SqlValue } from '../../catalog/values.js';

export function valueText(type: SqlType, value: SqlValue): string {
  if (value === null) return 'null';
  switch (type.kind) {
    case 'DOUBLE':
      return javaDoubleToString(value as number);
    case 'DECIMAL':
      return isDecimal(value) ? value.toFixed(type.scale) : String(value);
    case 'BYTES':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'DATE':
      return formatDate(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    case 'ARRAY':
      return `[${(value as readonly SqlValue[]).map((v) => valueText(type.element, v)).join(', ')}]`;
    case 'MAP':
      return `{${[...(value as ReadonlyMap<SqlValue, SqlValue>)]
        .map(([k, v]) => `${valueText(type.key, k)}=${valueText(type.value, v)}`)
        .join(', ')}}`;
    case 'STRUCT': {
      const struct = value as SqlStruct;
      return `Struct{${type.fields
        .filter((f) => struct[f.name] !== null && struct[f.name] !== undefined)
        .map((f) => `${f.name}=${valueText(f.type, struct[f.name] ?? null)}`)
        .join(',')}}`;
    }
    default:
      return String(value);
  }
}
