/** The window store: entries at (window start, window end), expired by window end. */
import { CachedStore } from './cached-store.js';
import type { KeyedWindowEntry, StateRow, TimeWindow, WindowEntry, WindowStore } from './state-store.js';

export class CachedWindowStore extends CachedStore implements WindowStore {
  readonly kind = 'window';

  get(key: StateRow, window: TimeWindow): StateRow | undefined {
    return this.read(this.stateOf(key), window.start, window.end);
  }

  put(key: StateRow, window: TimeWindow, value: StateRow): void {
    this.write(this.stateOf(key), window.start, window.end, value);
  }

  delete(key: StateRow, window: TimeWindow): void {
    this.write(this.stateOf(key), window.start, window.end, null);
  }

  fetch(key: StateRow, fromStart: number, toStart: number): WindowEntry[] {
    const out: WindowEntry[] = [];
    for (const e of this.range(this.stateOf(key), fromStart, toStart)) {
      out.push({ window: { start: e.t1, end: e.t2 }, value: e.value! });
    }
    return out;
  }

  async *entries(): AsyncGenerator<KeyedWindowEntry> {
    for await (const e of this.scan())
      yield { key: e.key, window: { start: e.t1, end: e.t2 }, value: e.value };
  }

  blindPut(key: StateRow, window: TimeWindow, value: StateRow | null): void {
    this.blindWrite(key, window.start, window.end, value);
  }

  async committedEndingIn(fromEnd: number, toEnd: number): Promise<KeyedWindowEntry[]> {
    const entries = await this.loadCommittedEndingIn(fromEnd, toEnd);
    return entries.map((e) => ({ key: e.key, window: { start: e.t1, end: e.t2 }, value: e.value }));
  }

  expireBefore(time: number): void {
    this.setExpiredBefore(time);
  }
}
