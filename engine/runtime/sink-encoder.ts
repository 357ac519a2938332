/** Encodes output rows into Kafka records with the sink's key and value formats. */
import { LogicalSchema } from '../catalog/schema.js';
import type { SqlValue } from '../catalog/values.js';
import type { Header, ProducerRecord } from '../log/log.js';
import type { PlanColumn, SinkStep } from '../plan/physical-plan.js';
import { keySerde, valueSerde } from '../statements/source-formats.js';

export type SinkEncoder = (
  key: readonly SqlValue[] | null,
  value: readonly SqlValue[] | null,
  timestamp: number,
  headers?: readonly Header[],
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
  return (key, value, timestamp, headers) => {
    const record: ProducerRecord = {
      key: keyless || key === null ? null : keys.serialize(key),
      value: values.serialize(value),
      timestamp,
    };
    if (headers !== undefined && headers.length > 0) record.headers = headers;
    return record;
  };
}
