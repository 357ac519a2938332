/**
 * Builds the per-record function of a StreamPipelinePlan: decode, filter, project. Every
 * expression is compiled once here; per record the work is a chain of closure calls.
 * A record that fails to decode, or whose timestamp cannot be read, goes to the processing
 * log and is skipped; an expression that fails yields null for its column (a failed WHERE
 * drops the row), and is logged, as ksqlDB does.
 */

import type { FunctionCall } from '../../parser/ast.js';
import { formatExpression } from '../../parser/format.js';
import { rowKey } from '../catalog/value-compare.js';
import type { SqlValue } from '../catalog/values.js';
import { compileExpressionSafe } from '../expr/compile.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import { compileTableCall } from '../expr/table-call.js';
import type { Header, LogRecord } from '../log/log.js';
import { ColumnScope } from '../plan/column-scope.js';
import type { StreamPipelinePlan } from '../plan/physical-plan.js';
import type { WindowBounds } from '../serde/windowed-key.js';
import type { KeyValueStore, StateRow, WindowStore } from '../state/state-store.js';
import { type AggregateOperator, type AggregateOutput, compileAggregator } from './aggregator.js';
import { FinalEmitBuffer } from './final-emit-buffer.js';
import { type ProcessingLog, recordFailures } from './processing-log.js';
import { type DecodedRow, sourceDecoder } from './source-decoder.js';
import { compileTableAggregator, type TableAggregateOperator } from './table-aggregator.js';
import { stringTimestampParser, TimestampError } from './timestamps.js';
import { compileWindowAggregator } from './window-aggregator.js';

export interface OutputRow {
  /** Null when the input had no key and the output keeps the source's key. */
  readonly key: SqlValue[] | null;
  /** Null for a record whose value was null: the projection passes it through, as ksqlDB does. */
  readonly value: SqlValue[] | null;
  readonly timestamp: number;
  /** The input record's headers, which the output record carries on, as Kafka Streams does. */
  readonly headers: readonly Header[];
  /** The window of the input's windowed key, carried to a sink that keeps that key. */
  readonly window?: WindowBounds;
}

export type RecordProcessor = (record: LogRecord, emit: (row: OutputRow) => void) => void;

/**
 * A pipeline run batch by batch: a stateful pipeline first decodes the batch and prefetches
 * the state its records touch, so processing each record is synchronous.
 */
export interface BatchPipeline {
  processBatch(records: readonly LogRecord[], emit: (row: OutputRow) => void): Promise<void>;
  /** Records an aggregation dropped because their windows had closed. */
  lateRecords(): number;
  /** Tells the pipeline its state was committed (EMIT FINAL's rows held so far are stored). */
  committed(): void;
}

/**
 * The state stores of an aggregation: its groups (a window store when windowed), over a
 * table the table's rows, and with EMIT FINAL the rows held until their windows close.
 */
export interface PipelineStores {
  readonly groups: KeyValueStore | WindowStore;
  readonly sourceTable?: KeyValueStore;
  readonly suppressed?: WindowStore;
}

/** A stateless pipeline, record by record (push queries, stateless persistent queries). */
export function compileStreamPipeline(
  plan: StreamPipelinePlan,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
): RecordProcessor {
  if (plan.aggregate !== undefined)
    throw new Error('an aggregation needs a state store: use compileBatchPipeline');
  const pipeline = buildPipeline(plan, registry, processingLog, undefined);
  return (record, emit) => pipeline.run(record, undefined, emit);
}

export function compileBatchPipeline(
  plan: StreamPipelinePlan,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
  stores: PipelineStores | undefined,
): BatchPipeline {
  const pipeline = buildPipeline(plan, registry, processingLog, stores);
  const aggregator = pipeline.aggregator;
  const tableAggregator = pipeline.tableAggregator;
  if (tableAggregator !== undefined) return tableBatchPipeline(pipeline, tableAggregator);
  if (aggregator === undefined) {
    return {
      async processBatch(records, emit) {
        for (const record of records) pipeline.run(record, undefined, emit);
      },
      lateRecords: () => 0,
      committed: () => {},
    };
  }
  const finalBuffer = pipeline.finalBuffer;
  return {
    async processBatch(records, emit) {
      const staged: (Staged | undefined)[] = new Array(records.length);
      const keys: SqlValue[][] = [];
      for (let i = 0; i < records.length; i++) {
        const s = pipeline.stage(records[i]!);
        staged[i] = s;
        if (s?.kind === 'group') keys.push(s.key);
      }
      if (keys.length > 0) {
        if (finalBuffer === undefined) await aggregator.store.prefetch(keys);
        else {
          // The stream time the batch reaches: the windows closing by then have rows to read.
          let time = aggregator.streamTime();
          for (const s of staged)
            if (s?.kind === 'group' && s.decoded.timestamp > time) time = s.decoded.timestamp;
          await Promise.all([aggregator.store.prefetch(keys), finalBuffer.prepare(time)]);
        }
      }
      for (let i = 0; i < records.length; i++) pipeline.run(records[i]!, staged[i] ?? null, emit);
    },
    lateRecords: () => aggregator.lateRecords(),
    committed: () => finalBuffer?.committed(),
  };
}

/**
 * Over a table, the source rows a batch touches are loaded first; then the batch's changes
 * are replayed on the side to find the groups of every old and new row, which are loaded
 * before the batch runs.
 */
function tableBatchPipeline(pipeline: BuiltPipeline, aggregator: TableAggregateOperator): BatchPipeline {
  return {
    async processBatch(records, emit) {
      const staged: (Staged | undefined)[] = records.map((r) => pipeline.stage(r));
      const changes = staged.filter((s): s is TableStaged => s?.kind === 'table');
      if (changes.length > 0) {
        await aggregator.sourceStore.prefetch(changes.map((c) => c.sourceKey));
        const latest = new Map<string, readonly SqlValue[] | null>();
        const groups: SqlValue[][] = [];
        pipeline.quietly(() => {
          for (const c of changes) {
            const id = rowKey(c.sourceKey);
            const old = latest.has(id) ? latest.get(id) : aggregator.sourceStore.get(c.sourceKey);
            const oldKey = old === undefined || old === null ? undefined : aggregator.groupKey(old);
            if (oldKey !== undefined) groups.push(oldKey);
            const newKey = c.row === null ? undefined : aggregator.groupKey(c.row);
            if (newKey !== undefined) groups.push(newKey);
            latest.set(id, c.row);
          }
        });
        if (groups.length > 0) await aggregator.groupStore.prefetch(groups);
      }
      for (let i = 0; i < records.length; i++) pipeline.run(records[i]!, staged[i] ?? null, emit);
    },
    lateRecords: () => 0,
    committed: () => {},
  };
}

/** A record of an aggregation, decoded and grouped before its batch runs. */
interface GroupStaged {
  readonly kind: 'group';
  readonly decoded: DecodedRow;
  readonly key: SqlValue[];
}

/** A change of a table an aggregation reads: the row of `sourceKey` is now `row` (null: gone). */
interface TableStaged {
  readonly kind: 'table';
  readonly decoded: DecodedRow;
  readonly sourceKey: StateRow;
  readonly row: readonly SqlValue[] | null;
}

type Staged = GroupStaged | TableStaged;

interface BuiltPipeline {
  readonly aggregator: AggregateOperator | undefined;
  readonly tableAggregator: TableAggregateOperator | undefined;
  readonly finalBuffer: FinalEmitBuffer | undefined;
  /** Runs `work` without logging expression errors (a dry run whose records run later). */
  quietly(work: () => void): void;
  /** Decodes, filters and groups a record for an aggregation; undefined: nothing to aggregate. */
  stage(record: LogRecord): Staged | undefined;
  /**
   * Runs one record: `staged` is its staging (null: staged to nothing; undefined: a pipeline
   * without aggregation, which decodes here).
   */
  run(record: LogRecord, staged: Staged | null | undefined, emit: (row: OutputRow) => void): void;
}

function buildPipeline(
  plan: StreamPipelinePlan,
  registry: FunctionRegistry,
  processingLog: ProcessingLog,
  stores: PipelineStores | undefined,
): BuiltPipeline {
  const decode = sourceDecoder(plan.source);
  const scope = new ColumnScope(plan.source.columns, plan.source.qualifiers);
  const fail = recordFailures(processingLog, plan.queryId);

  // Expressions report failures (a bad CAST, a function that throws) here and evaluate to
  // null, as ksqlDB does; the record being processed names the failure in the processing log.
  let current: LogRecord | undefined;
  let quiet = false;
  const onExpressionError = (err: unknown) => {
    if (current !== undefined && !quiet) fail('expression', err, current);
  };
  const quietly = (work: () => void) => {
    quiet = true;
    try {
      work();
    } finally {
      quiet = false;
    }
  };
  const filters: ((row: readonly SqlValue[]) => boolean)[] = [];
  let flatMap: ((row: SqlValue[]) => SqlValue[][]) | undefined;
  let projectScope = scope;
  for (const step of plan.steps) {
    if (step.kind === 'Filter') {
      const predicate = compileExpressionSafe(step.predicate, scope, registry, onExpressionError);
      filters.push((row) => predicate.evaluate(row) === true);
    } else {
      const calls = step.functions.map((f) => compileTableCall(f as FunctionCall, scope, registry));
      const computed = new Map(
        step.functions.map((f, i) => [
          formatExpression(f),
          { index: scope.columns.length + i, type: calls[i]!.type },
        ]),
      );
      projectScope = new ColumnScope(step.columns, plan.source.qualifiers, computed);
      flatMap = (row) => {
        // ksqlDB zips the functions' outputs: as many rows as the longest, shorter ones padded with null.
        const outputs = calls.map((c) => c.evaluate(row));
        const count = Math.max(0, ...outputs.map((o) => o.length));
        const rows: SqlValue[][] = [];
        for (let i = 0; i < count; i++) rows.push([...row, ...outputs.map((o) => o[i] ?? null)]);
        return rows;
      };
    }
  }
  let aggregator: AggregateOperator | undefined;
  let tableAggregator: TableAggregateOperator | undefined;
  let finalBuffer: FinalEmitBuffer | undefined;
  if (plan.aggregate !== undefined) {
    const step = plan.aggregate;
    const computed = new Map(
      [...step.groupBy, ...step.aggregates].map((e, index) => [
        formatExpression(e),
        { index, type: step.columns[index]!.type },
      ]),
    );
    projectScope = new ColumnScope(step.columns, [], computed);
    let having: ((row: readonly SqlValue[]) => boolean) | undefined;
    if (step.having !== undefined) {
      const predicate = compileExpressionSafe(step.having, projectScope, registry, onExpressionError);
      having = (row) => predicate.evaluate(row) === true;
    }
    if (stores === undefined) throw new Error(`query ${plan.queryId}: an aggregation needs a state store`);
    const store = stores.groups;
    const parts = {
      step,
      scope,
      registry,
      onError: onExpressionError,
      ...(having === undefined ? {} : { having }),
    };
    if (step.window === undefined && plan.source.sourceKind === 'TABLE') {
      if (store.kind !== 'keyValue' || stores.sourceTable === undefined)
        throw new Error('GROUP BY over a table keeps its groups and rows in key-value stores');
      tableAggregator = compileTableAggregator(parts, stores.sourceTable, store);
    } else if (step.window === undefined) {
      if (store.kind !== 'keyValue') throw new Error('GROUP BY keeps its groups in a key-value store');
      aggregator = compileAggregator(parts, store);
    } else {
      if (store.kind !== 'window') throw new Error('a windowed GROUP BY keeps its groups in a window store');
      aggregator = compileWindowAggregator(parts, store);
      if (step.emitFinal === true) {
        if (stores.suppressed === undefined)
          throw new Error(`query ${plan.queryId}: EMIT FINAL holds its rows in a window store`);
        finalBuffer = new FinalEmitBuffer(step.window.graceMs, stores.suppressed);
      }
    }
  }
  const keyExpressions = plan.project.key.map((k) =>
    compileExpressionSafe(k.expression, projectScope, registry, onExpressionError),
  );
  const valueExpressions = plan.project.value.map((v) =>
    compileExpressionSafe(v.expression, projectScope, registry, onExpressionError),
  );

  const outputTimestamp = sinkTimestamp(plan);
  const keepsNullKey = plan.project.keyFromSource === true;
  const table = plan.source.sourceKind === 'TABLE';

  const evaluateAll = (
    expressions: readonly { evaluate(row: readonly SqlValue[]): SqlValue }[],
    row: readonly SqlValue[],
  ) => expressions.map((e) => e.evaluate(row));
  /** Emits the output row for `row` (value null: a delete), built once per record, not per closure. */
  const project = (
    record: LogRecord,
    decoded: DecodedRow,
    row: readonly SqlValue[],
    withValue: boolean,
    emit: (row: OutputRow) => void,
    aggregated?: AggregateOutput,
  ): void => {
    const value = withValue ? evaluateAll(valueExpressions, row) : null;
    let timestamp = aggregated === undefined ? decoded.timestamp : aggregated.timestamp;
    if (outputTimestamp !== undefined && value !== null) {
      try {
        timestamp = outputTimestamp(value);
      } catch (err) {
        fail('timestamp', err, record);
        return;
      }
    }
    const key = keepsNullKey && decoded.nullKey ? null : evaluateAll(keyExpressions, row);
    const out: OutputRow = { key, value, timestamp, headers: record.headers };
    const window = aggregated === undefined ? decoded.window : aggregated.window;
    emit(window === undefined ? out : { ...out, window });
  };

  /** Decodes a record; undefined (and logged) when it cannot be. */
  const decodeOrLog = (record: LogRecord): DecodedRow | undefined => {
    try {
      return decode(record);
    } catch (err) {
      fail(
        err instanceof Error && err.name === 'TimestampError' ? 'timestamp' : 'deserialization',
        err,
        record,
      );
      return undefined;
    }
  };

  const keyCount = plan.source.keyColumns.length;
  const stage = (record: LogRecord): Staged | undefined => {
    current = record;
    const decoded = decodeOrLog(record);
    if (decoded === undefined) return undefined;
    if (tableAggregator !== undefined) {
      // A table row without a key is no row; a tombstone, or a row the WHERE drops, deletes it.
      if (decoded.nullKey) return undefined;
      const kept = !decoded.tombstone && filters.every((keep) => keep(decoded.values));
      return {
        kind: 'table',
        decoded,
        sourceKey: decoded.values.slice(0, keyCount),
        row: kept ? decoded.values : null,
      };
    }
    // A null value has no columns to group: ksqlDB drops it from an aggregation.
    if (decoded.tombstone || aggregator === undefined) return undefined;
    for (const keep of filters) if (!keep(decoded.values)) return undefined;
    const key = aggregator.groupKey(decoded.values);
    return key === undefined ? undefined : { kind: 'group', decoded, key };
  };

  const expired = (window: WindowBounds) => aggregator?.expired?.(window) ?? false;
  const runTableAggregate = (
    record: LogRecord,
    staged: TableStaged,
    emit: (row: OutputRow) => void,
  ): void => {
    const { decoded } = staged;
    tableAggregator!.process(
      staged.sourceKey,
      staged.row,
      {
        row: decoded.values,
        offset: record.offset,
        partition: record.partition,
        timestamp: decoded.timestamp,
      },
      (change) => project(record, decoded, change.row, !change.deleted, emit, change),
    );
  };
  const runAggregate = (record: LogRecord, staged: GroupStaged, emit: (row: OutputRow) => void): void => {
    const { decoded, key } = staged;
    const out = finalBuffer === undefined ? emit : (row: OutputRow) => finalBuffer.hold(row);
    aggregator!.process(
      key,
      {
        row: decoded.values,
        offset: record.offset,
        partition: record.partition,
        timestamp: decoded.timestamp,
      },
      (change) => project(record, decoded, change.row, !change.deleted, out, change),
    );
    finalBuffer?.flush(aggregator!.streamTime(), emit, expired);
  };

  const run = (
    record: LogRecord,
    staged: Staged | null | undefined,
    emit: (row: OutputRow) => void,
  ): void => {
    if (staged !== undefined) {
      current = record;
      if (staged?.kind === 'group') runAggregate(record, staged, emit);
      else if (staged?.kind === 'table') runTableAggregate(record, staged, emit);
      return;
    }
    current = record;
    const decoded = decodeOrLog(record);
    if (decoded === undefined) return;
    const input = decoded.values;
    if (table) {
      // A table row needs its key; a tombstone, or a row the WHERE removes, deletes the key
      // downstream, as a changelog does.
      if (decoded.nullKey) return;
      if (decoded.tombstone || !filters.every((keep) => keep(input))) {
        project(record, decoded, input, false, emit);
        return;
      }
      project(record, decoded, input, true, emit);
      return;
    }
    if (decoded.tombstone) {
      // A null value has no columns to filter, aggregate or project: ksqlDB drops it when there
      // is a WHERE or a GROUP BY, and passes it on as a null value otherwise.
      if (filters.length === 0 && flatMap === undefined && aggregator === undefined)
        project(record, decoded, input, false, emit);
      return;
    }
    for (const keep of filters) if (!keep(input)) return;
    if (aggregator !== undefined) {
      const staged = stage(record);
      if (staged?.kind === 'group') runAggregate(record, staged, emit);
      return;
    }
    if (flatMap === undefined) {
      project(record, decoded, input, true, emit);
      return;
    }
    let rows: SqlValue[][];
    try {
      rows = flatMap(input);
    } catch (err) {
      fail('expression', err, record);
      return;
    }
    for (const row of rows) project(record, decoded, row, true, emit);
  };
  return { aggregator, tableAggregator, finalBuffer, quietly, stage, run };
}

/**
 * The output record's timestamp from a value column, when the sink sets TIMESTAMP (plain and
 * join pipelines alike).
 */
export function sinkTimestamp(plan: {
  readonly project: Pick<StreamPipelinePlan['project'], 'timestamp' | 'value'>;
}): ((value: readonly SqlValue[]) => number) | undefined {
  const column = plan.project.timestamp;
  if (column === undefined) return undefined;
  const index = plan.project.value.findIndex((v) => v.column.name === column.column);
  if (index < 0) return undefined;
  const parse =
    plan.project.value[index]!.column.type.kind === 'STRING'
      ? stringTimestampParser(column.format ?? "yyyy-MM-dd'T'HH:mm:ss.SSS")
      : undefined;
  return (value) => {
    const v = value[index];
    if (v === null || v === undefined) throw new TimestampError(`Timestamp column ${column.column} is null`);
    const ms = parse === undefined ? Number(v) : parse(String(v));
    if (ms < 0) throw new TimestampError(`Timestamp column ${column.column} is negative: ${ms}`);
    return ms;
  };
}
