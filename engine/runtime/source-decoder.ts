/**
 * Turns a Kafka record into the flat row a query's first step sees, in the order of
 * SourceStep.columns: key, value and header columns as the source declares them, then
 * ROWTIME, ROWPARTITION, ROWOFFSET (and WINDOWSTART/WINDOWEND for windowed keys).
 */
import { HEADERS_TYPE, LogicalSchema } from '../catalog/schema.js';
import type { StructType } from '../catalog/types.js';
import { makeStruct, type SqlValue } from '../catalog/values.js';
import type { LogRecord } from '../log/log.js';
import type { SourceStep } from '../plan/physical-plan.js';
import type { RowSerde } from '../serde/format.js';
import { type WindowBounds, windowedKeySerde } from '../serde/windowed-key.js';
import { keySerde, valueSerde } from '../statements/source-formats.js';
import { timestampExtractor } from './timestamps.js';

export interface DecodedRow {
  readonly values: SqlValue[];
  /** Event time: ROWTIME, from the record or the TIMESTAMP column. */
  readonly timestamp: number;
  /** The record's value was null. */
  readonly tombstone: boolean;
  /** The record had no key. */
  readonly nullKey: boolean;
  /** The window of a windowed key. */
  readonly window?: WindowBounds;
}

const HEADER_STRUCT = (HEADERS_TYPE as { element: StructType }).element;

type ColumnReader = (
  key: SqlValue[] | null,
  value: SqlValue[] | null,
  record: LogRecord,
  window: WindowBounds | undefined,
) => SqlValue;

export function sourceDecoder(step: SourceStep): (record: LogRecord) => DecodedRow {
  const schema = LogicalSchema.of([
    ...step.keyColumns.map((c) => ({ ...c, namespace: 'KEY' as const })),
    ...step.valueColumns.map((c) => ({ ...c, namespace: 'VALUE' as const })),
  ]);
  const keys: RowSerde = keySerde(schema, step.keyFormat);
  const values: RowSerde = valueSerde(schema, step.valueFormat);
  const window = step.keyFormat.window;
  const windowed = window === undefined ? undefined : windowedKeySerde(keys, window.type, window.sizeMs);
  const readers = step.columns.map((column): ColumnReader => {
    const k = step.keyColumns.findIndex((c) => c.name === column.name);
    if (k >= 0) return (key) => (key === null ? null : (key[k] ?? null));
    const v = step.valueColumns.findIndex((c) => c.name === column.name);
    if (v >= 0) return (_key, value) => (value === null ? null : (value[v] ?? null));
    const header = step.headerColumns.find((h) => h.name === column.name);
    if (header !== undefined) {
      const headerKey = header.headerKey;
      return headerKey === undefined
        ? (_k, _v, record) =>
            record.headers.map((x) => makeStruct(HEADER_STRUCT, { KEY: x.key, VALUE: x.value }))
        : (_k, _v, record) => lastHeader(record, headerKey);
    }
    switch (column.name) {
      case 'ROWTIME':
        return (_k, _v, record) => BigInt(record.timestamp);
      case 'ROWPARTITION':
        return (_k, _v, record) => record.partition;
      case 'ROWOFFSET':
        return (_k, _v, record) => record.offset;
      case 'WINDOWSTART':
        return (_k, _v, _r, w) => (w === undefined ? null : BigInt(w.start));
      case 'WINDOWEND':
        return (_k, _v, _r, w) => (w === undefined ? null : BigInt(w.end));
      default:
        throw new Error(`source column ${column.name} has no reader`);
    }
  });
  const rowtimeAt = step.columns.findIndex((c) => c.name === 'ROWTIME');
  const keyCount = step.keyColumns.length;
  const extract = step.timestamp === undefined ? undefined : timestampExtractor(step, step.timestamp);

  return (record) => {
    let key: SqlValue[] | null;
    let bounds: WindowBounds | undefined;
    if (windowed !== undefined && record.key !== null) {
      const decoded = windowed.deserialize(record.key);
      key = decoded.key;
      bounds = decoded.window;
    } else {
      key = keyCount === 0 ? null : keys.deserialize(record.key);
    }
    const value = values.deserialize(record.value);
    const row: SqlValue[] = readers.map((read) => read(key, value, record, bounds));
    let timestamp = record.timestamp;
    if (extract !== undefined && value !== null) {
      timestamp = extract(row);
      row[rowtimeAt] = BigInt(timestamp);
    }
    const decoded = { values: row, timestamp, tombstone: value === null, nullKey: key === null };
    return bounds === undefined ? decoded : { ...decoded, window: bounds };
  };
}

function lastHeader(record: LogRecord, key: string): SqlValue {
  for (let i = record.headers.length - 1; i >= 0; i--) {
    const h = record.headers[i]!;
    if (h.key === key) return h.value;
  }
  return null;
}
