/**
 * The GROUP BY step: one accumulator per aggregate call per group, kept in a state store.
 * Every input row updates its group (its window's group, when windowed) and emits the group's
 * new row: group values, aggregate results, then WINDOWSTART and WINDOWEND when windowed.
 *
 * Operators are synchronous over their store: the runner prefetches the batch's group keys
 * (`groupKey`) before it runs the batch. A group's stored value is `[live, ...accumulators]`
 * (`[live, max timestamp, ...accumulators]` for a window), `live` being whether its last row
 * was emitted as a row (HAVING passed), so a group that stops passing HAVING is deleted once.
 */
import type { SqlValue } from '../catalog/values.js';
import { type CompiledAggregateCall, compileAggregateCall } from '../expr/aggregate-call.js';
import { compileExpressionSafe } from '../expr/compile.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { ColumnScope } from '../plan/column-scope.js';
import type { AggregateStep } from '../plan/physical-plan.js';
import type { WindowBounds } from '../serde/windowed-key.js';
import type { KeyValueStore, StateRow, Store } from '../state/state-store.js';

export interface AggregateInput {
  readonly row: readonly SqlValue[];
  readonly offset: bigint;
  readonly partition: number;
  readonly timestamp: number;
}

/** One change of the aggregated table. */
export interface AggregateOutput {
  /** The group's row; for a deletion, its last row. */
  readonly row: readonly SqlValue[];
  /** A deletion: the group stopped passing HAVING, or a session merged into another. */
  readonly deleted: boolean;
  readonly timestamp: number;
  readonly window?: WindowBounds;
}

export type AggregateEmit = (output: AggregateOutput) => void;

export interface AggregateOperator {
  /** The store the operator keeps its groups in (prefetched by group key, committed by the runner). */
  readonly store: Store;
  /** The group key of an input row; undefined when a group value is null (the row is dropped). */
  groupKey(row: readonly SqlValue[]): SqlValue[] | undefined;
  /** Folds a row into its group, whose key the runner prefetched, and emits the changes. */
  process(key: SqlValue[], input: AggregateInput, emit: AggregateEmit): void;
  /** Records dropped because every window they fall in had closed. */
  lateRecords(): number;
  /** The largest timestamp seen (windowed operators; -Infinity before any record). */
  streamTime(): number;
  /** Whether a window's state has passed its retention (windowed operators). */
  expired?(window: WindowBounds): boolean;
}

/** The aggregate calls of a step, folding argument rows into accumulator rows. */
export class AggregateCalls {
  private readonly calls: CompiledAggregateCall[];

  constructor(
    step: AggregateStep,
    scope: ColumnScope,
    registry: FunctionRegistry,
    private readonly onError: (err: unknown) => void,
  ) {
    this.calls = step.aggregates.map((a) => {
      if (a.kind !== 'FunctionCall') throw new Error('an aggregate step holds function calls only');
      return compileAggregateCall(a, scope, registry);
    });
  }

  get size(): number {
    return this.calls.length;
  }

  initial(): SqlValue[] {
    return this.calls.map((c) => c.initialize());
  }

  /** New accumulators with the row added; a call that fails keeps its accumulator. */
  add(accumulators: readonly SqlValue[], row: readonly SqlValue[], input: AggregateInput): SqlValue[] {
    return this.calls.map((c, i) => {
      const acc = accumulators[i] ?? null;
      try {
        return c.aggregate(acc, c.argumentsOf(row), input);
      } catch (err) {
        this.onError(err);
        return acc;
      }
    });
  }

  /** New accumulators with the row taken back out (a table row that changed or went away). */
  undo(accumulators: readonly SqlValue[], row: readonly SqlValue[]): SqlValue[] {
    return this.calls.map((c, i) => {
      const acc = accumulators[i] ?? null;
      if (c.undo === undefined) return acc;
      try {
        return c.undo(acc, c.argumentsOf(row));
      } catch (err) {
        this.onError(err);
        return acc;
      }
    });
  }

  /** Accumulators of two sessions merged: `a` holds the earlier rows. */
  merge(a: readonly SqlValue[], b: readonly SqlValue[]): SqlValue[] {
    return this.calls.map((c, i) => {
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      if (c.merge === undefined) return x;
      try {
        return c.merge(x, y);
      } catch (err) {
        this.onError(err);
        return x;
      }
    });
  }

  results(accumulators: readonly SqlValue[]): SqlValue[] {
    return this.calls.map((c, i) => c.result(accumulators[i] ?? null));
  }
}

export interface AggregatorParts {
  readonly step: AggregateStep;
  readonly scope: ColumnScope;
  readonly registry: FunctionRegistry;
  readonly onError: (err: unknown) => void;
  /** HAVING over the aggregated row; absent: every row passes. */
  readonly having?: (row: readonly SqlValue[]) => boolean;
}

export function compileGroupKey(
  parts: AggregatorParts,
): (row: readonly SqlValue[]) => SqlValue[] | undefined {
  const groups = parts.step.groupBy.map((g) =>
    compileExpressionSafe(g, parts.scope, parts.registry, parts.onError),
  );
  return (row) => {
    const key = new Array<SqlValue>(groups.length);
    for (let i = 0; i < groups.length; i++) {
      const v = groups[i]!.evaluate(row);
      if (v === null) return undefined;
      key[i] = v;
    }
    return key;
  };
}

/**
 * Emits a group's new row under HAVING and returns whether it is now live: a row that passes
 * is emitted; one that fails deletes the group if its last row had been emitted, and is not
 * mentioned otherwise.
 */
export function emitUnderHaving(
  having: ((row: readonly SqlValue[]) => boolean) | undefined,
  row: readonly SqlValue[],
  wasLive: boolean,
  timestamp: number,
  window: WindowBounds | undefined,
  emit: AggregateEmit,
): boolean {
  const passes = having === undefined || having(row);
  if (passes || wasLive) {
    emit(
      window === undefined
        ? { row, deleted: !passes, timestamp }
        : { row, deleted: !passes, timestamp, window },
    );
  }
  return passes;
}

/** GROUP BY without a window: one entry per group in a key-value store. */
export function compileAggregator(parts: AggregatorParts, store: KeyValueStore): AggregateOperator {
  const calls = new AggregateCalls(parts.step, parts.scope, parts.registry, parts.onError);
  const groupKey = compileGroupKey(parts);
  return {
    store,
    groupKey,
    process(key, input, emit) {
      const stored = store.get(key);
      const previous = stored === undefined ? calls.initial() : (stored.slice(1) as SqlValue[]);
      const next = calls.add(previous, input.row, input);
      const row = [...key, ...calls.results(next)];
      const live = emitUnderHaving(parts.having, row, stored?.[0] === true, input.timestamp, undefined, emit);
      const value: StateRow = [live, ...next];
      store.put(key, value);
    },
    lateRecords: () => 0,
    streamTime: () => Number.NEGATIVE_INFINITY,
  };
}
