/**
 * Keeps a MaterializedTable in step with the table's topic: the sink topic of a CREATE TABLE
 * AS SELECT, or the topic of a CREATE SOURCE TABLE. It reads the topic from the beginning as
 * its own consumer group member, upserting each keyed record and deleting on a tombstone,
 * exactly as a changelog is applied. Records that fail to decode go to the processing log.
 */
import { sourceStepFor } from '../analyzer/stream-query-planner.js';
import type { DataSource } from '../catalog/data-source.js';
import type { Log, LogReader } from '../log/log.js';
import type { ProcessingLog } from '../runtime/processing-log.js';
import { type DecodedRow, sourceDecoder } from '../runtime/source-decoder.js';
import { MaterializedTable } from './materialized-table.js';

const RETRY_MS = 500;

export class TableMaterializer {
  readonly table: MaterializedTable;
  private reader: LogReader;
  private readonly decode: ReturnType<typeof sourceDecoder>;
  private readonly keyCount: number;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    source: DataSource,
    private readonly log: Log,
    private readonly processingLog: ProcessingLog,
    private readonly groupId: string,
  ) {
    const step = sourceStepFor(source, undefined);
    this.table = new MaterializedTable(source, step);
    this.decode = sourceDecoder(step);
    this.keyCount = step.keyColumns.length;
    this.reader = this.openReader();
  }

  private openReader(): LogReader {
    return this.log.openReader({
      groupId: this.groupId,
      topics: [this.table.source.topic],
      autoOffsetReset: 'earliest',
    });
  }

  /** Reads one batch and applies it; resolves with the number of records read. */
  async step(timeoutMs = 0): Promise<number> {
    const records = await this.reader.poll({ maxRecords: 1000, timeoutMs });
    for (const record of records) {
      let decoded: DecodedRow;
      try {
        decoded = this.decode(record);
      } catch (err) {
        this.processingLog.record({
          queryId: `materialize_${this.table.source.name}`,
          kind: 'deserialization',
          message: err instanceof Error ? err.message : String(err),
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
        });
        continue;
      }
      if (decoded.nullKey) continue;
      const key = decoded.values.slice(0, this.keyCount);
      if (decoded.tombstone) this.table.delete(key, decoded.window);
      else
        this.table.upsert(
          decoded.window === undefined
            ? { key, values: decoded.values }
            : { key, values: decoded.values, window: decoded.window },
        );
    }
    return records.length;
  }

  /** Applies everything the topic holds now (deterministic mode). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.step(0);
      if (n === 0) return total;
      total += n;
    }
  }

  /** Follows the topic in the background until close(). */
  start(): void {
    if (this.loop !== undefined) return;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.step(200);
        } catch {
          if (this.stopping) return;
          // The state is rebuilt from the beginning by a fresh member: nothing is committed.
          await this.reader.close().catch(() => {});
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (!this.stopping) {
            this.table.clear();
            this.reader = this.openReader();
          }
        }
      }
    })();
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.loop?.catch(() => {});
    await this.reader.close();
  }
}
