/**
 * The Log seam: Kafka's data model (topics, partitions, offsets, consumer groups,
 * transactions) reduced to what Sluice needs. `MemoryLog` implements it deterministically
 * for tests; `KafkaLog` implements it on a real broker. Both pass the same contract suite
 * (`test/engine/log/log-contract.ts`), so code written against this interface behaves the
 * same on either.
 *
 * Conventions:
 * - Offsets are `bigint`: Kafka offsets are int64 and must stay exact and comparable.
 * - Timestamps are epoch milliseconds as `number` (exact up to year 287396).
 * - A committed offset is the offset of the NEXT record to read, as in Kafka.
 * - Delivery is at-least-once: a reader that closes or loses a partition before committing
 *   hands the uncommitted records to the next owner of the partition, which reads them again.
 */

export type Offset = bigint;

export type CleanupPolicy = 'delete' | 'compact';

export interface TopicConfig {
  cleanupPolicy?: CleanupPolicy;
  /** `retention.ms`; -1 keeps records forever. */
  retentionMs?: number;
  /** Any other Kafka topic config, by its Kafka name (e.g. `'segment.bytes'`). */
  extra?: Readonly<Record<string, string>>;
}

export interface TopicSpec {
  partitions: number;
  /** Replication factor; defaults to the broker default (1 on a dev broker). */
  replicas?: number;
  config?: TopicConfig;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  cleanupPolicy: CleanupPolicy;
  /** The topic's configs by Kafka name, including broker defaults where the log knows them. */
  configs: Readonly<Record<string, string>>;
}

/** Headers are an ordered list; duplicate keys and null values are allowed, as in Kafka. */
export interface Header {
  key: string;
  value: Buffer | null;
}

export interface ProducerRecord {
  key: Buffer | null;
  /** A null value is a tombstone. */
  value: Buffer | null;
  /** Epoch millis; defaults to the log's clock at append time. */
  timestamp?: number;
  headers?: readonly Header[];
  /**
   * Explicit partition. Without it a keyed record goes where Kafka's default partitioner
   * (murmur2 of the key bytes) puts it, and a null-keyed record round-robins.
   */
  partition?: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  offset: Offset;
}

export interface PartitionOffset {
  partition: number;
  offset: Offset;
}

export interface AppendResult extends TopicPartitionOffset {
  timestamp: number;
}

export interface LogRecord extends TopicPartitionOffset {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: Header[];
}

export type AutoOffsetReset = 'earliest' | 'latest';
export type IsolationLevel = 'read_committed' | 'read_uncommitted';

export interface ReaderOptions {
  groupId: string;
  topics: readonly string[];
  /** Where to start a partition that the group has no committed offset for. Default 'latest', as Kafka. */
  autoOffsetReset?: AutoOffsetReset;
  /** Default 'read_committed': records of open or aborted transactions are never returned. */
  isolationLevel?: IsolationLevel;
}

export interface PollOptions {
  /** Upper bound on records returned by one poll. Default 500 (Kafka's max.poll.records). */
  maxRecords?: number;
  /**
   * How long to wait when nothing is available. Default 0: return at once. A poll returns as
   * soon as it has any records; it never waits to fill `maxRecords`.
   */
  timeoutMs?: number;
}

/**
 * A pull-style consumer-group member. Records of one partition come in offset order; there
 * is no order across partitions. Positions (the next offset to return per partition) live
 * in the reader; committed offsets live in the group and survive the reader.
 *
 * A reader is used by one caller at a time: calls must not overlap (await each one).
 */
export interface LogReader {
  /**
   * Returns up to `maxRecords` records from assigned, unpaused partitions, advancing the
   * positions. The first poll of a new reader may spend its timeout joining the group.
   * After `close()`, poll rejects with a `LogError` ('reader_closed'); a poll pending when
   * `close()` is called resolves with [].
   */
  poll(options?: PollOptions): Promise<LogRecord[]>;
  /**
   * Commits offsets to the group. Without arguments: `positions()`. With a list: exactly
   * those offsets (each the next offset to read). Rejects with a LogError ('rebalance') when
   * the group has moved on; the records since the last commit will then be read again.
   */
  commit(positions?: readonly TopicPartitionOffset[]): Promise<void>;
  /** The group's committed offsets for the subscribed topics (partitions without one are omitted). */
  committed(): Promise<TopicPartitionOffset[]>;
  /** Partitions currently assigned to this reader (empty until it has joined the group). */
  assignment(): TopicPartition[];
  /**
   * The next offset poll reads for each assigned partition whose position is known: the
   * offset after the last record polled, past any transaction markers behind it. A position
   * is known once a partition has been polled or sought (MemoryLog knows all of them from
   * the assignment on).
   */
  positions(): TopicPartitionOffset[];
  /**
   * Moves the position of an assigned partition; the next poll returns records from
   * `offset`. Records buffered before the seek are dropped.
   */
  seek(topic: string, partition: number, offset: Offset): void;
  /** Paused partitions stay assigned but poll returns nothing from them until resumed. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Leaves the group without committing; idempotent. */
  close(): Promise<void>;
}

/**
 * A producer-side transaction: appended records and offsets sent with `sendOffsets` become
 * visible to read_committed readers, and committed to the group, atomically at `commit()`;
 * `abort()` discards both. One transaction per transactional id at a time.
 */
export interface LogTransaction {
  append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]>;
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface Log {
  /**
   * Creates the topic if it does not exist; returns whether it created it. An existing topic
   * is left as it is (its partition count and config are not changed).
   */
  ensureTopic(name: string, spec: TopicSpec): Promise<{ created: boolean }>;
  /** `undefined` when the topic does not exist. */
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  listTopics(): Promise<string[]>;
  /** Returns false when there was no such topic. */
  deleteTopic(name: string): Promise<boolean>;
  /**
   * Appends records (one batched produce, acks=all) and returns each record's partition,
   * offset and timestamp, in input order. Rejects with a LogError ('unknown_topic') when the
   * topic does not exist: topics are never created implicitly.
   */
  append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]>;
  /**
   * Opens a member of consumer group `groupId`; joining happens in the background and the
   * reader's first polls wait for the assignment. Every topic must exist: otherwise poll
   * rejects with a LogError ('unknown_topic').
   */
  openReader(options: ReaderOptions): LogReader;
  /**
   * Per partition, the offset after the last stable record: what a read_committed reader
   * reaches once it has read everything committed (the last stable offset, which equals the
   * high watermark when no transaction is open). Used to measure restore progress.
   */
  endOffsets(topic: string): Promise<PartitionOffset[]>;
  /** Per partition, the first offset still in the log. */
  beginningOffsets(topic: string): Promise<PartitionOffset[]>;
  /** A group's committed offsets for `topics` (all its topics when omitted). */
  committedOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]>;
  /**
   * Begins a transaction for `transactionalId`. Starting a transaction with the id of one
   * that is still open (in this or another process) fences the older one.
   */
  beginTransaction(transactionalId: string): Promise<LogTransaction>;
  /** Aborts its open transactions, then closes the readers, producers and connections it opened. */
  close(): Promise<void>;
}

export type LogErrorCode =
  | 'unknown_topic'
  | 'unknown_partition'
  | 'invalid_argument'
  | 'reader_closed'
  | 'not_assigned'
  | 'rebalance'
  | 'fenced'
  | 'transaction_state'
  | 'broker';

export class LogError extends Error {
  constructor(
    readonly code: LogErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LogError';
  }
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
