/**
 * Where a materialized table keeps its rows: a StateStore of its own, opened as a persistent
 * query's is (open-state-store.ts) — in memory for a deterministic engine, else one DuckDB
 * file per table in the `materialized` folder of the state directory.
 *
 * One file per table, not one for all: tables come and go independently (DROP deletes the
 * file), each commits on its own schedule with its own topic positions, and a table being
 * rebuilt never holds up the others' commits.
 *
 * Beside the rows the file keeps the table's identity (its topic, formats and columns) and
 * the consumer group its reader commits to. A file whose identity differs (the table was
 * replaced by one of another shape), or whose positions lie past the topic's end (the topic
 * was deleted and created again), is deleted and the rows are rebuilt from the topic.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from '../catalog/data-source.js';
import { formatType } from '../catalog/types.js';
import type { Log, TopicPartitionOffset } from '../log/log.js';
import {
  deleteQueryState,
  openQueryState,
  type QueryStateSettings,
  queryStatePath,
} from '../state/open-state-store.js';
import type { StateStore } from '../state/state-store.js';

/** The store of the table's identity and reader group. */
const META_STORE = 'materialization';
const IDENTITY_KEY = ['identity'];
const GROUP_KEY = ['group'];

export interface MaterializedState {
  readonly store: StateStore;
  /** The consumer group the table's reader commits its positions to. */
  readonly groupId: string;
  /** The topic positions the stored rows cover; empty for new state. */
  readonly positions: readonly TopicPartitionOffset[];
  /** Whether the state was kept from before (not new, nor deleted as stale). */
  readonly resumed: boolean;
  /** The state file; undefined when the rows are kept in memory. */
  readonly path: string | undefined;
  /** Called once the store is closed: the file may be opened again. */
  readonly release: () => void;
}

/** Materialized tables' state files live apart from the persistent queries'. */
function tableSettings(settings: QueryStateSettings): QueryStateSettings {
  return settings.dir === undefined ? settings : { ...settings, dir: join(settings.dir, 'materialized') };
}

/**
 * The file name of a table's state: the service id and the table name, each as it is when a
 * file name can carry it, else mapped with a hash (so two names never share a file).
 */
function stateName(serviceId: string, source: DataSource): string {
  const name = `${serviceId}${source.name}`;
  if (/^[A-Za-z0-9_-]+$/.test(name)) return `table_${name}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `table_${name.replace(/[^A-Za-z0-9_-]/g, '_')}_${hash}`;
}

function identityOf(source: DataSource): string {
  const shape = {
    topic: source.topic,
    key: source.keyFormat,
    value: source.valueFormat,
    columns: source.schema.columns.map((c) => [c.name, c.namespace, formatType(c.type)]),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

export interface MaterializedStateOptions {
  readonly settings: QueryStateSettings;
  /** The service the table belongs to (`ksql.service.id`): part of the file and group names. */
  readonly serviceId: string;
  /** Told when the state file cannot be opened and the rows are kept in memory instead. */
  readonly warn?: (line: string) => void;
}

/**
 * The state files open in this process. DuckDB's file lock is per process, so a second engine
 * of the same service here (tests, embedders) would open the same file unnoticed: it keeps
 * its rows in memory instead.
 */
const openFiles = new Set<string>();

export async function openMaterializedState(
  source: DataSource,
  log: Log,
  options: MaterializedStateOptions,
): Promise<MaterializedState> {
  let where = tableSettings(options.settings);
  const name = stateName(options.serviceId, source);
  const identity = identityOf(source);
  const inMemory = (why: string) => {
    options.warn?.(`materialized table ${source.name}: ${why}; rows kept in memory`);
    where = { ...where, dir: undefined };
  };
  const path = queryStatePath(where, name);
  if (path !== undefined && openFiles.has(path)) inMemory('its state file is open in another engine');
  const claimed = where.dir === undefined ? undefined : path;
  if (claimed !== undefined) openFiles.add(claimed);
  const release = () => {
    if (claimed !== undefined) openFiles.delete(claimed);
  };
  try {
    let opened: Awaited<ReturnType<typeof openQueryState>>;
    try {
      opened = await openQueryState(where, name);
    } catch (err) {
      // Another process holds the file (two engines of one service over one state directory).
      inMemory(`its state file could not be opened (${(err as Error).message})`);
      opened = await openQueryState(where, name);
    }
    if (!opened.fresh) {
      try {
        const kept = await keptState(opened.store, source, log, identity);
        if (kept !== undefined)
          return { store: opened.store, ...kept, resumed: true, path: opened.path, release };
      } catch {
        // A file that cannot be read is rebuilt like a missing one.
      }
      await opened.store.close();
      deleteQueryState(where, name);
      opened = await openQueryState(where, name);
    }
    const store = opened.store;
    const groupId = `_sluice_materialize_${options.serviceId}${source.name}_${randomUUID()}`;
    const meta = await store.keyValueStore(META_STORE);
    meta.put(IDENTITY_KEY, [identity]);
    meta.put(GROUP_KEY, [groupId]);
    await store.commit([]);
    return { store, groupId, positions: [], resumed: false, path: opened.path, release };
  } catch (err) {
    release();
    throw err;
  }
}

async function keptState(
  store: StateStore,
  source: DataSource,
  log: Log,
  identity: string,
): Promise<{ groupId: string; positions: TopicPartitionOffset[] } | undefined> {
  const meta = await store.keyValueStore(META_STORE);
  await meta.prefetch([IDENTITY_KEY, GROUP_KEY]);
  const groupId = meta.get(GROUP_KEY)?.[0];
  if (meta.get(IDENTITY_KEY)?.[0] !== identity || typeof groupId !== 'string') return undefined;
  const positions = (await store.committedPositions()).filter((p) => p.topic === source.topic);
  const ends = await log.endOffsets(source.topic);
  for (const p of positions) {
    const end = ends.find((e) => e.partition === p.partition)?.offset;
    if (end === undefined || p.offset > end) return undefined;
  }
  return { groupId, positions };
}

/** Deletes a table's state file (DROP TABLE). */
export function deleteMaterializedState(
  settings: QueryStateSettings,
  serviceId: string,
  source: DataSource,
): void {
  deleteQueryState(tableSettings(settings), stateName(serviceId, source));
}
