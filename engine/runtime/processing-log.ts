/**
 * The processing log: records that could not be processed (bad bytes, an expression that
 * failed) are written here and the query goes on, as in ksqlDB. Kept in memory (bounded) and
 * handed to an optional sink, such as a topic writer.
 */
export type ProcessingErrorKind = 'deserialization' | 'serialization' | 'expression' | 'timestamp';

export interface ProcessingLogEntry {
  readonly queryId: string;
  readonly kind: ProcessingErrorKind;
  readonly message: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: bigint;
  /** Milliseconds since the epoch when the error was recorded. */
  readonly time: number;
}

export class ProcessingLog {
  private readonly recent: ProcessingLogEntry[] = [];
  private total = 0;

  constructor(
    private readonly capacity = 1_000,
    private readonly sink?: (entry: ProcessingLogEntry) => void,
  ) {}

  record(entry: Omit<ProcessingLogEntry, 'time'>): void {
    const full = { ...entry, time: Date.now() };
    this.total++;
    this.recent.push(full);
    if (this.recent.length > this.capacity) this.recent.shift();
    this.sink?.(full);
  }

  /** The most recent entries, oldest first. */
  entries(): readonly ProcessingLogEntry[] {
    return this.recent;
  }

  /** Every entry ever recorded, including those no longer kept. */
  count(): number {
    return this.total;
  }
}

/** Where a failed record came from. */
export interface FailedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** Records failures of `queryId`'s records in `log`, each with the error's message. */
export function recordFailures(
  log: ProcessingLog,
  queryId: string,
): (kind: ProcessingErrorKind, err: unknown, record: FailedRecord) => void {
  return (kind, err, record) =>
    log.record({
      queryId,
      kind,
      message: err instanceof Error ? err.message : String(err),
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    });
}
