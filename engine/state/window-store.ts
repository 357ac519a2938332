/** The window store: entries at (window start, window end), expired by window end. */
import { type CachedKeyState, CachedStore } from './cached-store.js';
import {
  type KeyedWindowEntry,
  StateNotLoadedError,
  type StateRow,
  type TimeWindow,
  type WindowEntry,
  type WindowStore,
} from './state-store.js';

export class CachedWindowStore extends CachedStore implements WindowStore {
  readonly kind = 'window';

  get(key: StateRow, window: TimeWindow): StateRow | undefined {
    return this.read(this.whole(key), window.start, window.end);
  }

  put(key: StateRow, window: TimeWindow, value: StateRow): void {
    this.write(this.whole(key), window.start, window.end, value);
  }

  delete(key: StateRow, window: TimeWindow): void {
    this.write(this.whole(key), window.start, window.end, null);
  }

  fetch(key: StateRow, fromStart: number, toStart: number): WindowEntry[] {
    const out: WindowEntry[] = [];
    for (const e of this.range(this.whole(key), fromStart, toStart)) {
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

  /** The key's state with all its windows: a key written blind needs a prefetch first. */
  private whole(key: StateRow): CachedKeyState {
    const state = this.stateOf(key);
    if (this.isPartial(state)) throw new StateNotLoadedError(this.name);
    return state;
  }

  protected override loadsBlindKeys(): boolean {
    return true;
  }
}
