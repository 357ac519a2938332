/**
 * The repartition topics of a join query. A re-keyed side's records are read from its source
 * topic, keyed by the side's join expression and written to the side's repartition topic;
 * the join reads them back from there. The record's key is the join key in the other side's
 * key format, so Kafka's partitioner puts it in the partition that side's records of the
 * key are in; its value (JSON) is the side's whole row (key, value, header and pseudo
 * columns, as the source decoded it), its timestamp the row's event time, its headers the
 * source record's. A row whose join key is null goes with a null key (round robin).
 */
import { LogicalSchema } from '../../catalog/schema.js';
import type { SqlValue } from '../../catalog/values.js';
import { compileExpressionSafe } from '../../expr/compile.js';
import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { Log, LogRecord, ProducerRecord } from '../../log/log.js';
import type { JoinPipelinePlan, JoinSource, RepartitionStep } from '../../plan/join-plan.js';
import { JoinScope } from '../../plan/join-scope.js';
import type { RowSerde } from '../../serde/format.js';
import { keySerde, valueSerde } from '../../statements/source-formats.js';
import { type ProcessingLog, recordFailures } from '../processing-log.js';
import { type DecodedRow, sourceDecoder } from '../source-decoder.js';

const VALUE_FORMAT = { format: 'JSON' } as const;

/** The sources of a plan that are re-keyed through a topic, with their index. */
export function repartitionedSources(
  plan: JoinPipelinePlan,
): { index: number; source: JoinSource; step: RepartitionStep & { topic: string } }[] {
  const found: { index: number; source: JoinSource; step: RepartitionStep & { topic: string } }[] = [];
  plan.sources.forEach((source, index) => {
    const step = source.repartition;
    if (step?.topic !== undefined) found.push({ index, source, step: { ...step, topic: step.topic } });
  });
  return found;
}

export function repartitionTopics(plan: JoinPipelinePlan): string[] {
  return repartitionedSources(plan).map((r) => r.step.topic);
}

/** The repartition topic's schema: the join key, then every column of the side's row. */
function repartitionSchema(source: JoinSource, step: RepartitionStep): LogicalSchema {
  return LogicalSchema.of([
    { ...step.keyColumn, namespace: 'KEY' as const },
    ...source.step.columns.map((c) => ({ ...c, namespace: 'VALUE' as const })),
  ]);
}

/**
 * Creates the repartition topics a query writes, each with the largest partition count of
 * the topics it must line up with (the other side's), compacted never: a stream's records.
 */
export async function ensureRepartitionTopics(plan: JoinPipelinePlan, log: Log): Promise<void> {
  for (const { step } of repartitionedSources(plan)) {
    let partitions = 1;
    for (const topic of step.partitionsLike) {
      partitions = Math.max(partitions, (await log.describeTopic(topic))?.partitions ?? 1);
    }
    await log.ensureTopic(step.topic, { partitions, config: { cleanupPolicy: 'delete' } });
  }
}

/** Deletes the repartition topics of a terminated query. */
export async function deleteRepartitionTopics(plan: JoinPipelinePlan, log: Log): Promise<void> {
  for (const topic of repartitionTopics(plan)) await log.deleteTopic(topic).catch(() => false);
}

export type RepartitionWriter = (record: LogRecord, out: Map<string, ProducerRecord[]>) => void;

/**
 * Re-keys the records of the sources a plan repartitions: for a record of such a source's
 * topic, adds its repartition record to `out` (by repartition topic). Records the source
 * cannot decode go to the processing log, as the join would have sent them.
 */
export function repartitionWriter(
  plan: JoinPipelinePlan,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
): RepartitionWriter | undefined {
  const moving = repartitionedSources(plan);
  if (moving.length === 0) return undefined;
  const keyType = plan.columns[plan.columns.length - 1]!.type;
  const scope = new JoinScope(plan.sources, keyType, plan.syntheticKey?.name);
  const width = plan.columns.length;
  let current: LogRecord | undefined;
  const fail = recordFailures(processingLog, plan.queryId);
  const byTopic = new Map<string, ((record: LogRecord, out: Map<string, ProducerRecord[]>) => void)[]>();
  for (const { source, step } of moving) {
    const decode = sourceDecoder(source.step);
    const key = compileExpressionSafe(step.key, scope, registry, (err) => {
      if (current !== undefined) fail('expression', err, current);
    });
    const schema = repartitionSchema(source, step);
    const keys: RowSerde = keySerde(schema, step.keyFormat ?? { format: 'KAFKA' });
    const values: RowSerde = valueSerde(schema, VALUE_FORMAT);
    const row = new Array<SqlValue>(width).fill(null);
    const write = (record: LogRecord, out: Map<string, ProducerRecord[]>) => {
      let decoded: DecodedRow;
      try {
        decoded = decode(record);
      } catch (err) {
        const kind = err instanceof Error && err.name === 'TimestampError' ? 'timestamp' : 'deserialization';
        fail(kind, err, record);
        return;
      }
      // A stream's tombstone joins nothing.
      if (decoded.tombstone) return;
      for (let c = 0; c < decoded.values.length; c++) row[source.offset + c] = decoded.values[c] ?? null;
      const joinKey = key.evaluate(row);
      const produced: ProducerRecord = {
        key: joinKey === null ? null : keys.serialize([joinKey]),
        value: values.serialize(decoded.values),
        timestamp: decoded.timestamp,
      };
      if (record.headers.length > 0) produced.headers = record.headers;
      const list = out.get(step.topic);
      if (list === undefined) out.set(step.topic, [produced]);
      else list.push(produced);
    };
    byTopic.set(source.step.topic, [...(byTopic.get(source.step.topic) ?? []), write]);
  }
  return (record, out) => {
    current = record;
    for (const write of byTopic.get(record.topic) ?? []) write(record, out);
  };
}

/** Decodes a record of a repartition topic into the side's row, as its source would have. */
export function repartitionDecoder(source: JoinSource): (record: LogRecord) => DecodedRow {
  const step = source.repartition!;
  const values = valueSerde(repartitionSchema(source, step), VALUE_FORMAT);
  return (record) => {
    const row = values.deserialize(record.value);
    return {
      values: row ?? [],
      timestamp: record.timestamp,
      tombstone: row === null,
      nullKey: false,
    };
  };
}
