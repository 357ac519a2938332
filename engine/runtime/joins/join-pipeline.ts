/**
 * Builds the per-record function of a JoinPipelinePlan: decode the record of whichever source
 * it belongs to, feed it to its join, run the joined rows through WHERE and the projection.
 * Expressions are compiled once here.
 */
import { rowKey } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import { compileExpressionSafe } from '../../expr/compile.js';
import type { FunctionRegistry } from '../../expr/functions/function-types.js';
import type { LogRecord } from '../../log/log.js';
import type { JoinPipelinePlan } from '../../plan/join-plan.js';
import { JoinScope } from '../../plan/join-scope.js';
import { type ProcessingLog, recordFailures } from '../processing-log.js';
import { type DecodedRow, sourceDecoder } from '../source-decoder.js';
import { type OutputRow, sinkTimestamp } from '../stream-pipeline.js';
import type { EmitChange, JoinChange, JoinOperator } from './join-change.js';
import {
  ForeignKeyJoin,
  type JoinLayout,
  StreamStreamJoin,
  StreamTableJoin,
  TableTableJoin,
} from './join-operators.js';
import type { KeyedRows, WindowedJoinState } from './join-state.js';
import { repartitionDecoder } from './repartition.js';

export type JoinRecordProcessor = ((record: LogRecord, emit: (row: OutputRow) => void) => void) & {
  /** The table sides of the joins, to back with durable state. */
  readonly tables: readonly KeyedRows[];
  /** The stream buffers of the stream-stream joins, to back with durable state. */
  readonly windowed: readonly WindowedJoinState[];
  /** To call once the state has been loaded from a durable store. */
  readonly loaded: () => void;
};

export function compileJoinPipeline(
  plan: JoinPipelinePlan,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
): JoinRecordProcessor {
  const keyType = plan.columns[plan.columns.length - 1]!.type;
  const scope = new JoinScope(plan.sources, keyType, plan.syntheticKey?.name);
  const width = plan.columns.length;
  let current: LogRecord | undefined;
  const fail = recordFailures(processingLog, plan.queryId);
  const onExpressionError = (err: unknown) => {
    if (current !== undefined) fail('expression', err, current);
  };
  const compile = (e: Parameters<typeof compileExpressionSafe>[0]) =>
    compileExpressionSafe(e, scope, registry, onExpressionError);

  const operators: JoinOperator[] = plan.joins.map((step, i) => {
    const right = plan.sources[i + 1]!;
    const leftKey = compile(step.leftKey);
    const rightKey = compile(step.rightKey);
    const layout: JoinLayout = {
      width,
      keyIndex: scope.keyIndex,
      rightFrom: right.offset,
      rightTo: right.offset + right.step.columns.length,
      leftKey: (row) => leftKey.evaluate(row),
      rightKey: (row) => rightKey.evaluate(row),
    };
    const name = `Join-${i}`;
    switch (step.mode) {
      case 'STREAM_TABLE':
        return new StreamTableJoin(layout, step.joinKind, name);
      case 'TABLE_TABLE':
        return new TableTableJoin(layout, step.joinKind, name);
      case 'STREAM_STREAM':
        return new StreamStreamJoin(layout, step.joinKind, step.window!, name);
      case 'FOREIGN_KEY': {
        const pk = step.leftPrimaryKey![0]!;
        return new ForeignKeyJoin(layout, step.joinKind, (row) => row[pk] ?? null, name);
      }
      default:
        throw new Error(`unknown join mode ${String(step.mode)}`);
    }
  });

  const filters = plan.steps.map((s) => {
    const predicate = compile(s.predicate);
    return (row: readonly SqlValue[]) => predicate.evaluate(row) === true;
  });
  const keyExpressions = plan.project.key.map((k) => compile(k.expression));
  const valueExpressions = plan.project.value.map((v) => compile(v.expression));
  const table = plan.resultKind === 'TABLE';

  const outputTimestamp = sinkTimestamp(plan);
  // Keys of a table result whose last row passed WHERE: a row that stops passing deletes its
  // key; one that never passed is not mentioned.
  const live = new Set<string>();

  let emitRow: (row: OutputRow) => void = () => {};
  const finish: EmitChange = (change) => {
    const key = keyExpressions.map((k) => k.evaluate(change.row));
    if (change.deleted) {
      if (table) {
        live.delete(rowKey(key));
        emitRow({ key, value: null, timestamp: change.timestamp, headers: change.headers });
      }
      return;
    }
    for (const keep of filters) {
      if (!keep(change.row)) {
        if (table && live.delete(rowKey(key)))
          emitRow({ key, value: null, timestamp: change.timestamp, headers: change.headers });
        return;
      }
    }
    const value = valueExpressions.map((v) => v.evaluate(change.row));
    let timestamp = change.timestamp;
    if (outputTimestamp !== undefined) {
      try {
        timestamp = outputTimestamp(value);
      } catch (err) {
        if (current !== undefined) fail('timestamp', err, current);
        return;
      }
    }
    if (table && filters.length > 0) live.add(rowKey(key));
    emitRow({ key, value, timestamp, headers: change.headers });
  };
  // Join i's output feeds join i + 1's left input; the last join's, the projection.
  const outputs: EmitChange[] = operators.map((_, i) => {
    if (i === operators.length - 1) return finish;
    const next = operators[i + 1]!;
    return (change) => next.left(change, outputs[i + 1]!);
  });

  // A side re-keyed through a repartition topic is read from that topic (repartition.ts).
  const decoders = plan.sources.map((s) =>
    s.repartition?.topic === undefined ? sourceDecoder(s.step) : repartitionDecoder(s),
  );
  const byTopic = new Map<string, number[]>();
  plan.sources.forEach((s, i) => {
    const topic = s.repartition?.topic ?? s.step.topic;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), i]);
  });

  const process = (record: LogRecord, emit: (row: OutputRow) => void) => {
    current = record;
    emitRow = emit;
    for (const i of byTopic.get(record.topic) ?? []) {
      const source = plan.sources[i]!;
      let decoded: DecodedRow;
      try {
        decoded = decoders[i]!(record);
      } catch (err) {
        fail(
          err instanceof Error && err.name === 'TimestampError' ? 'timestamp' : 'deserialization',
          err,
          record,
        );
        continue;
      }
      const isTable = source.step.sourceKind === 'TABLE';
      if (isTable && decoded.nullKey) continue;
      if (!isTable && decoded.tombstone) continue;
      const row = new Array<SqlValue>(width).fill(null);
      const values = decoded.values;
      for (let c = 0; c < values.length; c++) row[source.offset + c] = values[c] ?? null;
      const change: JoinChange = {
        row,
        timestamp: decoded.timestamp,
        deleted: isTable && decoded.tombstone,
        headers: record.headers,
      };
      if (i === 0) operators[0]!.left(change, outputs[0]!);
      else operators[i - 1]!.right(change, outputs[i - 1]!);
    }
  };
  return Object.assign(process, {
    tables: operators.flatMap((o) => o.tables()),
    windowed: operators.flatMap((o) => o.windowed?.() ?? []),
    loaded: () => {
      for (const o of operators) o.loaded?.();
    },
  });
}
