/**
 * Where a persistent query keeps its state: one DuckDB file per query, named after its application id,
 * in the state directory; in memory when the engine is deterministic (tests, `sluice test`),
 * where nothing outlives the process (in-process-state-store.ts).
 *
 * The state directory is `ksql.streams.state.dir` when configured, else the environment's
 * SLUICE_STATE_DIR, else `state` under SLUICE_HOME, else `.cache/state` under the working
 * directory. The memory budget of each query's cache is `sluice.state.cache.max.bytes`, and
 * state on disk is committed every `ksql.streams.commit.interval.ms`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBStateStore } from './duckdb-state-store.js';
import { InProcessStateStore } from './in-process-state-store.js';
import type { StateStore } from './state-store.js';

export const StateConfigKeys = Object.freeze({
  STATE_DIR: 'ksql.streams.state.dir',
  CACHE_MAX_BYTES: 'sluice.state.cache.max.bytes',
  COMMIT_INTERVAL_MS: 'ksql.streams.commit.interval.ms',
});

/** ksqlDB's default commit interval (Kafka Streams' own is 30 s). */
export const DEFAULT_COMMIT_INTERVAL_MS = 2000;

/**
 * How often a query on disk commits its state, changelog and consumer offsets:
 * `ksql.streams.commit.interval.ms`, or the Streams property without the prefix, as ksqlDB
 * takes either; a value that is not a number of milliseconds falls back to the default.
 */
export function commitIntervalMs(config: ConfigSource): number {
  for (const key of [StateConfigKeys.COMMIT_INTERVAL_MS, 'commit.interval.ms']) {
    const value = config.get(key);
    if (value === undefined || value.trim() === '') continue;
    const parsed = Number(value);
    if (Number.isFinite(parsed) && parsed >= 0) return parsed;
  }
  return DEFAULT_COMMIT_INTERVAL_MS;
}

/** 256 MiB of cached state per query. */
export const DEFAULT_STATE_CACHE_BYTES = 256 * 1024 * 1024;

export interface QueryStateSettings {
  /** The directory of the state files; undefined keeps state in memory. */
  readonly dir: string | undefined;
  /** The memory budget of a query's state cache, in bytes. */
  readonly cacheBytes: number;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

export function queryStateSettings(
  config: ConfigSource,
  options: { readonly inMemory?: boolean; readonly env?: NodeJS.ProcessEnv } = {},
): QueryStateSettings {
  const env = options.env ?? process.env;
  const budget = config.get(StateConfigKeys.CACHE_MAX_BYTES);
  const parsed = budget === undefined || budget === '' ? Number.NaN : Number(budget);
  const cacheBytes = Number.isFinite(parsed) && parsed >= 0 ? parsed : DEFAULT_STATE_CACHE_BYTES;
  if (options.inMemory === true) return { dir: undefined, cacheBytes };
  const dir =
    config.get(StateConfigKeys.STATE_DIR) ||
    env.SLUICE_STATE_DIR ||
    (env.SLUICE_HOME ? join(env.SLUICE_HOME, 'state') : join(process.cwd(), '.cache', 'state'));
  return { dir, cacheBytes };
}

/** The state file named `name` (a query's application id); undefined when state is kept in memory. */
export function queryStatePath(settings: QueryStateSettings, queryId: string): string | undefined {
  if (settings.dir === undefined) return undefined;
  // Query ids are [A-Za-z0-9_]; anything else is replaced so an id can never name another path.
  return join(settings.dir, `${queryId.replace(/[^A-Za-z0-9_-]/g, '_')}.duckdb`);
}

export interface OpenedQueryState {
  readonly store: StateStore;
  /** The file, or undefined in memory. */
  readonly path: string | undefined;
  /** Whether the state is new: no file existed (state to rebuild from the changelog). */
  readonly fresh: boolean;
}

/** Opens (creating if needed) the state of one persistent query. */
export async function openQueryState(
  settings: QueryStateSettings,
  queryId: string,
): Promise<OpenedQueryState> {
  const path = queryStatePath(settings, queryId);
  if (path === undefined) {
    return { store: new InProcessStateStore({ cacheBytes: settings.cacheBytes }), path, fresh: true };
  }
  mkdirSync(settings.dir!, { recursive: true });
  const fresh = !existsSync(path);
  return { store: await DuckDBStateStore.open(path, { cacheBytes: settings.cacheBytes }), path, fresh };
}

/** Deletes a query's state file (and DuckDB's write-ahead log beside it). */
export function deleteQueryState(settings: QueryStateSettings, queryId: string): void {
  const path = queryStatePath(settings, queryId);
  if (path === undefined) return;
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}
