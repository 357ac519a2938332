import Module, { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import { FetchBuffer } from './fetch-buffer.js';
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

/**
 * The Log on a real Kafka broker, through kafkajs (the one module of Sluice that touches
 * kafkajs). See docs/kafkajs-compatibility.md for what kafkajs 2.2.4 does against Kafka 4.x
 * and the workarounds below.
 */
export interface KafkaLogOptions {
  bootstrapServers: string | readonly string[];
  clientId?: string;
  /** kafkajs's own logging. Default 'error', and even then errors Sluice handles are dropped (quietLogCreator). */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** The clock for records appended without a timestamp. Default Date.now. */
  clock?: () => number;
  /** A reader pauses fetching above this many buffered records and resumes below half. Default 10000. */
  maxBufferedRecords?: number;
  /** The same bound in bytes of keys, values and headers. Default 32 MiB. */
  maxBufferedBytes?: number;
  sessionTimeoutMs?: number;
  /** Lower than kafkajs's 3 s so a group notices joins and leaves quickly. Default 1000. */
  heartbeatIntervalMs?: number;
  /** How long the broker holds an empty fetch; bounds how soon a resumed partition is fetched. Default 250. */
  fetchMaxWaitMs?: number;
  /** kafkajs's retry policy for retriable broker errors; default kafkajs's (5 retries, up to 30 s). */
  retry?: { retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number };
}

const require = createRequire(import.meta.url);
const wirePatched = installWirePatches();
const kafkajs = require('kafkajs') as typeof KafkaJs;

const DEFAULT_MAX_POLL_RECORDS = 500;

export class KafkaLog implements Log {
  private readonly kafka: KafkaJs.Kafka;
  private readonly options: KafkaLogOptions;
  private readonly clock: () => number;
  private readonly partitioner = new RecordPartitioner();
  private readonly partitionCounts = new Map<string, number>();
  private readonly readers = new Set<KafkaReader>();
  private readonly transactionalProducers = new Map<string, Promise<KafkaJs.Producer>>();
  /** Transactional producers to replace before their next transaction (see resetClients). */
  private readonly staleTransactionalProducers = new Set<string>();
  private readonly openTransactions = new Map<string, KafkaTransaction>();
  private adminClient?: Promise<KafkaJs.Admin>;
  private producerClient?: Promise<KafkaJs.Producer>;

  constructor(options: KafkaLogOptions) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    const brokers =
      typeof options.bootstrapServers === 'string'
        ? options.bootstrapServers.split(',')
        : options.bootstrapServers;
    this.kafka = new kafkajs.Kafka({
      clientId: options.clientId ?? 'sluice',
      brokers: brokers.map((b) => b.trim()).filter((b) => b.length > 0),
      logLevel: kafkajsLogLevel(options.logLevel ?? 'error'),
      logCreator: quietLogCreator,
      ...(options.retry && { retry: kafkajsRetry(options.retry) }),
    });
  }

  async ensureTopic(name: string, spec: TopicSpec): Promise<{ created: boolean }> {
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new LogError('invalid_argument', `Topic '${name}' needs at least one partition`);
    }
    const configEntries: Array<{ name: string; value: string }> = [];
    if (spec.config?.cleanupPolicy) {
      configEntries.push({ name: 'cleanup.policy', value: spec.config.cleanupPolicy });
    }
    if (spec.config?.retentionMs !== undefined) {
      configEntries.push({ name: 'retention.ms', value: String(spec.config.retentionMs) });
    }
    for (const [key, value] of Object.entries(spec.config?.extra ?? {})) {
      configEntries.push({ name: key, value });
    }
    const created = await this.adminCall(`create topic '${name}'`, (admin) =>
      admin.createTopics({
        topics: [
          {
            topic: name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicas ?? -1,
            configEntries,
          },
        ],
        waitForLeaders: true,
      }),
    );
    this.partitionCounts.delete(name);
    return { created };
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    if (!(await this.topicExists(name))) return undefined;
    try {
      return await this.adminCall(`describe topic '${name}'`, async (admin) => {
        const metadata = await admin.fetchTopicMetadata({ topics: [name] });
        const partitions = metadata.topics[0]?.partitions.length ?? 0;
        const described = await admin.describeConfigs({
          resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name }],
          includeSynonyms: false,
        });
        const configs: Record<string, string> = {};
        for (const entry of described.resources[0]?.configEntries ?? []) {
          configs[entry.configName] = entry.configValue;
        }
        const cleanupPolicy: CleanupPolicy = (configs['cleanup.policy'] ?? '').includes('compact')
          ? 'compact'
          : 'delete';
        this.partitionCounts.set(name, partitions);
        return { name, partitions, cleanupPolicy, configs };
      });
    } catch (error) {
      if (isUnknownTopic(error)) return undefined;
      throw error;
    }
  }

  async listTopics(): Promise<string[]> {
    const topics = await this.adminCall('list topics', (admin) => admin.listTopics());
    return topics.filter((t) => !t.startsWith('__')).sort();
  }

  async deleteTopic(name: string): Promise<boolean> {
    this.partitionCounts.delete(name);
    if (!(await this.topicExists(name))) return false;
    try {
      await this.adminCall(`delete topic '${name}'`, (admin) => admin.deleteTopics({ topics: [name] }));
    } catch (error) {
      if (isUnknownTopic(error)) return false;
      throw error;
    }
    this.resetProducers();
    return true;
  }

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]> {
    const attempt = async () => {
      const producer = await this.producer();
      return this.send(topic, records, (messages) =>
        producer.send({ topic, acks: -1, messages: messages as KafkaJs.Message[] }),
      );
    };
    try {
      return await attempt();
    } catch (error) {
      // An unknown-topic error for a topic that exists comes from a stale producer (see resetClients).
      if (!isUnknownTopic(error) || !(await this.topicExists(topic))) throw error;
      this.resetProducers();
      return attempt();
    }
  }

  openReader(options: ReaderOptions): LogReader {
    const reader = new KafkaReader(
      this.kafka,
      options,
      this.options,
      (groupId, topics) => this.committedOffsets(groupId, topics),
      () => this.readers.delete(reader),
    );
    this.readers.add(reader);
    return reader;
  }

  async endOffsets(topic: string): Promise<PartitionOffset[]> {
    const offsets = await this.topicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, offset: BigInt(o.high) }));
  }

  async beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    const offsets = await this.topicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, offset: BigInt(o.low) }));
  }

  async committedOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]> {
    const fetched = await this.adminCall(`fetch offsets of group '${groupId}'`, (admin) =>
      topics === undefined
        ? admin.fetchOffsets({ groupId })
        : admin.fetchOffsets({ groupId, topics: [...topics] }),
    );
    const out: TopicPartitionOffset[] = [];
    for (const { topic, partitions } of fetched) {
      for (const { partition, offset } of partitions) {
        if (offset !== '-1') out.push({ topic, partition, offset: BigInt(offset) });
      }
    }
    return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  async beginTransaction(transactionalId: string): Promise<LogTransaction> {
    const previous = this.openTransactions.get(transactionalId);
    if (previous) await previous.fence();
    if (this.staleTransactionalProducers.delete(transactionalId))
      this.dropTransactionalProducer(transactionalId);
    const producer = await this.transactionalProducer(transactionalId);
    const transaction = await brokerCall(`begin transaction '${transactionalId}'`, () =>
      producer.transaction(),
    );
    const wrapped = new KafkaTransaction(this, transactionalId, transaction, () => {
      if (this.openTransactions.get(transactionalId) === wrapped)
        this.openTransactions.delete(transactionalId);
    });
    this.openTransactions.set(transactionalId, wrapped);
    return wrapped;
  }

  /** Aborts open transactions (so they do not hold back read_committed readers until they time out), then disconnects. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.openTransactions.values()].map((t) => t.abort()));
    await Promise.allSettled([...this.readers].map((r) => r.close()));
    const clients: Array<Promise<{ disconnect(): Promise<void> }> | undefined> = [
      this.adminClient,
      this.producerClient,
      ...this.transactionalProducers.values(),
    ];
    this.adminClient = undefined;
    this.producerClient = undefined;
    this.transactionalProducers.clear();
    await Promise.allSettled(clients.map(async (c) => (c ? (await c).disconnect() : undefined)));
  }

  /**
   * @internal Produces through `sendBatch` (a kafkajs producer or transaction). Sluice picks
   * partitions itself with the shared partitioner, so each record's offset is known:
   * kafkajs returns one base offset per partition, and records of a partition are written
   * in order as one batch.
   */
  async send(
    topic: string,
    records: readonly ProducerRecord[],
    sendBatch: (messages: unknown[]) => Promise<KafkaJs.RecordMetadata[]>,
  ): Promise<AppendResult[]> {
    const partitions = await this.partitionCount(topic);
    if (records.length === 0) return [];
    const now = this.clock();
    const placed = records.map((record) => {
      const partition = this.partitioner.choose(topic, record, partitions);
      const timestamp = record.timestamp ?? now;
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new LogError('invalid_argument', `Invalid record timestamp ${timestamp}`);
      }
      return { record, partition, timestamp };
    });
    const results: AppendResult[] = [];
    // One produce request per chunk, in order: a request larger than the broker's
    // message.max.bytes (1 MiB by default) would be refused whole.
    for (const chunk of byteChunks(placed, MAX_REQUEST_BYTES)) {
      const messages = chunk.map(({ record, partition, timestamp }) => ({
        key: record.key,
        value: record.value,
        partition,
        timestamp: wireTimestamp(timestamp),
        headers: wireHeaders(record.headers ?? []),
      }));
      let metadata: KafkaJs.RecordMetadata[];
      try {
        metadata = await sendBatch(messages);
      } catch (error) {
        if (isUnknownTopic(error)) this.partitionCounts.delete(topic);
        throw toLogError(`append to '${topic}'`, error);
      }
      const nextOffset = new Map<number, bigint>();
      for (const m of metadata) nextOffset.set(m.partition, BigInt(m.baseOffset ?? m.offset ?? '-1'));
      for (const { partition, timestamp } of chunk) {
        const offset = nextOffset.get(partition);
        if (offset === undefined || offset < 0n) {
          throw new LogError('broker', `The broker did not report an offset for ${topic}-${partition}`);
        }
        nextOffset.set(partition, offset + 1n);
        results.push({ topic, partition, offset, timestamp });
      }
    }
    return results;
  }

  /** @internal A fenced or stale producer is unusable: the next transaction gets a fresh one. */
  dropTransactionalProducer(transactionalId: string): void {
    const producer = this.transactionalProducers.get(transactionalId);
    this.transactionalProducers.delete(transactionalId);
    void producer?.then((p) => p.disconnect()).catch(() => undefined);
  }

  /** @internal */
  markTransactionalProducerStale(transactionalId: string): void {
    this.staleTransactionalProducers.add(transactionalId);
  }

  private async topicExists(topic: string): Promise<boolean> {
    return (await this.adminCall('list topics', (admin) => admin.listTopics())).includes(topic);
  }

  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    if (!(await this.topicExists(topic))) {
      throw new LogError('unknown_topic', `Topic '${topic}' does not exist`);
    }
    const metadata = await this.adminCall(`describe topic '${topic}'`, (admin) =>
      admin.fetchTopicMetadata({ topics: [topic] }),
    );
    const count = metadata.topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new LogError('unknown_topic', `Topic '${topic}' does not exist`);
    this.partitionCounts.set(topic, count);
    return count;
  }

  private async topicOffsets(topic: string) {
    if (!(await this.topicExists(topic))) {
      throw new LogError('unknown_topic', `Topic '${topic}' does not exist`);
    }
    const offsets = await this.adminCall(`fetch offsets of '${topic}'`, (admin) =>
      fetchOffsetsOnceLed(admin, topic),
    );
    return offsets.sort((a, b) => a.partition - b.partition);
  }

  /**
   * Runs an admin operation, healing one kafkajs flaw: a kafkajs client keeps every topic it
   * has looked at in all later metadata refreshes, so once one of them is deleted by another
   * client, its unrelated calls fail with UNKNOWN_TOPIC_OR_PARTITION. A fresh client has
   * forgotten them, so such a failure is retried once on a new admin client.
   */
  private async adminCall<T>(what: string, operation: (admin: KafkaJs.Admin) => Promise<T>): Promise<T> {
    const admin = await this.admin();
    try {
      return await operation(admin);
    } catch (error) {
      if (!isUnknownTopic(error)) throw toLogError(what, error);
    }
    if (this.adminClient) {
      const stale = this.adminClient;
      this.adminClient = undefined;
      void stale.then((a) => a.disconnect()).catch(() => undefined);
    }
    return brokerCall(what, async () => operation(await this.admin()));
  }

  /**
   * Producers get the same flaw as admin clients (see adminCall): after a topic they wrote to
   * is deleted, sends to any topic fail. So deleting a topic, or a send that fails that way,
   * replaces them: the plain producer at once, transactional ones before their next transaction.
   */
  private resetProducers(): void {
    const stale = this.producerClient;
    this.producerClient = undefined;
    void stale?.then((p) => p.disconnect()).catch(() => undefined);
    for (const transactionalId of this.transactionalProducers.keys()) {
      if (this.openTransactions.has(transactionalId)) this.staleTransactionalProducers.add(transactionalId);
      else this.dropTransactionalProducer(transactionalId);
    }
  }

  private admin(): Promise<KafkaJs.Admin> {
    this.adminClient ??= connected(this.kafka.admin(), 'admin');
    return this.adminClient;
  }

  private producer(): Promise<KafkaJs.Producer> {
    this.producerClient ??= connected(
      this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }),
      'producer',
    );
    return this.producerClient;
  }

  private transactionalProducer(transactionalId: string): Promise<KafkaJs.Producer> {
    let producer = this.transactionalProducers.get(transactionalId);
    if (!producer) {
      producer = connected(
        this.kafka.producer({
          transactionalId,
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
        }),
        'transactional producer',
      );
      this.transactionalProducers.set(transactionalId, producer);
    }
    return producer;
  }
}

class KafkaTransaction implements LogTransaction {
  private state: 'open' | 'committed' | 'aborted' | 'fenced' = 'open';

  constructor(
    private readonly log: KafkaLog,
    private readonly transactionalId: string,
    private readonly transaction: KafkaJs.Transaction,
    private readonly onEnd: () => void,
  ) {}

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]> {
    this.ensureOpen();
    return this.guard(() =>
      this.log.send(topic, records, (messages) =>
        this.transaction.send({ topic, acks: -1, messages: messages as KafkaJs.Message[] }),
      ),
    );
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const { topic, partition, offset } of offsets) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset: offset.toString() }]);
    }
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    await this.guard(() => this.transaction.sendOffsets({ consumerGroupId: groupId, topics }));
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    await this.guard(() => this.transaction.commit());
    this.end('committed');
  }

  async abort(): Promise<void> {
    this.ensureOpen();
    await this.guard(() => this.transaction.abort());
    this.end('aborted');
  }

  /** @internal A newer transaction with the same id in this process takes over. */
  async fence(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'fenced';
    this.onEnd();
    await this.transaction.abort().catch(() => undefined);
  }

  private end(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.onEnd();
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const logError =
        error instanceof LogError ? error : toLogError(`transaction '${this.transactionalId}'`, error);
      if (logError.code === 'unknown_topic') this.log.markTransactionalProducerStale(this.transactionalId);
      if (logError.code === 'fenced') {
        this.state = 'fenced';
        this.onEnd();
        this.log.dropTransactionalProducer(this.transactionalId);
      }
      throw logError;
    }
  }

  private ensureOpen(): void {
    if (this.state === 'fenced') {
      throw new LogError(
        'fenced',
        `Transaction '${this.transactionalId}' was fenced by a newer one with the same id`,
      );
    }
    if (this.state !== 'open') {
      throw new LogError(
        'transaction_state',
        `Transaction '${this.transactionalId}' is already ${this.state}`,
      );
    }
  }
}

/**
 * A pull-style reader over kafkajs's push-style consumer: `eachBatch` fills a bounded
 * FetchBuffer and `poll` drains it. kafkajs owns the group membership, fetching and
 * heartbeats; offsets are only committed by `commit` (autoCommit is off).
 */
class KafkaReader implements LogReader {
  private readonly consumer: KafkaJs.Consumer;
  private readonly groupId: string;
  private readonly topics: string[];
  private readonly buffer: FetchBuffer;
  private readonly userPaused = new Set<string>();
  private assigned: TopicPartition[] = [];
  /**
   * False from a group join until the first fetch that started after it has completed: kafkajs
   * reports the assignment before it resolves starting offsets, and a 'latest' reader must
   * not claim an assignment whose starting point is still open. (With several brokers kafkajs
   * fetches from each separately; the first one to complete opens the gate.)
   */
  private ready = false;
  private joinState: 'none' | 'joined' | 'fetching' = 'none';
  private backpressured = false;
  private closed = false;
  private fatal?: LogError;
  private readonly started: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(
    kafka: KafkaJs.Kafka,
    options: ReaderOptions,
    logOptions: KafkaLogOptions,
    private readonly committedOffsets: (
      groupId: string,
      topics: readonly string[],
    ) => Promise<TopicPartitionOffset[]>,
    private readonly onClose: () => void,
  ) {
    this.groupId = options.groupId;
    this.topics = [...options.topics];
    this.buffer = new FetchBuffer({
      maxRecords: logOptions.maxBufferedRecords ?? 10_000,
      maxBytes: logOptions.maxBufferedBytes ?? 32 * 1024 * 1024,
    });
    const isolationLevel: IsolationLevel = options.isolationLevel ?? 'read_committed';
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      readUncommitted: isolationLevel === 'read_uncommitted',
      allowAutoTopicCreation: false,
      sessionTimeout: logOptions.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: logOptions.heartbeatIntervalMs ?? 1_000,
      maxWaitTimeInMs: logOptions.fetchMaxWaitMs ?? 250,
    });
    this.listen();
    this.started = this.start(options.autoOffsetReset ?? 'latest').catch((error: unknown) => {
      this.fatal = toLogError(`start reader of group '${this.groupId}'`, error);
      this.notify();
    });
  }

  async poll(options: PollOptions = {}): Promise<LogRecord[]> {
    this.ensureOpen();
    const maxRecords = options.maxRecords ?? DEFAULT_MAX_POLL_RECORDS;
    const deadline = Date.now() + (options.timeoutMs ?? 0);
    for (;;) {
      if (this.closed) return [];
      if (this.fatal) throw this.fatal;
      const records = this.ready
        ? this.buffer.take(maxRecords, (topic, partition) =>
            this.userPaused.has(topicPartitionKey(topic, partition)),
          )
        : [];
      if (this.backpressured && this.buffer.isDrained()) this.applyBackpressure(false);
      const remaining = deadline - Date.now();
      if (records.length > 0 || remaining <= 0) return records;
      await this.waitForChange(remaining);
    }
  }

  async commit(positions?: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    await this.started;
    const offsets = (positions ?? this.positions()).map(({ topic, partition, offset }) => ({
      topic,
      partition,
      offset: offset.toString(),
    }));
    if (offsets.length === 0) return;
    await brokerCall(`commit offsets of group '${this.groupId}'`, () => this.consumer.commitOffsets(offsets));
  }

  async committed(): Promise<TopicPartitionOffset[]> {
    return this.committedOffsets(this.groupId, this.topics);
  }

  assignment(): TopicPartition[] {
    return this.ready ? this.assigned.map((tp) => ({ ...tp })) : [];
  }

  positions(): TopicPartitionOffset[] {
    return this.buffer.positions();
  }

  seek(topic: string, partition: number, offset: bigint): void {
    this.ensureOpen();
    if (offset < 0n) throw new LogError('invalid_argument', `Cannot seek to negative offset ${offset}`);
    if (!this.ready || !this.buffer.seek(topic, partition, offset)) {
      throw new LogError(
        'not_assigned',
        `Cannot seek ${topic}-${partition}: it is not assigned to this reader`,
      );
    }
    this.consumer.seek({ topic, partition, offset: offset.toString() });
    this.notify();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.userPaused.add(topicPartitionKey(topic, partition));
    void this.started.then(() => {
      if (!this.closed && !this.fatal) this.consumer.pause(groupByTopic(partitions));
    });
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      this.userPaused.delete(topicPartitionKey(topic, partition));
    }
    void this.started.then(() => {
      if (!this.closed && !this.fatal && !this.backpressured) this.consumer.resume(groupByTopic(partitions));
    });
    this.notify();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    this.onClose();
    await this.started;
    await this.consumer.disconnect().catch(() => undefined);
  }

  private async start(autoOffsetReset: 'earliest' | 'latest'): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: autoOffsetReset === 'earliest' });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, isStale }) => this.onBatch(batch, isStale()),
    });
    for (const key of this.userPaused) {
      const [topic, partition] = splitKey(key);
      this.consumer.pause([{ topic, partitions: [partition] }]);
    }
  }

  private listen(): void {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, (event) => {
      this.onAssignment(event.payload.memberAssignment);
    });
    this.consumer.on(events.FETCH_START, () => {
      if (this.joinState === 'joined') this.joinState = 'fetching';
    });
    this.consumer.on(events.FETCH, () => {
      if (this.joinState === 'fetching') {
        this.joinState = 'none';
        this.ready = true;
        this.notify();
      }
    });
    this.consumer.on(events.END_BATCH_PROCESS, (event) => {
      // Batches of only transaction markers or aborted records never reach eachBatch; they still
      // move the position, or a caught-up reader would seem to lag its end offset forever.
      if (event.payload.batchSize !== 0) return;
      this.buffer.skipTo(event.payload.topic, event.payload.partition, BigInt(event.payload.lastOffset) + 1n);
    });
    this.consumer.on(events.CRASH, (event) => {
      if (!event.payload.restart) {
        this.fatal = toLogError(`reader of group '${this.groupId}'`, event.payload.error);
        this.notify();
      }
    });
  }

  private onAssignment(memberAssignment: Record<string, number[]>): void {
    const assigned: TopicPartition[] = [];
    for (const [topic, partitions] of Object.entries(memberAssignment)) {
      for (const partition of [...partitions].sort((a, b) => a - b)) assigned.push({ topic, partition });
    }
    this.buffer.assign(assigned);
    this.assigned = assigned;
    this.ready = false;
    this.joinState = 'joined';
    this.notify();
  }

  private onBatch(batch: KafkaJs.Batch, stale: boolean): void {
    if (stale || this.closed) return;
    const records = batch.messages.map(
      (message): LogRecord => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: BigInt(message.offset),
        key: message.key,
        value: message.value,
        timestamp: Number(message.timestamp),
        headers: headersOf(message),
      }),
    );
    this.buffer.add(batch.topic, batch.partition, records, BigInt(batch.lastOffset()) + 1n);
    if (this.buffer.isFull()) this.applyBackpressure(true);
    this.notify();
  }

  /**
   * Pausing is repeated on every full batch (kafkajs ignores repeats) so partitions assigned
   * by a rebalance while the buffer was full get paused too; resuming happens once.
   */
  private applyBackpressure(on: boolean): void {
    if ((!on && !this.backpressured) || this.closed) return;
    this.backpressured = on;
    const partitions = this.assigned.filter(
      (tp) => !this.userPaused.has(topicPartitionKey(tp.topic, tp.partition)),
    );
    if (partitions.length === 0) return;
    if (on) this.consumer.pause(groupByTopic(partitions));
    else this.consumer.resume(groupByTopic(partitions));
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogError('reader_closed', `Reader of group '${this.groupId}' is closed`);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private waitForChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }
}

// ---- kafkajs glue ----

function connected<T extends { connect(): Promise<void> }>(client: T, what: string): Promise<T> {
  return client.connect().then(
    () => client,
    (error: unknown) => {
      throw toLogError(`connect ${what}`, error);
    },
  );
}

async function brokerCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toLogError(what, error);
  }
}

const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
const FENCED_ERRORS = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

function errorType(error: unknown): string | undefined {
  let current: unknown = error;
  while (current && typeof current === 'object') {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    current =
      (current as { originalError?: unknown; cause?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isUnknownTopic(error: unknown): boolean {
  return (
    errorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION' ||
    (error instanceof LogError && error.code === 'unknown_topic')
  );
}

function toLogError(what: string, error: unknown): LogError {
  if (error instanceof LogError) return error;
  const type = errorType(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = isUnknownTopic(error)
    ? 'unknown_topic'
    : type && REBALANCE_ERRORS.has(type)
      ? 'rebalance'
      : type && FENCED_ERRORS.has(type)
        ? 'fenced'
        : type === 'INVALID_TXN_STATE'
          ? 'transaction_state'
          : type === 'INVALID_RECORD' ||
              type === 'INVALID_PARTITIONS' ||
              type === 'INVALID_REPLICATION_FACTOR'
            ? 'invalid_argument'
            : 'broker';
  return new LogError(code, `Kafka: cannot ${what}: ${message}`, { cause: error });
}

function kafkajsLogLevel(level: NonNullable<KafkaLogOptions['logLevel']>): KafkaJs.logLevel {
  const levels = kafkajs.logLevel;
  return {
    nothing: levels.NOTHING,
    error: levels.ERROR,
    warn: levels.WARN,
    info: levels.INFO,
    debug: levels.DEBUG,
  }[level];
}

/**
 * kafkajs logs every error response at ERROR, also those it retries or hands to the caller
 * (a rebalance seen by a heartbeat, a topic that already exists, a coordinator still
 * loading). Those reach Sluice as results or LogErrors, so below debug level they are dropped
 * and only errors kafkajs cannot recover from are printed.
 */
function quietLogCreator(): (entry: KafkaJs.LogEntry) => void {
  const levels = kafkajs.logLevel;
  return ({ namespace, level, label, log }) => {
    const handledElsewhere =
      (namespace === 'Connection' && log.message.startsWith('Response')) ||
      (namespace === 'Consumer' && log.message.startsWith('Restarting')) ||
      'retryCount' in log;
    if (handledElsewhere && level < levels.DEBUG) return;
    const {
      message,
      timestamp: _timestamp,
      logger: _logger,
      ...extra
    } = log as typeof log & Record<string, unknown>;
    const stream = level <= levels.WARN ? process.stderr : process.stdout;
    stream.write(`kafkajs ${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`);
  };
}

function kafkajsRetry(retry: NonNullable<KafkaLogOptions['retry']>): KafkaJs.RetryOptions {
  // kafkajs spreads these over its defaults, so an explicit undefined would erase a default.
  const out: KafkaJs.RetryOptions = {};
  if (retry.retries !== undefined) out.retries = retry.retries;
  if (retry.initialRetryTimeMs !== undefined) out.initialRetryTime = retry.initialRetryTimeMs;
  if (retry.maxRetryTimeMs !== undefined) out.maxRetryTime = retry.maxRetryTimeMs;
  return out;
}

function groupByTopic(partitions: readonly TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions)
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps }));
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('\u0000');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

/**
 * kafkajs sorts the batch's timestamps as strings and treats a 0 timestamp as "now".
 * Zero-padded fixed-width strings sort numerically and are truthy, and kafkajs parses them
 * with Long.fromValue and `-`, which both ignore the padding.
 */
function wireTimestamp(timestamp: number): string {
  return String(timestamp).padStart(20, '0');
}

/**
 * With the wire patch, kafkajs takes the ordered header list as is. Without it only kafkajs's
 * object form is possible: headers grouped by key and no null values.
 */
function wireHeaders(headers: readonly Header[]): unknown {
  if (wirePatched) return headers.map((h) => ({ key: h.key, value: h.value }));
  const grouped: Record<string, Buffer[]> = {};
  for (const { key, value } of headers) {
    if (value === null) {
      throw new LogError(
        'invalid_argument',
        `Header '${key}' has a null value, which this kafkajs cannot send`,
      );
    }
    grouped[key] = [...(grouped[key] ?? []), value];
  }
  return grouped;
}

const ORDERED_HEADERS = Symbol.for('sluice.orderedHeaders');

function headersOf(message: KafkaJs.KafkaMessage): Header[] {
  const ordered = (message as unknown as Record<symbol, Array<{ key: string; value: Buffer | null }>>)[
    ORDERED_HEADERS
  ];
  if (ordered) return ordered.map((h) => ({ key: h.key, value: h.value }));
  const out: Header[] = [];
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      out.push({
        key,
        value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)),
      });
    }
  }
  return out;
}

/**
 * kafkajs 2.2.4 loses two things Kafka's record format has: header order across different
 * keys (it folds headers into an object) and null header values (its size computation throws
 * on them). Both live in its record v0 codec, so Sluice swaps in a record encoder that takes
 * an ordered header list, and wraps the record decoder to keep the ordered list next to
 * kafkajs's object. This has to happen before kafkajs loads its produce and fetch protocol
 * modules; if kafkajs was loaded earlier, the patch is skipped and KafkaLog falls back to
 * kafkajs's own header handling (see wireHeaders).
 */
function installWirePatches(): boolean {
  const cache = (Module as unknown as { _cache: Record<string, { exports: unknown } | undefined> })._cache;
  let recordEncoderPath: string;
  let recordDecoderPath: string;
  let batchDecoderPath: string;
  let produceRequestPath: string;
  try {
    recordEncoderPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    recordDecoderPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
    batchDecoderPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js');
    produceRequestPath = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
  } catch {
    return false;
  }
  if (cache[batchDecoderPath] || cache[produceRequestPath]) return false;

  const Encoder = require('kafkajs/src/protocol/encoder.js') as KafkajsEncoderClass;
  const encodeHeader = require('kafkajs/src/protocol/recordBatch/header/v0/index.js') as (h: {
    key: string;
    value: Buffer | string | null;
  }) => unknown;
  const decodeRecord = require(recordDecoderPath) as (decoder: KafkajsDecoder, ...rest: unknown[]) => object;
  require(recordEncoderPath);
  const encoderModule = cache[recordEncoderPath];
  const decoderModule = cache[recordDecoderPath];
  if (!encoderModule || !decoderModule) return false;

  encoderModule.exports = ({
    offsetDelta = 0,
    timestampDelta = 0,
    key,
    value,
    headers = {},
  }: {
    offsetDelta?: number;
    timestampDelta?: number;
    key: Buffer | string | null;
    value: Buffer | string | null;
    headers?: unknown;
  }) => {
    const list = toHeaderList(headers);
    let headersSize = Encoder.sizeOfVarInt(list.length);
    for (const h of list)
      headersSize += Encoder.sizeOfVarIntBytes(h.key) + Encoder.sizeOfVarIntBytes(h.value);
    const bodySize =
      1 +
      Encoder.sizeOfVarLong(timestampDelta) +
      Encoder.sizeOfVarInt(offsetDelta) +
      Encoder.sizeOfVarIntBytes(key) +
      Encoder.sizeOfVarIntBytes(value) +
      headersSize;
    return new Encoder()
      .writeVarInt(bodySize)
      .writeInt8(0)
      .writeVarLong(timestampDelta)
      .writeVarInt(offsetDelta)
      .writeVarIntBytes(key)
      .writeVarIntBytes(value)
      .writeVarIntArray(list.map(encodeHeader));
  };

  decoderModule.exports = (decoder: KafkajsDecoder, ...rest: unknown[]) => {
    let ordered: unknown;
    const readVarIntArray = decoder.readVarIntArray;
    // Headers are the last array a record decodes: capture it on its way to the object fold.
    decoder.readVarIntArray = function capture(this: KafkajsDecoder, ...args: unknown[]) {
      ordered = readVarIntArray.apply(this, args);
      return ordered;
    };
    try {
      const record = decodeRecord(decoder, ...rest);
      Object.defineProperty(record, ORDERED_HEADERS, { value: ordered, enumerable: false });
      return record;
    } finally {
      decoder.readVarIntArray = readVarIntArray;
    }
  };
  return true;
}

function toHeaderList(headers: unknown): Array<{ key: string; value: Buffer | string | null }> {
  if (Array.isArray(headers)) return headers as Array<{ key: string; value: Buffer | null }>;
  const list: Array<{ key: string; value: Buffer | string | null }> = [];
  for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      list.push({ key, value: v === undefined || v === null ? null : (v as Buffer | string) });
    }
  }
  return list;
}

interface KafkajsEncoder {
  writeVarInt(value: number): KafkajsEncoder;
  writeInt8(value: number): KafkajsEncoder;
  writeVarLong(value: number): KafkajsEncoder;
  writeVarIntBytes(value: Buffer | string | null): KafkajsEncoder;
  writeVarIntArray(values: unknown[]): KafkajsEncoder;
}

interface KafkajsEncoderClass {
  new (): KafkajsEncoder;
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: number): number;
  sizeOfVarIntBytes(value: Buffer | string | null): number;
}

interface KafkajsDecoder {
  readVarIntArray: (...args: unknown[]) => unknown;
}

/** The most record bytes one produce request carries; the broker's default limit is 1 MiB. */
const MAX_REQUEST_BYTES = 512 * 1024;

/** Splits records, in order, into runs of at most `maxBytes` (a larger record travels alone). */
function byteChunks<T extends { readonly record: ProducerRecord }>(
  items: readonly T[],
  maxBytes: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = recordBytes(item.record);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function recordBytes(record: ProducerRecord): number {
  let size = 32 + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers ?? []) size += 8 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return size;
}

/**
 * `admin.fetchTopicOffsets`, waiting out a topic created a moment ago: until every partition
 * has a leader, kafkajs fails inside its own code (a TypeError over the empty leader list)
 * rather than with a Kafka error, so that failure is retried for a few seconds.
 */
async function fetchOffsetsOnceLed(admin: KafkaJs.Admin, topic: string) {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error instanceof TypeError) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const LEADER_WAIT_MS = 5000;
