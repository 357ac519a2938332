/**
 * GROUP BY over a table: a table row that changes moves out of its old group and into its
 * new one, as Kafka Streams' table aggregation does. The operator keeps the source table's
 * rows (to know a row's old value) and the groups, each in a key-value store:
 *
 * - a row whose group stays the same updates the group once: old value undone, new added;
 * - a row that changes group is first undone from the old group (emitting its row), then
 *   added to the new one;
 * - a deleted row (a tombstone, or a row the WHERE no longer keeps) is undone only. A group
 *   whose rows all went away keeps its row (COUNT 0), as in ksqlDB.
 */
import { rowKey } from '../catalog/value-compare.js';
import type { SqlValue } from '../catalog/values.js';
import type { KeyValueStore, StateRow } from '../state/state-store.js';
import {
  AggregateCalls,
  type AggregateEmit,
  type AggregateInput,
  type AggregatorParts,
  compileGroupKey,
  emitUnderHaving,
} from './aggregator.js';

/** The store of the source table's rows, named as ksqlDB names the source materialization. */
export const SOURCE_TABLE_STORE = 'KsqlTopic-Reduce';

export interface TableAggregateOperator {
  readonly sourceStore: KeyValueStore;
  readonly groupStore: KeyValueStore;
  groupKey(row: readonly SqlValue[]): SqlValue[] | undefined;
  /**
   * Replaces the source row of `sourceKey` by `row` (null: deleted) and emits the groups'
   * changes. The runner prefetched the source key and the groups of its old and new rows.
   */
  process(
    sourceKey: StateRow,
    row: readonly SqlValue[] | null,
    input: AggregateInput,
    emit: AggregateEmit,
  ): void;
}

export function compileTableAggregator(
  parts: AggregatorParts,
  sourceStore: KeyValueStore,
  groupStore: KeyValueStore,
): TableAggregateOperator {
  const calls = new AggregateCalls(parts.step, parts.scope, parts.registry, parts.onError);
  const groupKey = compileGroupKey(parts);
  const update = (
    key: SqlValue[],
    undo: readonly SqlValue[] | undefined,
    add: readonly SqlValue[] | undefined,
    input: AggregateInput,
    emit: AggregateEmit,
  ): void => {
    const stored = groupStore.get(key);
    if (stored === undefined && add === undefined) return;
    let accumulators = stored === undefined ? calls.initial() : (stored.slice(1) as SqlValue[]);
    if (undo !== undefined && stored !== undefined) accumulators = calls.undo(accumulators, undo);
    if (add !== undefined) accumulators = calls.add(accumulators, add, input);
    const row = [...key, ...calls.results(accumulators)];
    const live = emitUnderHaving(parts.having, row, stored?.[0] === true, input.timestamp, undefined, emit);
    groupStore.put(key, [live, ...accumulators]);
  };
  return {
    sourceStore,
    groupStore,
    groupKey,
    process(sourceKey, row, input, emit) {
      const old = sourceStore.get(sourceKey);
      if (row === null) {
        if (old === undefined) return;
        sourceStore.delete(sourceKey);
      } else {
        sourceStore.put(sourceKey, row);
      }
      const oldKey = old === undefined ? undefined : groupKey(old);
      const newKey = row === null ? undefined : groupKey(row);
      if (oldKey !== undefined && newKey !== undefined && rowKey(oldKey) === rowKey(newKey)) {
        update(newKey, old, row ?? undefined, input, emit);
        return;
      }
      if (oldKey !== undefined) update(oldKey, old, undefined, input, emit);
      if (newKey !== undefined && row !== null) update(newKey, undefined, row, input, emit);
    },
  };
}
