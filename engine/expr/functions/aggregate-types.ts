/**
 * The contract between the aggregate functions and the aggregation operator.
 *
 * An aggregate call is resolved once per call site, like a scalar call, against declarations
 * written in the same signature language (function-definition.ts). The resolved call folds
 * rows into an accumulator: a plain runtime value of `intermediateType`, so the StateStore
 * can keep, serialise and changelog it like any column. Accumulators are never mutated in
 * place; every step returns a new one, so an operator may keep the old value for retraction.
 */
import type { SqlType } from '../../catalog/types.js';
import type { SqlValue } from '../../catalog/values.js';
import type { ArgumentInfo } from './function-types.js';

/** Where the record being aggregated came from (the *_BY_OFFSET functions order by it). */
export interface AggregateContext {
  readonly offset: bigint;
  readonly partition: number;
  readonly timestamp: number;
}

export interface AggregateImplementation {
  /** The SQL type of the accumulator. */
  readonly intermediateType: SqlType;
  /** The accumulator of a group that has seen no row. */
  readonly initialize: () => SqlValue;
  /** Folds one row's arguments (converted to `parameterTypes`) into the accumulator. */
  readonly aggregate: (acc: SqlValue, args: readonly SqlValue[], ctx?: AggregateContext) => SqlValue;
  /**
   * Takes a row's arguments back out (a table source retracting a row's old value). Absent
   * for the functions ksqlDB does not allow on a table source.
   */
  readonly undo?: (acc: SqlValue, args: readonly SqlValue[]) => SqlValue;
  /** Combines two accumulators (session windows that merge); `a` holds the earlier rows. */
  readonly merge?: (a: SqlValue, b: SqlValue) => SqlValue;
  /** The function's value for an accumulator. */
  readonly result: (acc: SqlValue) => SqlValue;
}

export interface ResolvedAggregateCall extends AggregateImplementation {
  readonly returnType: SqlType;
  /** The type each argument must be converted to before `aggregate` (implicit widening). */
  readonly parameterTypes: readonly (SqlType | null)[];
}

/** Settings that change an aggregate's behaviour (`ksql.functions.collect_list.limit`, ...). */
export interface AggregateOptions {
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface AggregateRegistry {
  /** Throws FunctionResolutionError with ksqlDB's message when nothing matches. */
  resolveAggregate(
    name: string,
    args: readonly ArgumentInfo[],
    options?: AggregateOptions,
  ): ResolvedAggregateCall;
}

/**
 * ksqlDB's error for aggregates without `undo` over a table source, e.g. "The aggregation
 * functions LATEST_BY_OFFSET, MIN and MAX cannot be applied to a table source, only to a
 * stream source."
 */
export function tableSourceAggregateMessage(names: readonly string[]): string {
  const upper = names.map((n) => n.toUpperCase());
  const list =
    upper.length <= 1 ? (upper[0] ?? '') : `${upper.slice(0, -1).join(', ')} and ${upper[upper.length - 1]}`;
  const noun = upper.length === 1 ? 'function' : 'functions';
  return `The aggregation ${noun} ${list} cannot be applied to a table source, only to a stream source.`;
}
