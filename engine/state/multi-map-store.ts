/**
 * The multi-map store (join buffers): entries at (timestamp, sequence), expired by timestamp.
 * The sequence number is per store and only grows, so it orders equal timestamps by insertion
 * and survives restarts and restores.
 */
import { type CachedKeyState, CachedStore } from './cached-store.js';
import {
  type KeyedTimestampedValue,
  type MultiMapStore,
  StateNotLoadedError,
  type StateRow,
  type TimestampedValue,
} from './state-store.js';

export class CachedMultiMapStore extends CachedStore implements MultiMapStore {
  readonly kind = 'multiMap';
  private nextSequence = 0;

  /** Sets the next sequence number past every one already stored. */
  startSequenceAt(next: number): void {
    this.nextSequence = Math.max(this.nextSequence, next);
  }

  /** An add does not depend on the stored values, so it needs no prefetch. */
  add(key: StateRow, timestamp: number, value: StateRow): void {
    this.write(this.stateForBlindWrite(key), timestamp, this.nextSequence++, value);
  }

  fetch(key: StateRow, fromTime: number, toTime: number): TimestampedValue[] {
    const state = this.stateOf(key);
    // Added to without a prefetch: DuckDB may hold more of its values.
    if (this.isPartial(state)) throw new StateNotLoadedError(this.name);
    const out: TimestampedValue[] = [];
    for (const e of this.range(state, fromTime, toTime)) {
      out.push({ timestamp: e.t1, value: e.value! });
    }
    return out;
  }

  async *entries(): AsyncGenerator<KeyedTimestampedValue> {
    for await (const e of this.scan()) yield { key: e.key, timestamp: e.t1, value: e.value };
  }

  protected override loadsBlindKeys(): boolean {
    return true;
  }

  expireBefore(time: number): void {
    this.setExpiredBefore(time);
  }

  protected override expiryTime(t1: number): number {
    return t1;
  }

  protected override loaded(state: CachedKeyState): void {
    for (const e of state.entries) this.startSequenceAt(e.t2 + 1);
  }

  protected override restored(_t1: number, t2: number): void {
    this.startSequenceAt(t2 + 1);
  }
}
