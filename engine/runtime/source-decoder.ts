/**
 * Turns a Kafka record into the flat row a query's first step sees: key columns, value
 * columns, header columns, then ROWTIME, ROWPARTITION, ROWOFFSET (and WINDOWSTART/WINDOWEND
 * for windowed keys), in the order of SourceStep.columns.
 */

import { HEADERS_TYPE, LogicalSchema } from '../catalog/schema.js';
import type { StructType } from '../catalog/types.js';
import { makeStruct, type SqlValue } from '../catalog/values.js';
import type { LogRecord } from '../log/log.js';
import type { SourceStep } from '../plan/physical-plan.js';
import { SerdeError } from '../serde/errors.js';
import type { RowSerde } from '../serde/format.js';
import { windowedKeySerde } from '../serde/windowed-key.js';
import { keySerde, valueSerde } from '../statements/source-formats.js';
import { timestampExtractor } from './timestamps.js';

export interface DecodedRow {
  readonly values: SqlValue[];
  /** Event time: ROWTIME, from the record or the TIMESTAMP column. */
  readonly timestamp: number;
  /** Null when the record's value is null (a tombstone). */
  readonly tombstone: boolean;
}

const HEADER_STRUCT = (HEADERS_TYPE as { element: StructType }).element;

export function sourceDecoder(step: SourceStep): (record: LogRecord) => DecodedRow {
  const schema = LogicalSchema.of([
    ...step.keyColumns.map((c) => ({ ...c, namespace: 'KEY' as const })),
    ...step.valueColumns.map((c) => ({ ...c, namespace: 'VALUE' as const })),
  ]);
  const keys: RowSerde = keySerde(schema, step.keyFormat);
  const values: RowSerde = valueSerde(schema, step.valueFormat);
  const window = step.keyFormat.window;
  const windowed = window === undefined ? undefined : windowedKeySerde(keys, window.type, window.sizeMs);
  const keyCount = step.keyColumns.length;
  const valueCount = step.valueColumns.length;
  const headers = step.headerColumns;
  const extract = step.timestamp === undefined ? undefined : timestampExtractor(step, step.timestamp);

  return (record) => {
    let key: SqlValue[] | null;
    let bounds: { start: number; end: number } | undefined;
    if (windowed !== undefined && record.key !== null) {
      const decoded = windowed.deserialize(record.key);
      key = decoded.key;
      bounds = decoded.window;
    } else {
      key = keyCount === 0 ? null : keys.deserialize(record.key);
    }
    const value = values.deserialize(record.value);
    const row: SqlValue[] = new Array(step.columns.length);
    let at = 0;
    for (let i = 0; i < keyCount; i++) row[at++] = key === null ? null : (key[i] ?? null);
    for (let i = 0; i < valueCount; i++) row[at++] = value === null ? null : (value[i] ?? null);
    for (const h of headers) {
      row[at++] =
        h.headerKey === undefined
          ? record.headers.map((x) => makeStruct(HEADER_STRUCT, { KEY: x.key, VALUE: x.value }))
          : lastHeader(record, h.headerKey);
    }
    const rowtimeAt = at;
    row[at++] = BigInt(record.timestamp);
    row[at++] = record.partition;
    row[at++] = record.offset;
    if (bounds !== undefined || window !== undefined) {
      row[at++] = bounds === undefined ? null : BigInt(bounds.start);
      row[at++] = bounds === undefined ? null : BigInt(bounds.end);
    }
    let timestamp = record.timestamp;
    if (extract !== undefined && value !== null) {
      timestamp = extract(row);
      row[rowtimeAt] = BigInt(timestamp);
    }
    return { values: row, timestamp, tombstone: value === null };
  };
}

function lastHeader(record: LogRecord, key: string): SqlValue {
  for (let i = record.headers.length - 1; i >= 0; i--) {
    const h = record.headers[i]!;
    if (h.key === key) return h.value;
  }
  return null;
}

export { SerdeError };
