/**
 * The GROUP BY step: one accumulator per aggregate call per group. Every input row updates
 * its group and yields the group's new row (group values, then aggregate results).
 *
 * State is kept in memory here, keyed by the group's stable key text; moving it behind the
 * DuckDB StateStore (prefetch per batch, commit with the source offsets, changelog) is the
 * next step for durable aggregations.
 */
import { rowKey } from '../catalog/value-compare.js';
import type { SqlValue } from '../catalog/values.js';
import { type CompiledAggregateCall, compileAggregateCall } from '../expr/aggregate-call.js';
import { compileExpressionSafe } from '../expr/compile.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { ColumnScope } from '../plan/column-scope.js';
import type { AggregateStep } from '../plan/physical-plan.js';

export interface AggregateInput {
  readonly row: readonly SqlValue[];
  readonly offset: bigint;
  readonly partition: number;
  readonly timestamp: number;
}

export interface GroupUpdate {
  /** The group's values, then the aggregate results. */
  readonly row: SqlValue[];
  /** Whether the group's last row was emitted as a live row (HAVING passed). */
  readonly previouslyEmitted: boolean;
  markEmitted(live: boolean): void;
}

/** Returns the group's update, or undefined when the row has no group (a null group value). */
export type Aggregator = (input: AggregateInput) => GroupUpdate | undefined;

interface GroupState {
  accumulators: SqlValue[];
  live: boolean;
}

export function compileAggregator(
  step: AggregateStep,
  scope: ColumnScope,
  registry: FunctionRegistry,
  onError: (err: unknown) => void,
): Aggregator {
  const groups = step.groupBy.map((g) => compileExpressionSafe(g, scope, registry, onError));
  const calls: CompiledAggregateCall[] = step.aggregates.map((a) => {
    if (a.kind !== 'FunctionCall') throw new Error('an aggregate step holds function calls only');
    return compileAggregateCall(a, scope, registry);
  });
  const state = new Map<string, GroupState>();
  return ({ row, offset, partition, timestamp }) => {
    const key = groups.map((g) => g.evaluate(row));
    if (key.some((v) => v === null)) return undefined;
    const id = rowKey(key);
    const group = state.get(id) ?? { accumulators: calls.map((c) => c.initialize()), live: false };
    const previous = group.accumulators;
    group.accumulators = calls.map((c, i) => {
      try {
        return c.aggregate(previous[i] ?? null, c.argumentsOf(row), { offset, partition, timestamp });
      } catch (err) {
        onError(err);
        return previous[i] ?? null;
      }
    });
    state.set(id, group);
    return {
      row: [...key, ...calls.map((c, i) => c.result(group.accumulators[i] ?? null))],
      previouslyEmitted: group.live,
      markEmitted: (live) => {
        group.live = live;
      },
    };
  };
}
