/** The key-value store: one entry per key, at times (0, 0). */
import { CachedStore } from './cached-store.js';
import type { KeyValueEntry, KeyValueStore, StateRow } from './state-store.js';

export class CachedKeyValueStore extends CachedStore implements KeyValueStore {
  readonly kind = 'keyValue';

  get(key: StateRow): StateRow | undefined {
    return this.read(this.stateOf(key), 0, 0);
  }

  /** A put does not depend on the stored value, so it needs no prefetch. */
  put(key: StateRow, value: StateRow): void {
    this.write(this.stateForBlindWrite(key), 0, 0, value);
  }

  delete(key: StateRow): void {
    this.write(this.stateForBlindWrite(key), 0, 0, null);
  }

  async *entries(): AsyncGenerator<KeyValueEntry> {
    for await (const e of this.scan()) yield { key: e.key, value: e.value };
  }

  protected override changelogKey(key: Buffer): Buffer {
    return key;
  }

  protected override parseChangelogKey(bytes: Buffer): { key: Buffer; t1: number; t2: number } {
    return { key: bytes, t1: 0, t2: 0 };
  }
}
