/**
 * The physical plan of a persistent or push query: a small, serialisable description of the
 * operators the runtime builds. Expressions stay as AST nodes and are compiled to closures by
 * the runtime once, when the query starts; columns are named and typed so that each step's
 * row layout is explicit.
 *
 * A row entering a step is the flat list of the step's `input` columns, in order.
 */
import type { Expression } from '../../parser/ast.js';
import type { FormatInfo, KeyFormatInfo, SourceKind, TimestampColumn } from '../catalog/data-source.js';
import type { SqlType } from '../catalog/types.js';
import type { JoinPipelinePlan } from './join-plan.js';

export interface PlanColumn {
  readonly name: string;
  readonly type: SqlType;
}

/** Reads a topic and decodes records into rows of `columns` (key, value, headers, pseudo columns). */
export interface SourceStep {
  readonly kind: 'Source';
  readonly sourceName: string;
  readonly sourceKind: SourceKind;
  /** Names the query may qualify columns with: the source name and its alias. */
  readonly qualifiers: readonly string[];
  readonly topic: string;
  readonly keyColumns: readonly PlanColumn[];
  readonly valueColumns: readonly PlanColumn[];
  /** HEADERS / HEADER('k') columns: name and header key (absent: all headers). */
  readonly headerColumns: readonly { readonly name: string; readonly headerKey?: string }[];
  readonly keyFormat: KeyFormatInfo;
  readonly valueFormat: FormatInfo;
  readonly timestamp?: TimestampColumn;
  /** The flat row: key, value, header columns, then ROWTIME, ROWPARTITION, ROWOFFSET (+ window bounds). */
  readonly columns: readonly PlanColumn[];
}

/** Keeps rows whose predicate is TRUE. */
export interface FilterStep {
  readonly kind: 'Filter';
  readonly predicate: Expression;
}

/** One table function per output column position, expanded as ksqlDB does (zip, padded with nulls). */
export interface FlatMapStep {
  readonly kind: 'FlatMap';
  readonly functions: readonly Expression[];
  /** The row after the step: the input columns followed by one column per function. */
  readonly columns: readonly PlanColumn[];
}

/** Computes the output key and value columns from the input row. */
export interface ProjectStep {
  readonly kind: 'Project';
  readonly key: readonly { readonly column: PlanColumn; readonly expression: Expression }[];
  readonly value: readonly { readonly column: PlanColumn; readonly expression: Expression }[];
  /**
   * The key columns are the source's own key passed through (no PARTITION BY): a record
   * without a key then keeps a null key rather than a key of nulls.
   */
  readonly keyFromSource?: boolean;
  /** When set, the output record's timestamp is this value column (TIMESTAMP property of the sink). */
  readonly timestamp?: TimestampColumn;
}

/** Encodes key and value and appends to the sink topic. */
export interface SinkStep {
  readonly kind: 'Sink';
  readonly sinkName: string;
  readonly topic: string;
  readonly keyFormat: KeyFormatInfo;
  readonly valueFormat: FormatInfo;
}

/**
 * GROUP BY without a window: one accumulator per aggregate call per group, updated by every
 * input row; each update emits the group's new row (key columns, then aggregate results),
 * which HAVING and the projection then see. Group expressions and aggregate calls are
 * matched in later expressions by their text.
 */
export interface AggregateStep {
  readonly kind: 'Aggregate';
  readonly groupBy: readonly Expression[];
  readonly aggregates: readonly Expression[];
  /**
   * The row after the step: one column per group expression, then one per aggregate, then
   * WINDOWSTART and WINDOWEND when windowed.
   */
  readonly columns: readonly PlanColumn[];
  readonly having?: Expression;
  /** WINDOW: one group per key and window; the output key is windowed. */
  readonly window?: WindowSpec;
  /** EMIT FINAL: a window's row is emitted once, when the window closes (end + grace). */
  readonly emitFinal?: boolean;
}

/**
 * A window of an aggregation, all times in milliseconds. TUMBLING is HOPPING with an advance
 * equal to its size; for SESSION, `sizeMs` is the inactivity gap. A record is late, and
 * dropped, when its window ended `graceMs` or more before the stream time. State is kept for
 * `retentionMs` after a window's start (after a session's end).
 */
export interface WindowSpec {
  readonly type: 'TUMBLING' | 'HOPPING' | 'SESSION';
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;
  readonly retentionMs: number;
}

export type PlanStep = SourceStep | FilterStep | FlatMapStep | AggregateStep | ProjectStep | SinkStep;

/** A linear pipeline over one source: Source, then Filter/FlatMap, then Project, then Sink. */
export interface StreamPipelinePlan {
  readonly kind: 'StreamPipeline';
  readonly queryId: string;
  readonly source: SourceStep;
  readonly steps: readonly (FilterStep | FlatMapStep)[];
  /** GROUP BY: present for aggregations, whose projection reads the aggregate's rows. */
  readonly aggregate?: AggregateStep;
  readonly project: ProjectStep;
  /** Absent for a push query, whose rows go to the client. */
  readonly sink?: SinkStep;
}

export type PhysicalPlan = StreamPipelinePlan | JoinPipelinePlan;
