/**
 * Windowed GROUP BY, with Kafka Streams' semantics (which ksqlDB's windows are):
 *
 * - TUMBLING and HOPPING: a record falls in every window [start, start + size) with start a
 *   multiple of the advance and start <= timestamp < end. A window accepts records until the
 *   stream time (the largest timestamp seen) reaches its end plus the grace period; a record
 *   arriving later for it is dropped. A window's row carries the largest timestamp of its
 *   records.
 * - SESSION: a record opens the session [t, t]; every session of the key within the gap of t
 *   on either side merges into it. Merged sessions are deleted (a tombstone each, stamped with
 *   its end) and the new session's row is stamped with its end. A session is late when its
 *   end is more than the grace period behind the stream time.
 *
 * Windows live in a window store at (start, end), ends of sessions inclusive; they expire
 * `retentionMs` after their start (sessions: after their end).
 */
import type { SqlValue } from '../catalog/values.js';
import type { WindowSpec } from '../plan/physical-plan.js';
import type { StateRow, WindowStore } from '../state/state-store.js';
import {
  type AggregateCalls,
  type AggregateOperator,
  type AggregatorParts,
  AggregateCalls as Calls,
  compileGroupKey,
  emitUnderHaving,
} from './aggregator.js';

/** Offsets of a window entry's value: [live, max timestamp, ...accumulators]. */
const LIVE = 0;
const MAX_TIME = 1;
const ACCUMULATORS = 2;

export function compileWindowAggregator(parts: AggregatorParts, store: WindowStore): AggregateOperator {
  const window = parts.step.window;
  if (window === undefined) throw new Error('a window aggregator needs a window');
  const calls = new Calls(parts.step, parts.scope, parts.registry, parts.onError);
  const groupKey = compileGroupKey(parts);
  const clock = new StreamClock(window, store);
  const process =
    window.type === 'SESSION'
      ? sessionProcess(parts, calls, window, store, clock)
      : timeWindowProcess(parts, calls, window, store, clock);
  return {
    store,
    groupKey,
    process,
    lateRecords: () => clock.late,
    streamTime: () => clock.time,
    // Final results of sessions are held until they close, whatever their retention.
    expired: (w) => window.type !== 'SESSION' && clock.expired(w.start, w.end),
  };
}

/** Stream time, lateness and expiry of one windowed operator. */
class StreamClock {
  time = Number.NEGATIVE_INFINITY;
  late = 0;
  private expiredBefore = Number.NEGATIVE_INFINITY;
  /** Expiry moves in steps of this, so the store sweeps its cache now and then, not per record. */
  private readonly step: number;

  constructor(
    private readonly window: WindowSpec,
    private readonly store: WindowStore,
  ) {
    this.step = Math.max(window.type === 'SESSION' ? window.sizeMs : window.advanceMs, 1);
  }

  observe(timestamp: number): void {
    if (timestamp <= this.time) return;
    this.time = timestamp;
    // Time windows expire by start (retention after the start, so by end: retention - size
    // after the end); sessions by end.
    const horizon =
      this.window.type === 'SESSION'
        ? timestamp - this.window.retentionMs
        : timestamp - this.window.retentionMs + this.window.sizeMs;
    const stepped = Math.floor(horizon / this.step) * this.step;
    if (stepped > this.expiredBefore && Number.isSafeInteger(stepped)) {
      this.expiredBefore = stepped;
      this.store.expireBefore(stepped);
    }
  }

  /** Windows ending at or before this are closed. */
  get closeTime(): number {
    return this.time - this.window.graceMs;
  }

  /**
   * Whether a window's state has passed its retention: a time window's start, a session's
   * end, more than the retention behind the stream time. Expired state reads as absent.
   */
  expired(start: number, end: number): boolean {
    return (this.window.type === 'SESSION' ? end : start) < this.time - this.window.retentionMs;
  }
}

function timeWindowProcess(
  parts: AggregatorParts,
  calls: AggregateCalls,
  window: WindowSpec,
  store: WindowStore,
  clock: StreamClock,
): AggregateOperator['process'] {
  const { sizeMs, advanceMs } = window;
  return (key, input, emit) => {
    const timestamp = input.timestamp;
    clock.observe(timestamp);
    const closeTime = clock.closeTime;
    let start = Math.floor(Math.max(0, timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs;
    let accepted = false;
    for (; start <= timestamp; start += advanceMs) {
      const end = start + sizeMs;
      if (end <= closeTime) continue;
      accepted = true;
      const bounds = { start, end };
      const stored = clock.expired(start, end) ? undefined : store.get(key, bounds);
      const previous = stored === undefined ? calls.initial() : (stored.slice(ACCUMULATORS) as SqlValue[]);
      const next = calls.add(previous, input.row, input);
      const time = stored === undefined ? timestamp : Math.max(timestamp, Number(stored[MAX_TIME]));
      const row = windowRow(key, calls.results(next), start, end);
      const live = emitUnderHaving(parts.having, row, stored?.[LIVE] === true, time, bounds, emit);
      const value: StateRow = [live, time, ...next];
      store.put(key, bounds, value);
    }
    if (!accepted) clock.late++;
  };
}

function sessionProcess(
  parts: AggregatorParts,
  calls: AggregateCalls,
  window: WindowSpec,
  store: WindowStore,
  clock: StreamClock,
): AggregateOperator['process'] {
  const gap = window.sizeMs;
  return (key, input, emit) => {
    const timestamp = input.timestamp;
    clock.observe(timestamp);
    const candidates = store
      .fetch(key, Number.MIN_SAFE_INTEGER, timestamp + gap)
      .filter((e) => e.window.end >= timestamp - gap && !clock.expired(e.window.start, e.window.end));
    let start = timestamp;
    let end = timestamp;
    let accumulators = calls.initial();
    for (const e of candidates) {
      accumulators = calls.merge(accumulators, e.value.slice(ACCUMULATORS) as SqlValue[]);
      if (e.window.start < start) start = e.window.start;
      if (e.window.end > end) end = e.window.end;
    }
    if (end < clock.closeTime) {
      clock.late++;
      return;
    }
    const grown = start !== timestamp || end !== timestamp;
    let wasLive = false;
    for (const e of candidates) {
      if (!grown) {
        wasLive = e.value[LIVE] === true;
        continue;
      }
      store.delete(key, e.window);
      if (parts.having === undefined || e.value[LIVE] === true) {
        const results = calls.results(e.value.slice(ACCUMULATORS) as SqlValue[]);
        const old = windowRow(key, results, e.window.start, e.window.end);
        emit({ row: old, deleted: true, timestamp: e.window.end, window: e.window });
      }
    }
    accumulators = calls.add(accumulators, input.row, input);
    const bounds = { start, end };
    const row = windowRow(key, calls.results(accumulators), start, end);
    const live = emitUnderHaving(parts.having, row, wasLive, end, bounds, emit);
    store.put(key, bounds, [live, end, ...accumulators]);
  };
}

/** The aggregated row: group values, aggregate results, then WINDOWSTART and WINDOWEND (BIGINT). */
function windowRow(
  key: readonly SqlValue[],
  results: readonly SqlValue[],
  start: number,
  end: number,
): SqlValue[] {
  const row: SqlValue[] = [...key, ...results];
  row.push(BigInt(start), BigInt(end));
  return row;
}
