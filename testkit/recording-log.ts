/**
 * A Log that remembers every record appended to each topic, in append order across
 * partitions. Upstream's harness reads a topic back as one ordered list whatever the
 * partition; this tap gives the executor the same view without changing how the engine
 * partitions its output.
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
} from '../engine/log/log.js';

export interface RecordedRecord {
  readonly record: ProducerRecord;
  readonly result: AppendResult;
}

export class RecordingLog implements Log {
  private readonly appended = new Map<string, RecordedRecord[]>();

  constructor(private readonly inner: Log) {}

  /** Every record appended to the topic so far, in append order. */
  recorded(topic: string): readonly RecordedRecord[] {
    return this.appended.get(topic) ?? [];
  }

  private remember(
    topic: string,
    records: readonly ProducerRecord[],
    results: readonly AppendResult[],
  ): void {
    let list = this.appended.get(topic);
    if (list === undefined) {
      list = [];
      this.appended.set(topic, list);
    }
    records.forEach((record, i) => {
      list.push({ record, result: results[i]! });
    });
  }

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendResult[]> {
    const results = await this.inner.append(topic, records);
    this.remember(topic, records, results);
    return results;
  }

  async beginTransaction(transactionalId: string): Promise<LogTransaction> {
    const tx = await this.inner.beginTransaction(transactionalId);
    const pending: [string, readonly ProducerRecord[], AppendResult[]][] = [];
    return {
      append: async (topic, records) => {
        const results = await tx.append(topic, records);
        pending.push([topic, records, results]);
        return results;
      },
      sendOffsets: (groupId, offsets) => tx.sendOffsets(groupId, offsets),
      commit: async () => {
        await tx.commit();
        for (const [topic, records, results] of pending) this.remember(topic, records, results);
      },
      abort: () => tx.abort(),
    };
  }

  ensureTopic(name: string, spec: TopicSpec): Promise<{ created: boolean }> {
    return this.inner.ensureTopic(name, spec);
  }
  describeTopic(name: string): Promise<TopicDescription | undefined> {
    return this.inner.describeTopic(name);
  }
  listTopics(): Promise<string[]> {
    return this.inner.listTopics();
  }
  deleteTopic(name: string): Promise<boolean> {
    this.appended.delete(name);
    return this.inner.deleteTopic(name);
  }
  openReader(options: ReaderOptions): LogReader {
    return this.inner.openReader(options);
  }
  endOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.inner.endOffsets(topic);
  }
  beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.inner.beginningOffsets(topic);
  }
  committedOffsets(groupId: string, topics?: readonly string[]): Promise<TopicPartitionOffset[]> {
    return this.inner.committedOffsets(groupId, topics);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
