/** Encodes output rows into Kafka records with the sink's key and value formats. */
import { LogicalSchema } from '../catalog/schema.js';
import type { SqlValue } from '../catalog/values.js';
import type { Header, ProducerRecord } from '../log/log.js';
import type { PlanColumn, SinkStep } from '../plan/physical-plan.js';
import { type WindowBounds, windowedKeySerde } from '../serde/windowed-key.js';
import { keySerde, valueSerde } from '../statements/source-formats.js';

export type SinkEncoder = (
  key: readonly SqlValue[] | null,
  value: readonly SqlValue[] | null,
  timestamp: number,
  headers?: readonly Header[],
  window?: WindowBounds,
) => ProducerRecord;

export function sinkEncoder(
  sink: SinkStep,
  keyColumns: readonly PlanColumn[],
  valueColumns: readonly PlanColumn[],
): SinkEncoder {
  const schema = LogicalSchema.of([
    ...keyColumns.map((c) => ({ ...c, namespace: 'KEY' as const })),
    ...valueColumns.map((c) => ({ ...c, namespace: 'VALUE' as const })),
  ]);
  const keys = keySerde(schema, sink.keyFormat);
  const values = valueSerde(schema, sink.valueFormat);
  const keyless = keyColumns.length === 0;
  const window = sink.keyFormat.window;
  const windowed = window === undefined ? undefined : windowedKeySerde(keys, window.type, window.sizeMs);
  return (key, value, timestamp, headers, bounds) => {
    const record: ProducerRecord = {
      key:
        windowed !== undefined && bounds !== undefined
          ? windowed.serialize(key, bounds)
          : keyless || key === null
            ? null
            : keys.serialize(key),
      value: values.serialize(value),
      timestamp,
    };
    if (headers !== undefined && headers.length > 0) record.headers = headers;
    return record;
  };
}
