/**
 * Builds the per-record function of a StreamPipelinePlan: decode, filter, project. Every
 * expression is compiled once here; per record the work is a chain of closure calls.
 * A record that fails to decode, or whose timestamp cannot be read, goes to the processing
 * log and is skipped; an expression that fails yields null for its column (a failed WHERE
 * drops the row), and is logged, as ksqlDB does.
 */

import { ColumnScope } from '../analyzer/column-scope.js';
import type { SqlValue } from '../catalog/values.js';
import { compileExpression } from '../expr/compile.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { Header, LogRecord } from '../log/log.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import type { ProcessingLog } from './processing-log.js';
import { sourceDecoder } from './source-decoder.js';

export interface OutputRow {
  readonly key: SqlValue[];
  /** Null for a record whose value was null: the projection passes it through, as ksqlDB does. */
  readonly value: SqlValue[] | null;
  readonly timestamp: number;
  /** The input record's headers, which the output record carries on, as Kafka Streams does. */
  readonly headers: readonly Header[];
}

export type RecordProcessor = (record: LogRecord, emit: (row: OutputRow) => void) => void;

export function compileStreamPipeline(
  plan: StreamPipelinePlan,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
): RecordProcessor {
  const decode = sourceDecoder(plan.source);
  const scope = new ColumnScope(plan.source.columns, plan.source.qualifiers);
  const fail = (kind: 'deserialization' | 'expression' | 'timestamp', err: unknown, record: LogRecord) =>
    processingLog.record({
      queryId: plan.queryId,
      kind,
      message: err instanceof Error ? err.message : String(err),
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    });

  const filters: ((row: readonly SqlValue[]) => boolean)[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'Filter') {
      const predicate = compileExpression(step.predicate, scope, registry);
      filters.push((row) => predicate.evaluate(row) === true);
    } else {
      throw new Error('FlatMap steps are not supported by this runtime yet');
    }
  }
  const keyExpressions = plan.project.key.map((k) => compileExpression(k.expression, scope, registry));
  const valueExpressions = plan.project.value.map((v) => compileExpression(v.expression, scope, registry));

  return (record, emit) => {
    let decoded: ReturnType<typeof decode>;
    try {
      decoded = decode(record);
    } catch (err) {
      fail(
        err instanceof Error && err.name === 'TimestampError' ? 'timestamp' : 'deserialization',
        err,
        record,
      );
      return;
    }
    const row = decoded.values;
    const evaluate = (expressions: typeof keyExpressions): SqlValue[] =>
      expressions.map((e) => {
        try {
          return e.evaluate(row);
        } catch (err) {
          fail('expression', err, record);
          return null;
        }
      });
    if (decoded.tombstone) {
      // A null value has no columns to filter or project: ksqlDB drops it when there is a
      // WHERE and passes it on as a null value otherwise.
      if (filters.length === 0)
        emit({
          key: evaluate(keyExpressions),
          value: null,
          timestamp: decoded.timestamp,
          headers: record.headers,
        });
      return;
    }
    for (const keep of filters) {
      try {
        if (!keep(row)) return;
      } catch (err) {
        fail('expression', err, record);
        return;
      }
    }
    emit({
      key: evaluate(keyExpressions),
      value: evaluate(valueExpressions),
      timestamp: decoded.timestamp,
      headers: record.headers,
    });
  };
}
