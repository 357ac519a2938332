/**
 * What flows between join operators: one change of a stream or table, as a full-width joined
 * row (join-plan.ts). A stream change is an event; a table change is an upsert of its key, or
 * a deletion (`deleted`), whose row holds no more than the key.
 */
import type { SqlValue } from '../../catalog/values.js';
import type { Header } from '../../log/log.js';
import type { KeyedRows, WindowedJoinState } from './join-state.js';

export interface JoinChange {
  readonly row: SqlValue[];
  /** The key of a change a join produced (its join key); undefined for a source's change. */
  readonly key?: SqlValue;
  readonly timestamp: number;
  readonly deleted: boolean;
  readonly headers: readonly Header[];
}

export type EmitChange = (change: JoinChange) => void;

/** One binary join: changes of its left input (sources 0..i) and of its right source. */
export interface JoinOperator {
  left(change: JoinChange, emit: EmitChange): void;
  right(change: JoinChange, emit: EmitChange): void;
  /** The table sides it keeps, which a durable state store backs. */
  tables(): readonly KeyedRows[];
  /** The stream buffers it keeps (a stream-stream join), which a durable state store backs. */
  windowed?(): readonly WindowedJoinState[];
  /** Called once its state has been loaded from a durable store, before any record. */
  loaded?(): void;
}

/** A copy of `base` with `[from, to)` taken from `other` (null there when other is absent). */
export function mergeRows(
  base: readonly SqlValue[] | undefined,
  width: number,
  other: readonly SqlValue[] | undefined,
  from: number,
  to: number,
): SqlValue[] {
  const row: SqlValue[] = base === undefined ? new Array<SqlValue>(width).fill(null) : base.slice();
  for (let i = from; i < to; i++) row[i] = other === undefined ? null : (other[i] ?? null);
  return row;
}
