/**
 * The Log a sandbox engine validates a command on: topic metadata and offsets are read from
 * the real log, so a statement sees the topics that exist, but everything that would change
 * something (creating, deleting and writing topics, consumer groups, transactions) happens
 * in memory only. A sandbox never touches a real topic.
 */
import type {
  AppendResult,
  Log,
  LogReader,
  LogTransaction,
  PartitionOffset,
  ProducerRecord,
  ReaderOptions,
  TopicDescription,
  TopicPartitionOffset,
  TopicSpec,
} from '../log/log.js';
import { MemoryLog } from '../log/memory-log.js';

export class SandboxLog implements Log {
  private readonly memory = new MemoryLog();
  private readonly deleted = new Set<string>();

  constructor(private readonly real: Log) {}

  async ensureTopic(name: string, spec: TopicSpec): Promise<{ created: boolean }> {
    if (!this.deleted.has(name) && (await this.real.describeTopic(name)) !== undefined)
      return { created: false };
    this.deleted.delete(name);
    return this.memory.ensureTopic(name, spec);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const local = await this.memory.describeTopic(name);
    if (local !== undefined || this.deleted.has(name)) return local;
    return this.real.describeTopic(name);
  }

  async listTopics(): Promise<string[]> {
    const names = new Set([...(await this.real.listTopics()), ...(await this.memory.listTopics())]);
    return [...names].filter((n) => !this.deleted.has(n) || this.memoryHas(n));
  }

  async deleteTopic(name: string): Promise<boolean> {
    const existed = (await this.describeTopic(name)) !== undefined;
    await this.memory.deleteTopic(name);
    this.deleted.add(name);
    return existed;
  }

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]> {
    const description = await this.describeTopic(topic);
    if (description !== undefined)
      await this.memory.ensureTopic(topic, { partitions: description.partitions });
    return this.memory.append(topic, records);
  }

  openReader(options: ReaderOptions): LogReader {
    return this.memory.openReader(options);
  }

  endOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.memoryHas(topic) ? this.memory.endOffsets(topic) : this.real.endOffsets(topic);
  }

  beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.memoryHas(topic) ? this.memory.beginningOffsets(topic) : this.real.beginningOffsets(topic);
  }

  committedOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]> {
    return this.real.committedOffsets(groupId, topics);
  }

  beginTransaction(transactionalId: string): Promise<LogTransaction> {
    return this.memory.beginTransaction(transactionalId);
  }

  /** Closes the in-memory part only: the real log belongs to the engine the sandbox copies. */
  close(): Promise<void> {
    return this.memory.close();
  }

  private memoryHas(topic: string): boolean {
    return this.memory.topicPartitionCount(topic) > 0;
  }
}
