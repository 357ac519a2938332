/**
 * Test records to Kafka records and back, with the formats of the source that owns a topic,
 * as upstream's harness does (qtt-format.md §2.5): JSON and DELIMITED records are text as
 * given; KAFKA values are converted to the column's type and written with the engine's serde;
 * NONE is always null; windowed keys carry their window.
 */
import type { DataSource, FormatInfo } from '../engine/catalog/data-source.js';
import type { Column } from '../engine/catalog/schema.js';
import { jsonToValue, parseJson } from '../engine/catalog/value-json.js';
import type { ProducerRecord } from '../engine/log/log.js';
import type { RowSerde } from '../engine/serde/format.js';
import { windowedKeySerde } from '../engine/serde/windowed-key.js';
import { keySerde, valueSerde } from '../engine/statements/source-formats.js';
import { actualFromSqlValue } from './actual-from-sql.js';
import type { ActualRecord, ActualValue } from './actual-values.js';
import { decodeJsonForComparison } from './actual-values.js';
import { type QttJson, qttJsonText } from './json-values.js';
import type { TestRecord } from './qtt-model.js';

export function encodeTestRecord(record: TestRecord, source: DataSource | undefined): ProducerRecord {
  const out: ProducerRecord = {
    key: encodeSide(record.key ?? null, source, 'KEY'),
    value: encodeSide(record.value, source, 'VALUE'),
    timestamp: record.timestamp ?? 0,
    partition: 0,
  };
  if (record.window !== undefined && source?.keyFormat.window !== undefined && out.key !== null) {
    const inner = innerKeySerde(source);
    const window = source.keyFormat.window;
    const keyRow = inner.deserialize(out.key);
    out.key = windowedKeySerde(inner, window.type, window.sizeMs).serialize(keyRow, record.window);
  }
  if (record.headers !== undefined) {
    out.headers = record.headers.map((h) => ({
      key: h.key,
      value: h.value === null ? null : Buffer.from(h.value, 'base64'),
    }));
  }
  return out;
}

function encodeSide(value: QttJson, source: DataSource | undefined, side: 'KEY' | 'VALUE'): Buffer | null {
  if (value === null) return null;
  const info = source === undefined ? undefined : side === 'KEY' ? source.keyFormat : source.valueFormat;
  const columns = source === undefined ? [] : side === 'KEY' ? source.schema.key : source.schema.value;
  const format = info?.format ?? 'JSON';
  switch (format) {
    case 'NONE':
      return null;
    case 'DELIMITED':
      return Buffer.from(typeof value === 'string' ? value : qttJsonText(value), 'utf8');
    case 'KAFKA':
      return encodeKafka(value, columns, source!, info!, side);
    default:
      return Buffer.from(typeof value === 'string' && format !== 'JSON' ? value : qttJsonText(value), 'utf8');
  }
}

function encodeKafka(
  value: QttJson,
  columns: readonly Column[],
  source: DataSource,
  info: FormatInfo,
  side: 'KEY' | 'VALUE',
): Buffer | null {
  const column = columns[0];
  if (column === undefined)
    return Buffer.from(typeof value === 'string' ? value : qttJsonText(value), 'utf8');
  if (column.type.kind === 'BYTES' && typeof value === 'string') return Buffer.from(value, 'utf8');
  const numeric = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL'].includes(column.type.kind);
  const text = typeof value === 'string' && numeric ? value : qttJsonText(value);
  const sqlValue = jsonToValue(column.type, parseJson(text));
  const serde = side === 'KEY' ? keySerde(source.schema, info) : valueSerde(source.schema, info);
  return serde.serialize([sqlValue]);
}

function innerKeySerde(source: DataSource): RowSerde {
  return keySerde(source.schema, source.keyFormat);
}

export interface DecodeOptions {
  readonly exactNumericComparison: boolean;
}

export function decodeRecord(
  record: ProducerRecord & { timestamp: number },
  source: DataSource | undefined,
  options: DecodeOptions,
): ActualRecord {
  let keyBytes: Uint8Array | null = record.key;
  let window: ActualRecord['window'];
  if (source?.keyFormat.window !== undefined && keyBytes !== null) {
    const w = source.keyFormat.window;
    const inner = innerKeySerde(source);
    const decoded = windowedKeySerde(inner, w.type, w.sizeMs).deserialize(keyBytes);
    window = {
      start: decoded.window.start,
      end: decoded.window.end,
      type: w.type === 'SESSION' ? 'session' : 'time',
    };
    keyBytes = decoded.key === null ? null : inner.serialize(decoded.key);
  }
  const actual: ActualRecord = {
    key: decodeSide(keyBytes, source, 'KEY', options),
    value: decodeSide(record.value, source, 'VALUE', options),
    timestamp: record.timestamp,
    headers: (record.headers ?? []).map((h) => ({ key: h.key, value: h.value })),
  };
  if (window !== undefined) actual.window = window;
  return actual;
}

function decodeSide(
  bytes: Uint8Array | null,
  source: DataSource | undefined,
  side: 'KEY' | 'VALUE',
  options: DecodeOptions,
): ActualValue {
  if (bytes === null) return null;
  const info = source === undefined ? undefined : side === 'KEY' ? source.keyFormat : source.valueFormat;
  const columns = source === undefined ? [] : side === 'KEY' ? source.schema.key : source.schema.value;
  switch (info?.format ?? 'JSON') {
    case 'NONE':
      return null;
    case 'DELIMITED':
      return Buffer.from(bytes).toString('utf8');
    case 'KAFKA': {
      const column = columns[0];
      if (column === undefined || column.type.kind === 'BYTES') return Buffer.from(bytes).toString('utf8');
      const serde = side === 'KEY' ? keySerde(source!.schema, info!) : valueSerde(source!.schema, info!);
      const row = serde.deserialize(bytes);
      return row === null ? null : actualFromSqlValue(row[0] ?? null, column.type, { kafkaFormat: true });
    }
    default:
      try {
        return decodeJsonForComparison(bytes, { exactNumericComparison: options.exactNumericComparison });
      } catch {
        return Buffer.from(bytes).toString('utf8');
      }
  }
}
