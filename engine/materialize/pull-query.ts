/**
 * Runs a planned pull query: over a table, the rows of its store (the keys the WHERE fixes,
 * or a scan); over a stream, the records its topic holds when the query starts
 * (ksqlDB's stream scan), read from the beginning by a transient consumer. The result has the
 * shape of a push query (rows, then the end), so the REST server streams both alike.
 */
import type { SqlValue } from '../catalog/values.js';
import type { Log } from '../log/log.js';
import type { PushQuery, PushQueryRow } from '../runtime/push-query.js';
import { sourceDecoder } from '../runtime/source-decoder.js';
import type { MaterializedRow, MaterializedTable } from './materialized-table.js';
import type { PullQueryPlan } from './pull-planner.js';

export interface PullQuery extends PushQuery {
  readonly pull: 'table' | 'stream';
}

/**
 * The result rows of a pull query over a table: the keys the WHERE fixes (from memory when it
 * holds them, else loaded in one batch), or a scan streamed from the table's store.
 */
export async function tablePullRows(plan: PullQueryPlan, table: MaterializedTable): Promise<SqlValue[][]> {
  const rows: SqlValue[][] = [];
  const limit = plan.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return rows;
  const candidates: AsyncIterable<MaterializedRow> | Iterable<MaterializedRow> =
    plan.keys === undefined ? table.scan() : await table.lookup(plan.keys);
  for await (const row of candidates) {
    if (plan.filter !== undefined && !plan.filter(row.values)) continue;
    rows.push(plan.project(row.values));
    if (rows.length >= limit) break;
  }
  return rows;
}

export async function tablePullQuery(
  id: string,
  plan: PullQueryPlan,
  table: MaterializedTable,
): Promise<PullQuery> {
  const rows = await tablePullRows(plan, table);
  return {
    id,
    pull: 'table',
    columns: plan.columns,
    close: async () => {},
    async *[Symbol.asyncIterator](): AsyncGenerator<PushQueryRow> {
      for (const values of rows) yield { values, timestamp: 0 };
    },
  };
}

/** A stream scan: every record up to the end offsets the topic had when the query started. */
export function streamPullQuery(id: string, plan: PullQueryPlan, log: Log, groupId: string): PullQuery {
  const decode = sourceDecoder(plan.step);
  const topic = plan.step.topic;
  let closed = false;
  let limitReached = false;
  async function* rows(): AsyncGenerator<PushQueryRow> {
    const ends = new Map<number, bigint>();
    const begins = await log.beginningOffsets(topic);
    for (const end of await log.endOffsets(topic)) {
      const begin = begins.find((b) => b.partition === end.partition)?.offset ?? 0n;
      if (end.offset > begin) ends.set(end.partition, end.offset);
    }
    if (ends.size === 0) return;
    const reader = log.openReader({ groupId, topics: [topic], autoOffsetReset: 'earliest' });
    let sent = 0;
    const limit = plan.limit ?? Number.POSITIVE_INFINITY;
    try {
      while (!closed && sent < limit) {
        const records = await reader.poll({ timeoutMs: 200 });
        for (const record of records) {
          const end = ends.get(record.partition);
          if (end === undefined || record.offset >= end) continue;
          let decoded: ReturnType<typeof decode>;
          try {
            decoded = decode(record);
          } catch {
            continue; // a record the stream cannot decode is no row, as for a push query
          }
          if (decoded.tombstone) continue;
          if (plan.filter !== undefined && !plan.filter(decoded.values)) continue;
          if (sent >= limit) {
            limitReached = true;
            break;
          }
          sent++;
          yield { values: plan.project(decoded.values), timestamp: decoded.timestamp };
        }
        const done = reader
          .positions()
          .filter((p) => ends.has(p.partition))
          .every((p) => p.offset >= ends.get(p.partition)!);
        const assigned = reader.positions().filter((p) => ends.has(p.partition)).length === ends.size;
        if (sent >= limit) limitReached = true;
        if (assigned && done) return;
      }
    } finally {
      await reader.close();
    }
  }
  return {
    id,
    pull: 'stream',
    limitReached: () => limitReached,
    columns: plan.columns,
    close: async () => {
      closed = true;
    },
    [Symbol.asyncIterator]: rows,
  };
}
