import {
  type AppendResult,
  type CleanupPolicy,
  type Header,
  type IsolationLevel,
  type Log,
  LogError,
  type LogReader,
  type LogRecord,
  type LogTransaction,
  type PartitionOffset,
  type PollOptions,
  type ProducerRecord,
  type ReaderOptions,
  type TopicDescription,
  type TopicPartition,
  type TopicPartitionOffset,
  type TopicSpec,
  topicPartitionKey,
} from './log.js';
import { RecordPartitioner } from './partitioner.js';

export interface MemoryLogOptions {
  /** The clock for records appended without a timestamp. Default Date.now. */
  clock?: () => number;
}

const DEFAULT_MAX_POLL_RECORDS = 500;

type TransactionStatus = 'open' | 'committed' | 'aborted';

interface TransactionState {
  status: TransactionStatus;
}

interface Entry {
  offset: bigint;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Header[];
  /** Set on records written inside a transaction. */
  transaction?: TransactionState;
  /** Transaction markers take an offset but are never returned to readers. */
  control?: boolean;
}

class PartitionState {
  entries: Entry[] = [];
  nextOffset = 0n;
  startOffset = 0n;

  /** The index of the first entry at or after `offset`. */
  indexOf(offset: bigint): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.offset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** First offset of each open transaction that wrote here: what holds read_committed readers back. */
  readonly openTransactions = new Map<TransactionState, bigint>();

  lastStableOffset(): bigint {
    let stable = this.nextOffset;
    for (const first of this.openTransactions.values()) if (first < stable) stable = first;
    return stable;
  }
}

interface TopicState {
  name: string;
  partitions: PartitionState[];
  cleanupPolicy: CleanupPolicy;
  configs: Record<string, string>;
}

interface GroupState {
  committed: Map<string, TopicPartitionOffset>;
  members: MemoryReader[];
}

/**
 * An in-process Log with Kafka's semantics and no I/O: what tests and `sluice test` run on.
 * Everything happens synchronously inside each call, so a test that appends and then polls
 * sees the records at once; only a poll with a timeout and nothing to read waits (for an
 * append, a transaction's end, or the timeout).
 *
 * Modelled on Kafka: offsets per partition from 0, transactional records occupy offsets and
 * each transaction end writes one control record (so offsets have gaps for readers),
 * read_committed readers stop at the last stable offset, compaction keeps offsets and leaves
 * gaps. Consumer groups assign partitions with a range assignor over members in join order,
 * and rebalance synchronously when a member joins or leaves or a subscribed topic appears.
 */
export class MemoryLog implements Log {
  private readonly topics = new Map<string, TopicState>();
  private readonly groups = new Map<string, GroupState>();
  private readonly openTransactions = new Map<string, MemoryTransaction>();
  private readonly partitioner = new RecordPartitioner();
  private readonly clock: () => number;
  private waiters: Array<() => void> = [];
  private nextMemberId = 0;

  constructor(options: MemoryLogOptions = {}) {
    this.clock = options.clock ?? Date.now;
  }

  async ensureTopic(name: string, spec: TopicSpec): Promise<{ created: boolean }> {
    if (this.topics.has(name)) return { created: false };
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new LogError('invalid_argument', `Topic '${name}' needs at least one partition`);
    }
    const cleanupPolicy = spec.config?.cleanupPolicy ?? 'delete';
    const configs: Record<string, string> = {
      'cleanup.policy': cleanupPolicy,
      'retention.ms': String(spec.config?.retentionMs ?? 604800000),
      ...spec.config?.extra,
    };
    this.topics.set(name, {
      name,
      partitions: Array.from({ length: spec.partitions }, () => new PartitionState()),
      cleanupPolicy,
      configs,
    });
    for (const group of this.groups.values()) this.rebalance(group);
    return { created: true };
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const topic = this.topics.get(name);
    if (!topic) return undefined;
    return {
      name,
      partitions: topic.partitions.length,
      cleanupPolicy: topic.cleanupPolicy,
      configs: { ...topic.configs },
    };
  }

  async listTopics(): Promise<string[]> {
    return [...this.topics.keys()].sort();
  }

  async deleteTopic(name: string): Promise<boolean> {
    if (!this.topics.delete(name)) return false;
    for (const group of this.groups.values()) {
      for (const [key, committed] of group.committed) {
        if (committed.topic === name) group.committed.delete(key);
      }
      this.rebalance(group);
    }
    return true;
  }

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]> {
    return this.appendEntries(topic, records, undefined);
  }

  openReader(options: ReaderOptions): LogReader {
    const group = this.group(options.groupId);
    const reader = new MemoryReader(this, group, options, this.nextMemberId++);
    const missing = options.topics.find((t) => !this.topics.has(t));
    if (missing !== undefined) {
      reader.fail(new LogError('unknown_topic', `Cannot read topic '${missing}': it does not exist`));
      return reader;
    }
    group.members.push(reader);
    this.rebalance(group);
    return reader;
  }

  async endOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.topic(topic).partitions.map((p, partition) => ({ partition, offset: p.lastStableOffset() }));
  }

  async beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.topic(topic).partitions.map((p, partition) => ({ partition, offset: p.startOffset }));
  }

  async committedOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]> {
    const group = this.groups.get(groupId);
    if (!group) return [];
    return sortPositions(
      [...group.committed.values()].filter((c) => topics === undefined || topics.includes(c.topic)),
    );
  }

  async beginTransaction(transactionalId: string): Promise<LogTransaction> {
    this.openTransactions.get(transactionalId)?.fence();
    const transaction = new MemoryTransaction(this, transactionalId);
    this.openTransactions.set(transactionalId, transaction);
    return transaction;
  }

  /** Aborts open transactions and closes every reader. */
  async close(): Promise<void> {
    for (const transaction of this.openTransactions.values()) transaction.fence();
    this.openTransactions.clear();
    for (const group of this.groups.values()) {
      for (const member of [...group.members]) await member.close();
    }
  }

  /**
   * Compacts a compacted topic as Kafka's log cleaner would: per partition, only the latest
   * record of each key survives, tombstones too unless `dropTombstones` (default true, as
   * after delete.retention.ms), and records of aborted transactions and transaction markers
   * go. Offsets never change, so readers see gaps. Open transactions are left alone.
   */
  compact(topicName: string, options: { dropTombstones?: boolean } = {}): void {
    const topic = this.topic(topicName);
    if (topic.cleanupPolicy !== 'compact') {
      throw new LogError('invalid_argument', `Topic '${topicName}' is not compacted (cleanup.policy=delete)`);
    }
    const dropTombstones = options.dropTombstones ?? true;
    for (const partition of topic.partitions) {
      const stableEnd = partition.lastStableOffset();
      const latestByKey = new Map<string, bigint>();
      for (const entry of partition.entries) {
        if (entry.offset >= stableEnd || entry.control || entry.key === null) continue;
        if (entry.transaction?.status === 'aborted') continue;
        latestByKey.set(entry.key.toString('base64'), entry.offset);
      }
      partition.entries = partition.entries.filter((entry) => {
        if (entry.offset >= stableEnd) return true;
        if (entry.control || entry.transaction?.status === 'aborted' || entry.key === null) return false;
        if (latestByKey.get(entry.key.toString('base64')) !== entry.offset) return false;
        return !(dropTombstones && entry.value === null);
      });
    }
  }

  // ---- internals shared with MemoryReader and MemoryTransaction ----

  /** @internal */
  appendEntries(
    topicName: string,
    records: readonly ProducerRecord[],
    transaction: TransactionState | undefined,
  ): AppendResult[] {
    const topic = this.topic(topicName);
    // Validate the whole batch before writing any of it, so a bad record appends nothing.
    const placed = records.map((record) => {
      if (topic.cleanupPolicy === 'compact' && record.key === null) {
        throw new LogError(
          'invalid_argument',
          `Compacted topic '${topicName}' cannot accept a record without a key`,
        );
      }
      return { record, partition: this.partitioner.choose(topicName, record, topic.partitions.length) };
    });
    const now = this.clock();
    const results = placed.map(({ record, partition }) => {
      const state = topic.partitions[partition]!;
      const offset = state.nextOffset++;
      const timestamp = record.timestamp ?? now;
      const entry: Entry = {
        offset,
        timestamp,
        key: copyBuffer(record.key),
        value: copyBuffer(record.value),
        headers: (record.headers ?? []).map((h) => ({ key: h.key, value: copyBuffer(h.value) })),
      };
      if (transaction) {
        entry.transaction = transaction;
        if (!state.openTransactions.has(transaction)) state.openTransactions.set(transaction, offset);
      }
      state.entries.push(entry);
      return { topic: topicName, partition, offset, timestamp };
    });
    this.notify();
    return results;
  }

  /** @internal Writes the marker that ends a transaction in one partition. */
  appendControl(topicName: string, partition: number, transaction: TransactionState): void {
    const state = this.topics.get(topicName)?.partitions[partition];
    if (!state) return;
    state.openTransactions.delete(transaction);
    state.entries.push({
      offset: state.nextOffset++,
      timestamp: this.clock(),
      key: null,
      value: null,
      headers: [],
      transaction,
      control: true,
    });
  }

  /** @internal */
  partitionState(topic: string, partition: number): PartitionState | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** @internal */
  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    const group = this.group(groupId);
    for (const { topic, partition, offset } of offsets) {
      if (!this.partitionState(topic, partition)) {
        throw new LogError(
          'unknown_partition',
          `Cannot commit offset for unknown partition ${topic}-${partition}`,
        );
      }
      if (offset < 0n) throw new LogError('invalid_argument', `Cannot commit negative offset ${offset}`);
    }
    for (const { topic, partition, offset } of offsets) {
      group.committed.set(topicPartitionKey(topic, partition), { topic, partition, offset });
    }
  }

  /** @internal */
  committedOffset(groupId: string, topic: string, partition: number): bigint | undefined {
    return this.groups.get(groupId)?.committed.get(topicPartitionKey(topic, partition))?.offset;
  }

  /** @internal */
  leave(group: GroupState, reader: MemoryReader): void {
    group.members = group.members.filter((m) => m !== reader);
    this.rebalance(group);
    this.notify();
  }

  /** @internal Wakes every poll that is waiting for something to change. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** @internal Resolves at the next notify() or after `timeoutMs`, whichever is first. */
  waitForChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /** @internal */
  topicPartitionCount(name: string): number {
    return this.topics.get(name)?.partitions.length ?? 0;
  }

  private topic(name: string): TopicState {
    const topic = this.topics.get(name);
    if (!topic) throw new LogError('unknown_topic', `Topic '${name}' does not exist`);
    return topic;
  }

  private group(groupId: string): GroupState {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { committed: new Map(), members: [] };
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Range assignment per topic, members in join order, as Kafka's RangeAssignor. */
  private rebalance(group: GroupState): void {
    const assignments = new Map<MemoryReader, TopicPartition[]>(group.members.map((m) => [m, []]));
    const topics = new Set(group.members.flatMap((m) => m.topics));
    for (const topic of [...topics].sort()) {
      const members = group.members.filter((m) => m.topics.includes(topic));
      const count = this.topicPartitionCount(topic);
      const perMember = Math.floor(count / members.length);
      const extra = count % members.length;
      let next = 0;
      members.forEach((member, i) => {
        const take = perMember + (i < extra ? 1 : 0);
        for (let p = next; p < next + take; p++) assignments.get(member)!.push({ topic, partition: p });
        next += take;
      });
    }
    for (const [member, assignment] of assignments) member.assign(assignment);
  }
}

class MemoryReader implements LogReader {
  readonly topics: readonly string[];
  private readonly groupId: string;
  private readonly autoOffsetReset: 'earliest' | 'latest';
  private readonly isolationLevel: IsolationLevel;
  private assigned: TopicPartition[] = [];
  private readonly position = new Map<string, bigint>();
  private readonly paused = new Set<string>();
  private closed = false;
  private failure?: LogError;
  /** Rotates the partition a poll starts from, so one busy partition cannot starve others. */
  private nextStart = 0;

  constructor(
    private readonly log: MemoryLog,
    private readonly group: GroupState,
    options: ReaderOptions,
    readonly memberId: number,
  ) {
    this.topics = [...options.topics];
    this.groupId = options.groupId;
    this.autoOffsetReset = options.autoOffsetReset ?? 'latest';
    this.isolationLevel = options.isolationLevel ?? 'read_committed';
  }

  /** Called by the group on every rebalance. Newly assigned partitions start at the group's committed offset. */
  assign(assignment: TopicPartition[]): void {
    const keep = new Set(assignment.map((tp) => topicPartitionKey(tp.topic, tp.partition)));
    for (const key of this.position.keys()) if (!keep.has(key)) this.position.delete(key);
    for (const key of this.paused) if (!keep.has(key)) this.paused.delete(key);
    for (const { topic, partition } of assignment) {
      const key = topicPartitionKey(topic, partition);
      if (!this.position.has(key)) this.position.set(key, this.startingOffset(topic, partition));
    }
    this.assigned = assignment;
  }

  /** A reader that could not join its group: every poll rejects with `error`. */
  fail(error: LogError): void {
    this.failure = error;
  }

  async poll(options: PollOptions = {}): Promise<LogRecord[]> {
    this.ensureOpen();
    if (this.failure) throw this.failure;
    const maxRecords = options.maxRecords ?? DEFAULT_MAX_POLL_RECORDS;
    const deadline = Date.now() + (options.timeoutMs ?? 0);
    for (;;) {
      if (this.closed) return [];
      const records = this.read(maxRecords);
      const remaining = deadline - Date.now();
      if (records.length > 0 || remaining <= 0) return records;
      await this.log.waitForChange(remaining);
    }
  }

  async commit(positions?: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    this.log.commitOffsets(this.groupId, positions ?? this.positions());
  }

  async committed(): Promise<TopicPartitionOffset[]> {
    return this.log.committedOffsets(this.groupId, this.topics);
  }

  assignment(): TopicPartition[] {
    return this.assigned.map((tp) => ({ ...tp }));
  }

  positions(): TopicPartitionOffset[] {
    return this.assigned.map(({ topic, partition }) => ({
      topic,
      partition,
      offset: this.position.get(topicPartitionKey(topic, partition))!,
    }));
  }

  seek(topic: string, partition: number, offset: bigint): void {
    this.ensureOpen();
    const key = topicPartitionKey(topic, partition);
    if (!this.position.has(key)) {
      throw new LogError(
        'not_assigned',
        `Cannot seek ${topic}-${partition}: it is not assigned to this reader`,
      );
    }
    if (offset < 0n) throw new LogError('invalid_argument', `Cannot seek to negative offset ${offset}`);
    this.position.set(key, offset);
    this.log.notify();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.paused.add(topicPartitionKey(topic, partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.paused.delete(topicPartitionKey(topic, partition));
    this.log.notify();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.log.leave(this.group, this);
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogError('reader_closed', `Reader of group '${this.groupId}' is closed`);
  }

  private startingOffset(topic: string, partition: number): bigint {
    const committed = this.log.committedOffset(this.groupId, topic, partition);
    if (committed !== undefined) return committed;
    const state = this.log.partitionState(topic, partition)!;
    if (this.autoOffsetReset === 'earliest') return state.startOffset;
    return this.isolationLevel === 'read_committed' ? state.lastStableOffset() : state.nextOffset;
  }

  private read(maxRecords: number): LogRecord[] {
    const out: LogRecord[] = [];
    const count = this.assigned.length;
    const start = this.nextStart++;
    for (let i = 0; i < count && out.length < maxRecords; i++) {
      const { topic, partition } = this.assigned[(start + i) % count]!;
      const key = topicPartitionKey(topic, partition);
      if (this.paused.has(key)) continue;
      const state = this.log.partitionState(topic, partition);
      if (!state) continue;
      const limit = this.isolationLevel === 'read_committed' ? state.lastStableOffset() : state.nextOffset;
      let position = this.position.get(key)!;
      let index = state.indexOf(position);
      for (; index < state.entries.length && out.length < maxRecords; index++) {
        const entry = state.entries[index]!;
        if (entry.offset >= limit) break;
        position = entry.offset + 1n;
        if (entry.control) continue;
        if (this.isolationLevel === 'read_committed' && entry.transaction?.status === 'aborted') continue;
        out.push({
          topic,
          partition,
          offset: entry.offset,
          key: copyBuffer(entry.key),
          value: copyBuffer(entry.value),
          timestamp: entry.timestamp,
          headers: entry.headers.map((h) => ({ key: h.key, value: copyBuffer(h.value) })),
        });
      }
      // Everything below the limit has been scanned: skip trailing gaps and markers too.
      const exhausted = index >= state.entries.length || state.entries[index]!.offset >= limit;
      if (exhausted && position < limit && out.length < maxRecords) position = limit;
      this.position.set(key, position);
    }
    return out;
  }
}

class MemoryTransaction implements LogTransaction {
  private readonly state: TransactionState = { status: 'open' };
  private readonly touched = new Map<string, TopicPartition>();
  private readonly pendingOffsets = new Map<string, TopicPartitionOffset[]>();
  private fenced = false;

  constructor(
    private readonly log: MemoryLog,
    private readonly transactionalId: string,
  ) {}

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]> {
    this.ensureOpen();
    const results = this.log.appendEntries(topic, records, this.state);
    for (const r of results) this.touched.set(topicPartitionKey(r.topic, r.partition), r);
    return results;
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    this.pendingOffsets.set(groupId, [...(this.pendingOffsets.get(groupId) ?? []), ...offsets]);
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    for (const [groupId, offsets] of this.pendingOffsets) this.log.commitOffsets(groupId, offsets);
    this.end('committed');
  }

  async abort(): Promise<void> {
    this.ensureOpen();
    this.end('aborted');
  }

  /** A newer transaction with the same id took over: this one is aborted and unusable. */
  fence(): void {
    if (this.state.status === 'open') this.end('aborted');
    this.fenced = true;
  }

  private end(status: TransactionStatus): void {
    this.state.status = status;
    for (const { topic, partition } of this.touched.values())
      this.log.appendControl(topic, partition, this.state);
    this.log.notify();
  }

  private ensureOpen(): void {
    if (this.fenced) {
      throw new LogError(
        'fenced',
        `Transaction '${this.transactionalId}' was fenced by a newer one with the same id`,
      );
    }
    if (this.state.status !== 'open') {
      throw new LogError(
        'transaction_state',
        `Transaction '${this.transactionalId}' is already ${this.state.status}`,
      );
    }
  }
}

function copyBuffer(value: Buffer | null): Buffer | null {
  return value === null ? null : Buffer.from(value);
}

function sortPositions(positions: TopicPartitionOffset[]): TopicPartitionOffset[] {
  return positions.sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
}
