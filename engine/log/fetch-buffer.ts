import type { LogRecord, TopicPartition, TopicPartitionOffset } from './log.js';
import { topicPartitionKey } from './log.js';

/**
 * Records a push-style consumer fetched ahead of `poll`, per assigned partition, with the
 * bookkeeping a pull-style reader needs: positions (the next offset poll returns), duplicate
 * suppression when the consumer re-fetches after a rebalance, gaps left by transaction
 * markers, seeks, and the fill level that drives backpressure. Knows nothing of kafkajs.
 */
export interface FetchBufferLimits {
  maxRecords: number;
  maxBytes: number;
}

interface PartitionBuffer {
  topic: string;
  partition: number;
  records: Array<{ record: LogRecord; bytes: number }>;
  /** Index of the first record not yet taken (records before it are garbage). */
  head: number;
  /** Offset after the last record or marker fetched; anything older is a duplicate. */
  fetchedThrough?: bigint;
  /** Where the position goes once the buffered records are taken (markers fetched after them). */
  skipTo?: bigint;
  position?: bigint;
  /** Set by seek until the first fetch from the new position arrives. */
  seekPending: boolean;
}

export class FetchBuffer {
  private readonly partitions = new Map<string, PartitionBuffer>();
  private order: PartitionBuffer[] = [];
  private records = 0;
  private bytes = 0;
  private nextStart = 0;

  constructor(private readonly limits: FetchBufferLimits) {}

  /**
   * Applies a new assignment. Retained partitions keep their records and positions (the
   * consumer may re-fetch them from the committed offset; those duplicates are dropped);
   * revoked ones are forgotten, since their next owner starts from the committed offset.
   */
  assign(assignment: readonly TopicPartition[]): void {
    const next = new Map<string, PartitionBuffer>();
    for (const { topic, partition } of assignment) {
      const key = topicPartitionKey(topic, partition);
      next.set(
        key,
        this.partitions.get(key) ?? { topic, partition, records: [], head: 0, seekPending: false },
      );
    }
    for (const [key, buffer] of this.partitions) if (!next.has(key)) this.clear(buffer);
    this.partitions.clear();
    for (const [key, buffer] of next) this.partitions.set(key, buffer);
    this.order = [...next.values()];
  }

  has(topic: string, partition: number): boolean {
    return this.partitions.has(topicPartitionKey(topic, partition));
  }

  /**
   * Adds fetched records of one partition, in offset order, and `nextOffset`: the offset after
   * everything the fetch covered, including markers and aborted records it did not return.
   */
  add(topic: string, partition: number, records: readonly LogRecord[], nextOffset: bigint): void {
    const buffer = this.partitions.get(topicPartitionKey(topic, partition));
    if (!buffer) return;
    buffer.seekPending = false;
    for (const record of records) {
      if (buffer.fetchedThrough !== undefined && record.offset < buffer.fetchedThrough) continue;
      const bytes = recordBytes(record);
      buffer.records.push({ record, bytes });
      buffer.fetchedThrough = record.offset + 1n;
      buffer.skipTo = undefined;
      this.records++;
      this.bytes += bytes;
    }
    this.skip(buffer, nextOffset);
  }

  /** A fetch that returned nothing but markers or aborted records up to `nextOffset`. */
  skipTo(topic: string, partition: number, nextOffset: bigint): void {
    const buffer = this.partitions.get(topicPartitionKey(topic, partition));
    // While a seek is pending the fetch may predate it.
    if (buffer && !buffer.seekPending) this.skip(buffer, nextOffset);
  }

  seek(topic: string, partition: number, offset: bigint): boolean {
    const buffer = this.partitions.get(topicPartitionKey(topic, partition));
    if (!buffer) return false;
    this.clear(buffer);
    buffer.position = offset;
    buffer.fetchedThrough = offset;
    buffer.skipTo = undefined;
    buffer.seekPending = true;
    return true;
  }

  /**
   * Takes up to `maxRecords`, partition by partition in offset order, starting one partition
   * further each call so a busy partition cannot starve the others.
   */
  take(maxRecords: number, isPaused: (topic: string, partition: number) => boolean): LogRecord[] {
    const out: LogRecord[] = [];
    const count = this.order.length;
    const start = this.nextStart++;
    for (let i = 0; i < count && out.length < maxRecords; i++) {
      const buffer = this.order[(start + i) % count]!;
      if (isPaused(buffer.topic, buffer.partition)) continue;
      while (buffer.head < buffer.records.length && out.length < maxRecords) {
        const { record, bytes } = buffer.records[buffer.head++]!;
        out.push(record);
        buffer.position = record.offset + 1n;
        this.records--;
        this.bytes -= bytes;
      }
      if (buffer.head === buffer.records.length) {
        buffer.records = [];
        buffer.head = 0;
        if (buffer.skipTo !== undefined) {
          buffer.position = buffer.skipTo;
          buffer.skipTo = undefined;
        }
      }
    }
    return out;
  }

  /** Known positions of assigned partitions, in assignment order. */
  positions(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const { topic, partition, position } of this.order) {
      if (position !== undefined) out.push({ topic, partition, offset: position });
    }
    return out;
  }

  isFull(): boolean {
    return this.records >= this.limits.maxRecords || this.bytes >= this.limits.maxBytes;
  }

  /** Below half of both limits: where a reader paused for backpressure resumes fetching. */
  isDrained(): boolean {
    return this.records <= this.limits.maxRecords / 2 && this.bytes <= this.limits.maxBytes / 2;
  }

  size(): { records: number; bytes: number } {
    return { records: this.records, bytes: this.bytes };
  }

  private skip(buffer: PartitionBuffer, nextOffset: bigint): void {
    if (buffer.fetchedThrough !== undefined && nextOffset <= buffer.fetchedThrough) return;
    buffer.fetchedThrough = nextOffset;
    if (buffer.head === buffer.records.length) {
      buffer.position = nextOffset;
      buffer.skipTo = undefined;
    } else {
      buffer.skipTo = nextOffset;
    }
  }

  private clear(buffer: PartitionBuffer): void {
    for (let i = buffer.head; i < buffer.records.length; i++) {
      this.records--;
      this.bytes -= buffer.records[i]!.bytes;
    }
    buffer.records = [];
    buffer.head = 0;
  }
}

function recordBytes(record: LogRecord): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) bytes += h.key.length + (h.value?.length ?? 0);
  return bytes;
}
