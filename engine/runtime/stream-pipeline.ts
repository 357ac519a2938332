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
import type { LogRecord } from '../log/log.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import type { ProcessingLog } from './processing-log.js';
import { sourceDecoder } from './source-decoder.js';

export interface OutputRow {
  readonly key: SqlValue[];
  readonly value: SqlValue[];
  readonly timestamp: number;
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
    // Streams have no tombstones; ksqlDB drops stream records whose value is null.
    if (decoded.tombstone) return;
    const row = decoded.values;
    for (const keep of filters) {
      try {
        if (!keep(row)) return;
      } catch (err) {
        fail('expression', err, record);
        return;
      }
    }
    const evaluate = (expressions: typeof keyExpressions): SqlValue[] =>
      expressions.map((e) => {
        try {
          return e.evaluate(row);
        } catch (err) {
          fail('expression', err, record);
          return null;
        }
      });
    emit({ key: evaluate(keyExpressions), value: evaluate(valueExpressions), timestamp: decoded.timestamp });
  };
}
