/**
 * The physical plan of a join query: several sources read through one reader, combined by a
 * left-deep chain of binary joins, then filtered, projected and written like any pipeline.
 *
 * The joined row is flat: each source's columns (key, value, headers, pseudo columns) in
 * source order, each source at its own offset, then the synthetic key column when the join
 * has one. A row of a partial join (sources 0..i) has the later sources' columns null.
 * Expressions are AST nodes compiled by the runtime over `JoinScope` (join-scope.ts).
 */
import type { Expression } from '../../parser/ast.js';
import type { FormatInfo } from '../catalog/data-source.js';
import type { FilterStep, PlanColumn, ProjectStep, SinkStep, SourceStep } from './physical-plan.js';

export type JoinKind = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * How the two sides meet:
 * - STREAM_STREAM: records within a time window of each other (both sides buffered).
 * - STREAM_TABLE: a stream record looks up the table as it stands when the record is processed.
 * - TABLE_TABLE: both sides are tables on the same (primary) key; a change on either side
 *   updates the result row of that key.
 * - FOREIGN_KEY: a left table's column (expression) names the right table's primary key; the
 *   result is keyed by the left table's primary key.
 */
export type JoinMode = 'STREAM_STREAM' | 'STREAM_TABLE' | 'TABLE_TABLE' | 'FOREIGN_KEY';

export interface JoinWindow {
  /** A left record at t joins right records at [t - beforeMs, t + afterMs]. */
  readonly beforeMs: number;
  readonly afterMs: number;
  /**
   * GRACE PERIOD. Without one, outer joins emit a non-match at once (and again when a match
   * arrives later), and buffers keep 24 hours; with one, a non-match is emitted only when the
   * record's window has closed (stream time past its window end plus the grace period).
   */
  readonly graceMs?: number;
}

export interface JoinStep {
  readonly kind: 'Join';
  readonly joinKind: JoinKind;
  readonly mode: JoinMode;
  /** The join expression over the left input (sources 0..i), over the joined row. */
  readonly leftKey: Expression;
  /** The join expression over the right source (source i + 1), over the joined row. */
  readonly rightKey: Expression;
  /** STREAM_STREAM only. */
  readonly window?: JoinWindow;
  /** FOREIGN_KEY only: the left table's primary key columns (joined-row indexes), which key the result. */
  readonly leftPrimaryKey?: readonly number[];
}

/**
 * A stream side whose key is not its join expression: the query writes its records, keyed by
 * the join expression, to an internal topic and joins what it reads back from there, so rows
 * of one join key meet in one partition (as ksqlDB's `<name>-repartition` topics).
 */
export interface RepartitionStep {
  readonly kind: 'Repartition';
  /** ksqlDB's node name: `Join-left`, `Join-right`, `Join` (stream-table), `L_Join-left`, ... */
  readonly name: string;
  /** `_confluent-ksql-<service id>query_<query id>-<name>-repartition`; absent in a push query. */
  readonly topic?: string;
  /** The side's join expression, over the joined row: the records' new key. */
  readonly key: Expression;
  readonly keyColumn: PlanColumn;
  /** The key format of the other side (so both hash a key alike); absent: the default key format. */
  readonly keyFormat?: FormatInfo;
  /** The topics whose largest partition count the repartition topic takes (the other side's when it is not re-keyed). */
  readonly partitionsLike: readonly string[];
}

export interface JoinSource {
  readonly step: SourceStep;
  /** Set when the source is re-keyed through a repartition topic before it is joined. */
  readonly repartition?: RepartitionStep;
  /** Where the source's columns start in the joined row. */
  readonly offset: number;
  /** The name the query refers to the source by (its alias, else its name): the prefix of its columns. */
  readonly alias: string;
}

export interface JoinPipelinePlan {
  readonly kind: 'JoinPipeline';
  readonly queryId: string;
  readonly sources: readonly JoinSource[];
  /** joins[i] joins the result of sources 0..i with source i + 1. */
  readonly joins: readonly JoinStep[];
  /** The joined row: every source's columns prefixed with its alias, then the synthetic key. */
  readonly columns: readonly PlanColumn[];
  /** The synthetic key column (FULL joins, joins on expressions), last in the joined row. */
  readonly syntheticKey?: PlanColumn;
  /** Whether the result is a table (table-table joins) or a stream. */
  readonly resultKind: 'STREAM' | 'TABLE';
  /** WHERE over the joined row. */
  readonly steps: readonly FilterStep[];
  readonly project: ProjectStep;
  /** Absent for a push query. */
  readonly sink?: SinkStep;
}
