/**
 * Push queries that start at the end of their source (`auto.offset.reset` = latest) share one
 * consumer per source topic: each new query subscribes to the records the shared reader polls
 * from then on, so a hundred clients watching one stream cost one consumer, not a hundred
 * group members. The reader is opened by the first subscriber and closed when the last one
 * leaves. Queries reading from the beginning keep a reader of their own: their records are
 * not everybody's.
 */
import type { Log, LogReader, LogRecord, PollOptions } from '../log/log.js';

/** What a push query reads from: its own LogReader, or a subscription to a shared one. */
export interface RecordSource {
  poll(options?: PollOptions): Promise<LogRecord[]>;
  close(): Promise<void>;
}

/** Records a subscriber may have waiting before it counts as fallen behind and is ended. */
const MAX_QUEUED_RECORDS = 100_000;
const POLL_TIMEOUT_MS = 200;

export class SharedSourceReaders {
  private readonly readers = new Map<string, SharedReader>();

  constructor(
    private readonly log: Log,
    /** Prefix of the consumer group ids of the shared readers. */
    private readonly groupPrefix: string,
  ) {}

  /** A new subscription to the records of `topic` from now on. */
  subscribe(topic: string): RecordSource {
    let reader = this.readers.get(topic);
    if (reader === undefined) {
      const groupId = `${this.groupPrefix}${topic}_${Math.floor(Math.random() * 2 ** 40)}`;
      reader = new SharedReader(
        this.log.openReader({ groupId, topics: [topic], autoOffsetReset: 'latest' }),
        () => this.readers.delete(topic),
      );
      this.readers.set(topic, reader);
    }
    return reader.subscribe();
  }

  /** Shared readers open now (one per topic with subscribers). */
  get size(): number {
    return this.readers.size;
  }

  /** Subscribers of the shared reader of `topic`. */
  subscribers(topic: string): number {
    return this.readers.get(topic)?.subscriberCount ?? 0;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.readers.values()].map((r) => r.close()));
  }
}

class SharedReader {
  private readonly subscriptions = new Set<Subscription>();
  private readonly loop: Promise<void>;
  private stopping = false;

  constructor(
    private readonly reader: LogReader,
    private readonly onEmpty: () => void,
  ) {
    this.loop = this.run();
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  subscribe(): Subscription {
    const subscription = new Subscription(this);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async leave(subscription: Subscription): Promise<void> {
    if (!this.subscriptions.delete(subscription)) return;
    if (this.subscriptions.size === 0) await this.close();
  }

  async close(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.onEmpty();
    }
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping) {
        const records = await this.reader.poll({ timeoutMs: POLL_TIMEOUT_MS });
        if (records.length > 0) for (const subscription of this.subscriptions) subscription.deliver(records);
      }
    } catch (err) {
      this.stopping = true;
      this.onEmpty();
      for (const subscription of this.subscriptions) subscription.fail(err);
    } finally {
      await this.reader.close().catch(() => {});
    }
  }
}

class Subscription implements RecordSource {
  private queue: LogRecord[] = [];
  private error: unknown;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly owner: SharedReader) {}

  deliver(records: readonly LogRecord[]): void {
    if (this.closed) return;
    for (const record of records) this.queue.push(record);
    if (this.queue.length > MAX_QUEUED_RECORDS) {
      this.fail(new Error('The push query fell too far behind its source and was ended.'));
      void this.owner.leave(this);
    }
    this.wake?.();
  }

  fail(error: unknown): void {
    this.error ??= error;
    this.wake?.();
  }

  async poll(options: PollOptions = {}): Promise<LogRecord[]> {
    if (this.closed) return [];
    if (this.queue.length === 0 && this.error === undefined && (options.timeoutMs ?? 0) > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.timeoutMs);
        const self = this;
        function done(): void {
          clearTimeout(timer);
          self.wake = undefined;
          resolve();
        }
        this.wake = done;
      });
    }
    if (this.queue.length === 0 && this.error !== undefined) throw this.error;
    return this.queue.splice(0, options.maxRecords ?? 500);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.wake?.();
    await this.owner.leave(this);
  }
}
