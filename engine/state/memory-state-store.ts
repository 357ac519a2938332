/** A StateStore held in memory (DuckDB's `:memory:`), for tests: nothing survives `close()`. */
import { DuckDBStateStore } from './duckdb-state-store.js';
import type { StateStoreOptions } from './state-store.js';

export function openMemoryStateStore(options: StateStoreOptions = {}): Promise<DuckDBStateStore> {
  return DuckDBStateStore.open(':memory:', options);
}
