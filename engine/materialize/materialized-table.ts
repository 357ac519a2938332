/**
 * The materialized state of one table: its rows by key (and window, for a windowed table), as
 * the flat rows a query over the table sees (key, value and header columns, then ROWTIME,
 * ROWPARTITION, ROWOFFSET, and WINDOWSTART/WINDOWEND when windowed).
 *
 * The rows live in a store of the table's StateStore (a KeyValueStore, or a WindowStore for a
 * windowed table): hot keys in its bounded in-memory cache, all of them in DuckDB when the
 * state is on disk. A key lookup whose keys are all in memory is answered from memory, with
 * no DuckDB round trip; the keys that are not are loaded in one batch (a prefetch). A scan
 * streams the rows in memory, then the rest from DuckDB. The store keeps the key columns as
 * its key and the other columns as its value. It is kept in step with the table's topic by a
 * TableMaterializer.
 */
import type { DataSource } from '../catalog/data-source.js';
import type { SqlValue } from '../catalog/values.js';
import type { SourceStep } from '../plan/physical-plan.js';
import type { WindowBounds } from '../serde/windowed-key.js';
import {
  type KeyValueStore,
  StateNotLoadedError,
  type StateRow,
  type WindowStore,
} from '../state/state-store.js';

export interface MaterializedRow {
  /** The key columns' values. */
  readonly key: readonly SqlValue[];
  /** The flat row, in the order of the source step's columns. */
  readonly values: readonly SqlValue[];
  readonly window?: WindowBounds;
}

/** The store a table's rows are kept in, named as ksqlDB names a table's materialization. */
export const MATERIALIZED_STORE = 'Materialized';

/** Lookups retry when a commit evicted a prefetched key before it was read (rare). */
const LOOKUP_ATTEMPTS = 5;

export class MaterializedTable {
  private readonly keyCount: number;

  constructor(
    readonly source: DataSource,
    readonly step: SourceStep,
    readonly store: KeyValueStore | WindowStore,
  ) {
    this.keyCount = step.keyColumns.length;
  }

  get windowed(): boolean {
    return this.store.kind === 'window';
  }

  /** Loads what the keys' next writes need (a window store reads a key before writing it). */
  async prepare(keys: readonly StateRow[]): Promise<void> {
    if (this.store.kind === 'window' && keys.length > 0) await this.store.prefetch(keys);
  }

  upsert(row: MaterializedRow): void {
    const rest = row.values.slice(this.keyCount);
    if (this.store.kind === 'window') {
      if (row.window === undefined) return;
      this.store.put(row.key, windowOf(row.window), rest);
    } else {
      this.store.put(row.key, rest);
    }
  }

  delete(key: readonly SqlValue[], window: WindowBounds | undefined): void {
    if (this.store.kind === 'window') {
      if (window !== undefined) this.store.delete(key, windowOf(window));
    } else {
      this.store.delete(key);
    }
  }

  /**
   * The rows of the keys (one per window for a windowed table), key by key. Keys in memory
   * are read from it; the others are loaded from DuckDB in one batch first.
   */
  async lookup(keys: readonly (readonly SqlValue[])[]): Promise<MaterializedRow[]> {
    for (let attempt = 1; ; attempt++) {
      const missing: StateRow[] = [];
      const found: MaterializedRow[][] = [];
      for (const key of keys) {
        const rows = this.cached(key);
        if (rows === undefined) missing.push(key);
        else found.push(rows);
      }
      if (missing.length === 0) return found.flat();
      if (attempt === LOOKUP_ATTEMPTS) throw new StateNotLoadedError(this.store.name);
      await this.store.prefetch(missing);
    }
  }

  /** The key's rows when the key is in memory; undefined when only DuckDB can answer. */
  cached(key: readonly SqlValue[]): MaterializedRow[] | undefined {
    try {
      if (this.store.kind === 'window') {
        return this.store
          .fetch(key, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
          .map((e) => ({ key, values: [...key, ...e.value], window: e.window }));
      }
      const value = this.store.get(key);
      return value === undefined ? [] : [{ key, values: [...key, ...value] }];
    } catch (err) {
      if (err instanceof StateNotLoadedError) return undefined;
      throw err;
    }
  }

  /** Every row: those in memory when the scan starts, then the rest from DuckDB. */
  async *scan(): AsyncGenerator<MaterializedRow> {
    if (this.store.kind === 'window') {
      for await (const e of this.store.entries())
        yield { key: e.key, values: [...e.key, ...e.value], window: e.window };
    } else {
      for await (const e of this.store.entries()) yield { key: e.key, values: [...e.key, ...e.value] };
    }
  }
}

function windowOf(window: WindowBounds): { start: number; end: number } {
  return { start: Number(window.start), end: Number(window.end) };
}
