/**
 * SELECT: the query shared by push queries, pull queries, CREATE ... AS SELECT and INSERT INTO.
 *
 * Whether a query is a push or a pull query is not decided here: `emit` records what was
 * written, and the engine applies ksqlDB's rule (a top-level SELECT without EMIT is a pull
 * query; a persistent query without EMIT emits changes).
 */
import type { Duration, Expression } from './expressions.js';
import type { SourceLocation } from './location.js';

/** `expression [AS alias]`. */
export interface SingleColumn {
  readonly kind: 'SingleColumn';
  readonly expression: Expression;
  readonly alias?: string;
  readonly location?: SourceLocation;
}
/** `*` or `source.*`. */
export interface AllColumns {
  readonly kind: 'AllColumns';
  readonly source?: string;
  readonly location?: SourceLocation;
}
/** `struct->*`: every field of a STRUCT expression as a column. */
export interface AllStructFields {
  readonly kind: 'AllStructFields';
  readonly base: Expression;
  readonly location?: SourceLocation;
}
export type SelectItem = SingleColumn | AllColumns | AllStructFields;

/** A source in FROM or JOIN, with the alias written after it, if any. */
export interface AliasedRelation {
  readonly kind: 'AliasedRelation';
  readonly name: string;
  readonly alias?: string;
  readonly location?: SourceLocation;
}

/** `WITHIN n unit` (after absent: the same size either side) or `WITHIN (before, after)`. */
export interface WithinExpression {
  readonly before: Duration;
  readonly after?: Duration;
  readonly grace?: Duration;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface JoinedSource {
  readonly kind: 'JoinedSource';
  readonly type: JoinType;
  readonly relation: AliasedRelation;
  readonly within?: WithinExpression;
  readonly on: Expression;
  readonly location?: SourceLocation;
}

/** `FROM a JOIN b ... JOIN c ...`: evaluated left to right. */
export interface Join {
  readonly kind: 'Join';
  readonly left: AliasedRelation;
  readonly joins: readonly JoinedSource[];
}

export type Relation = AliasedRelation | Join;

interface WindowBase {
  readonly retention?: Duration;
  readonly grace?: Duration;
  /** The optional name written before the window kind; ksqlDB ignores it. */
  readonly name?: string;
}
export interface TumblingWindow extends WindowBase {
  readonly kind: 'TumblingWindow';
  readonly size: Duration;
}
export interface HoppingWindow extends WindowBase {
  readonly kind: 'HoppingWindow';
  readonly size: Duration;
  readonly advance: Duration;
}
export interface SessionWindow extends WindowBase {
  readonly kind: 'SessionWindow';
  /** The inactivity gap. */
  readonly gap: Duration;
}
export type WindowExpression = TumblingWindow | HoppingWindow | SessionWindow;

export type ResultMaterialization = 'CHANGES' | 'FINAL';

/** One key of ORDER BY: `expression [ASC | DESC] [NULLS FIRST | NULLS LAST]`, as written. */
export interface SortItem {
  readonly kind: 'SortItem';
  readonly expression: Expression;
  readonly ordering?: 'ASC' | 'DESC';
  readonly nulls?: 'FIRST' | 'LAST';
  readonly location?: SourceLocation;
}

/**
 * `ORDER BY key, ...`: a Sluice extension (ksqlDB's grammar has none). Only pull queries answered
 * by DuckDB (`sluice.query.pull.sql.enabled`) run it; everywhere else it is refused
 * (parser/order-by-refusal.ts). `location` is the ORDER keyword's, `byLocation` the BY keyword's.
 */
export interface OrderBy {
  readonly kind: 'OrderBy';
  readonly items: readonly SortItem[];
  readonly location?: SourceLocation;
  readonly byLocation?: SourceLocation;
}

export interface Query {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window?: WindowExpression;
  readonly where?: Expression;
  /** GROUP BY expressions; `GROUP BY ()` is an empty list. */
  readonly groupBy?: readonly Expression[];
  readonly partitionBy?: readonly Expression[];
  readonly having?: Expression;
  readonly orderBy?: OrderBy;
  readonly emit?: ResultMaterialization;
  readonly limit?: number;
  readonly location?: SourceLocation;
}
