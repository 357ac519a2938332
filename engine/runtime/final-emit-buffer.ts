/**
 * EMIT FINAL: holds the latest output row of each (key, window) until the window closes (its
 * end plus the grace period is at or behind the stream time), then emits it once, windows in
 * order of their end, as Kafka Streams' suppression does. A deletion (a session merged into
 * another) removes the held row: final results carry no tombstones.
 */
import { rowKey } from '../catalog/value-compare.js';
import type { WindowBounds } from '../serde/windowed-key.js';
import type { OutputRow } from './stream-pipeline.js';

export class FinalEmitBuffer {
  /** Held rows by window end, then by key and window. */
  private readonly byEnd = new Map<number, Map<string, OutputRow>>();
  /** The ends held, ascending. */
  private readonly ends: number[] = [];

  constructor(private readonly graceMs: number) {}

  get size(): number {
    let n = 0;
    for (const rows of this.byEnd.values()) n += rows.size;
    return n;
  }

  hold(row: OutputRow): void {
    const window = row.window;
    if (window === undefined) throw new Error('EMIT FINAL holds windowed rows only');
    const id = `${rowKey(row.key ?? [])}@${window.start}`;
    let rows = this.byEnd.get(window.end);
    if (row.value === null) {
      rows?.delete(id);
      return;
    }
    if (rows === undefined) {
      rows = new Map();
      this.byEnd.set(window.end, rows);
      insertSorted(this.ends, window.end);
    }
    rows.delete(id);
    rows.set(id, row);
  }

  /**
   * Emits the rows of every window closed at `streamTime`, except windows whose state has
   * passed its retention by then: Kafka Streams emits final results from the window store,
   * where those are gone.
   */
  flush(
    streamTime: number,
    emit: (row: OutputRow) => void,
    expired: (window: WindowBounds) => boolean = () => false,
  ): void {
    const closeTime = streamTime - this.graceMs;
    while (this.ends.length > 0 && this.ends[0]! <= closeTime) {
      const end = this.ends.shift()!;
      const rows = this.byEnd.get(end);
      this.byEnd.delete(end);
      if (rows === undefined) continue;
      for (const row of rows.values()) if (!expired(row.window!)) emit(row);
    }
  }
}

function insertSorted(values: number[], value: number): void {
  let low = 0;
  let high = values.length;
  if (high === 0 || values[high - 1]! < value) {
    values.push(value);
    return;
  }
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < value) low = mid + 1;
    else high = mid;
  }
  values.splice(low, 0, value);
}
