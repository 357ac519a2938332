import { afterEach, beforeEach, expect, it } from 'vitest';
import type {
  Header,
  Log,
  LogReader,
  LogRecord,
  ProducerRecord,
  ReaderOptions,
} from '../../../engine/log/log.js';
import { partitionForKey } from '../../../engine/log/partitioner.js';
import { uniqueName } from '../../support/kafka.js';

/**
 * The behaviour every Log implementation must have. Defines vitest tests in the current
 * describe block; MemoryLog and KafkaLog each run it. Asynchronous convergence (group joins,
 * rebalances, deletes) is awaited with poll loops bounded by `convergeMs`, never asserted on
 * time.
 */
export interface LogContractOptions {
  createLog: () => Log;
  /** Upper bound for a group join or rebalance to settle. */
  convergeMs: number;
}

export function logContract(options: LogContractOptions): void {
  let log: Log;
  const readers: LogReader[] = [];
  const topics: string[] = [];

  beforeEach(() => {
    log = options.createLog();
  });

  afterEach(async () => {
    await Promise.allSettled(readers.splice(0).map((r) => r.close()));
    // A shared broker should not fill up with test topics run after run.
    await Promise.allSettled(topics.splice(0).map((t) => log.deleteTopic(t)));
    await log.close();
  });

  function open(readerOptions: ReaderOptions): ReaderDriver {
    const reader = log.openReader(readerOptions);
    readers.push(reader);
    return new ReaderDriver(reader, options.convergeMs);
  }

  async function topic(partitions: number, cleanupPolicy: 'delete' | 'compact' = 'delete'): Promise<string> {
    const name = uniqueName('contract');
    topics.push(name);
    await log.ensureTopic(name, { partitions, config: { cleanupPolicy } });
    return name;
  }

  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + options.convergeMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('creates, describes, lists and deletes topics', async () => {
    const name = uniqueName('contract-admin');
    expect(await log.describeTopic(name)).toBeUndefined();
    expect(await log.ensureTopic(name, { partitions: 3, config: { cleanupPolicy: 'compact' } })).toEqual({
      created: true,
    });
    expect(await log.ensureTopic(name, { partitions: 5 })).toEqual({ created: false });
    const described = await log.describeTopic(name);
    expect(described).toMatchObject({ name, partitions: 3, cleanupPolicy: 'compact' });
    expect(described?.configs['cleanup.policy']).toBe('compact');
    expect(await log.listTopics()).toContain(name);

    const plain = await topic(1);
    expect(await log.describeTopic(plain)).toMatchObject({ partitions: 1, cleanupPolicy: 'delete' });

    expect(await log.deleteTopic(name)).toBe(true);
    await eventually(async () => (await log.describeTopic(name)) === undefined, `${name} is gone`);
    await eventually(async () => !(await log.listTopics()).includes(name), `${name} is not listed`);
    expect(await log.deleteTopic(name)).toBe(false);
  });

  it('rejects appends to a topic that does not exist', async () => {
    await expect(log.append(uniqueName('contract-missing'), [record('k', 'v')])).rejects.toMatchObject({
      code: 'unknown_topic',
    });
  });

  it('fails the polls of a reader of a topic that does not exist', async () => {
    const driver = open({ groupId: uniqueName('g'), topics: [uniqueName('contract-missing')] });
    const deadline = Date.now() + options.convergeMs;
    const failure = (async () => {
      while (Date.now() < deadline) await driver.reader.poll({ timeoutMs: 100 });
    })();
    await expect(failure).rejects.toMatchObject({ code: 'unknown_topic' });
  });

  it('rejects appends to a partition the topic does not have, appending nothing', async () => {
    const name = await topic(2);
    await expect(
      log.append(name, [record('a', 'fine'), { ...record('b', 'bad'), partition: 2 }]),
    ).rejects.toMatchObject({ code: 'unknown_partition' });
    expect(await log.endOffsets(name)).toEqual([
      { partition: 0, offset: 0n },
      { partition: 1, offset: 0n },
    ]);
  });

  it('takes one append of more bytes than a broker accepts in one request, in order', async () => {
    const name = await topic(2);
    // 3,000 records of 1 KiB: three times Kafka's default message.max.bytes in one call.
    const padding = 'x'.repeat(1_000);
    const batch = Array.from({ length: 3_000 }, (_, i) => ({
      ...record(`k${i}`, `${i}:${padding}`),
      partition: i % 2,
    }));
    const results = await log.append(name, batch);
    expect(results.map((r) => [r.partition, r.offset])).toEqual(
      batch.map((_, i) => [i % 2, BigInt(Math.floor(i / 2))]),
    );
    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    const records = await reader.collect(3_000);
    for (const p of [0, 1]) {
      const values = records
        .filter((r) => r.partition === p)
        .map((r) => Number(String(text(r.value)).split(':')[0]));
      expect(values).toEqual(batch.map((_, i) => i).filter((i) => i % 2 === p));
    }
  });

  it('appends in order per partition and reports partitions and offsets', async () => {
    const name = await topic(3);
    const results = await log.append(name, [
      { ...record('a', 'p0-0'), partition: 0 },
      { ...record('b', 'p1-0'), partition: 1 },
      { ...record('c', 'p0-1'), partition: 0 },
      { ...record('d', 'p0-2'), partition: 0 },
    ]);
    expect(results.map((r) => [r.topic, r.partition, r.offset])).toEqual([
      [name, 0, 0n],
      [name, 1, 0n],
      [name, 0, 1n],
      [name, 0, 2n],
    ]);
    const more = await log.append(name, [{ ...record('e', 'p1-1'), partition: 1 }]);
    expect(more[0]).toMatchObject({ partition: 1, offset: 1n });

    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    const records = await reader.collect(5);
    const byPartition = (p: number) => records.filter((r) => r.partition === p);
    expect(byPartition(0).map((r) => [r.offset, text(r.value)])).toEqual([
      [0n, 'p0-0'],
      [1n, 'p0-1'],
      [2n, 'p0-2'],
    ]);
    expect(byPartition(1).map((r) => [r.offset, text(r.value)])).toEqual([
      [0n, 'p1-0'],
      [1n, 'p1-1'],
    ]);
    expect(records.every((r) => r.topic === name)).toBe(true);
    expect(await log.endOffsets(name)).toEqual([
      { partition: 0, offset: 3n },
      { partition: 1, offset: 2n },
      { partition: 2, offset: 0n },
    ]);
    expect(await log.beginningOffsets(name)).toEqual([
      { partition: 0, offset: 0n },
      { partition: 1, offset: 0n },
      { partition: 2, offset: 0n },
    ]);
  });

  it('returns at most maxRecords per poll, without losing or repeating records', async () => {
    const name = await topic(2);
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    await log.append(
      name,
      values.map((v, i) => ({ ...record(null, v), partition: i % 2 })),
    );
    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' }).reader;
    const seen: LogRecord[] = [];
    const deadline = Date.now() + options.convergeMs;
    while (seen.length < values.length && Date.now() < deadline) {
      const batch = await reader.poll({ maxRecords: 4, timeoutMs: 100 });
      expect(batch.length).toBeLessThanOrEqual(4);
      seen.push(...batch);
    }
    expect(seen.map((r) => text(r.value)).sort()).toEqual([...values].sort());
    for (const partition of [0, 1]) {
      const offsets = seen.filter((r) => r.partition === partition).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
    }
  });

  it("puts keyed records on the partition Kafka's murmur2 partitioner picks", async () => {
    const name = await topic(4);
    const keys = Array.from({ length: 24 }, (_, i) => `key-${i}`);
    const results = await log.append(
      name,
      keys.map((k) => record(k, `v-${k}`)),
    );
    expect(results.map((r) => r.partition)).toEqual(keys.map((k) => partitionForKey(Buffer.from(k), 4)));
    expect(new Set(results.map((r) => r.partition)).size).toBeGreaterThan(1);

    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    const records = await reader.collect(keys.length);
    for (const r of records) expect(r.partition).toBe(partitionForKey(r.key!, 4));

    const nullKeyed = await log.append(name, [record(null, 'x'), record(null, 'y')]);
    for (const r of nullKeyed) expect(r.partition).toBeGreaterThanOrEqual(0);
  });

  it('round-trips headers in order, with duplicate keys, null and empty values', async () => {
    const name = await topic(1);
    const headers: Header[] = [
      { key: 'trace', value: Buffer.from('t-1') },
      { key: 'dup', value: Buffer.from('first') },
      { key: 'nothing', value: null },
      { key: 'dup', value: Buffer.from('second') },
      { key: 'empty', value: Buffer.alloc(0) },
      { key: 'binary', value: Buffer.from([0, 255, 128]) },
      { key: 'trace', value: Buffer.from('t-2') },
    ];
    await log.append(name, [{ ...record('k', 'with-headers'), headers }, { ...record('k', 'no-headers') }]);
    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    const [withHeaders, without] = await reader.collect(2);
    expect(withHeaders!.headers.map((h) => [h.key, h.value === null ? null : [...h.value]])).toEqual(
      headers.map((h) => [h.key, h.value === null ? null : [...h.value]]),
    );
    expect(without!.headers).toEqual([]);
  });

  it('keeps given timestamps and stamps the others with the current time', async () => {
    const name = await topic(1);
    const before = Date.now();
    await log.append(name, [
      { ...record('a', 'given'), timestamp: 1_600_000_000_123 },
      record('b', 'stamped'),
      { ...record('c', 'epoch'), timestamp: 0 },
      { ...record('d', 'small'), timestamp: 999 },
    ]);
    const after = Date.now();
    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    const records = await reader.collect(4);
    expect(records[0]!.timestamp).toBe(1_600_000_000_123);
    expect(records[1]!.timestamp).toBeGreaterThanOrEqual(before);
    expect(records[1]!.timestamp).toBeLessThanOrEqual(after);
    expect(records[2]!.timestamp).toBe(0);
    expect(records[3]!.timestamp).toBe(999);
  });

  it('returns tombstones with their key and a null value, distinct from an empty value', async () => {
    const name = await topic(1);
    await log.append(name, [record('k', null), record('k', ''), { key: null, value: null }]);
    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    const records = await reader.collect(3);
    expect(records.map((r) => [text(r.key), r.value === null ? null : r.value.length])).toEqual([
      ['k', null],
      ['k', 0],
      [null, null],
    ]);
  });

  it('rejects a record without a key on a compacted topic', async () => {
    const name = await topic(1, 'compact');
    await expect(log.append(name, [record(null, 'keyless')])).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(await log.append(name, [record('k', 'keyed')])).toMatchObject([{ partition: 0 }]);
  });

  it('commits group offsets and a new reader of the group resumes after them', async () => {
    const name = await topic(2);
    const groupId = uniqueName('g');
    await log.append(
      name,
      ['a', 'b', 'c', 'd', 'e'].map((v) => ({ ...record(null, v), partition: 0 })),
    );
    await log.append(name, [{ ...record(null, 'x'), partition: 1 }]);

    const first = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    const records = await first.collect(6);
    expect(records).toHaveLength(6);
    await first.reader.commit([{ topic: name, partition: 0, offset: 3n }]);
    expect(await first.reader.committed()).toEqual([{ topic: name, partition: 0, offset: 3n }]);
    await first.reader.close();

    const second = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    const resumed = await second.collect(3);
    expect(resumed.filter((r) => r.partition === 0).map((r) => text(r.value))).toEqual(['d', 'e']);
    expect(resumed.filter((r) => r.partition === 1).map((r) => text(r.value))).toEqual(['x']);

    // commit() without arguments commits the positions reached by poll.
    await second.reader.commit();
    expect(await log.committedOffsets(groupId)).toEqual([
      { topic: name, partition: 0, offset: 5n },
      { topic: name, partition: 1, offset: 1n },
    ]);
    expect(await log.committedOffsets(groupId, [name])).toHaveLength(2);
    expect(await log.committedOffsets(uniqueName('never-used'))).toEqual([]);
    await second.reader.close();

    await log.append(name, [{ ...record(null, 'f'), partition: 0 }]);
    const third = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    expect((await third.collect(1)).map((r) => text(r.value))).toEqual(['f']);
  });

  it('splits partitions between two readers of one group, and rebalances when one leaves', async () => {
    const name = await topic(4);
    const groupId = uniqueName('g');
    const first = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    await first.until(() => first.reader.assignment().length === 4, 'the first reader owns all partitions');
    const second = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    await pollBothUntil(first, second, options.convergeMs, () => {
      const a = first.reader.assignment().map((tp) => tp.partition);
      const b = second.reader.assignment().map((tp) => tp.partition);
      return a.length > 0 && b.length > 0 && new Set([...a, ...b]).size === 4 && a.length + b.length === 4;
    });

    await log.append(
      name,
      [0, 1, 2, 3].map((partition) => ({ ...record(null, `p${partition}`), partition })),
    );
    await pollBothUntil(
      first,
      second,
      options.convergeMs,
      () => first.records.length + second.records.length >= 4,
    );
    const own = (driver: ReaderDriver) => driver.reader.assignment().map((tp) => tp.partition);
    expect(first.records.every((r) => own(first).includes(r.partition))).toBe(true);
    expect(second.records.every((r) => own(second).includes(r.partition))).toBe(true);
    expect([...first.records, ...second.records].map((r) => text(r.value)).sort()).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
    ]);

    await first.reader.commit();
    await second.reader.commit();
    await second.reader.close();
    await first.until(
      () => first.reader.assignment().length === 4,
      'the remaining reader owns all partitions',
    );
  });

  it('hands the uncommitted records of a moved partition to its new owner', async () => {
    const name = await topic(2);
    const groupId = uniqueName('g');
    await log.append(
      name,
      Array.from({ length: 6 }, (_, i) => ({ ...record(null, `v${i}`), partition: i % 2 })),
    );
    const first = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    await first.collect(6);
    await first.reader.commit([{ topic: name, partition: 0, offset: 1n }]);
    const second = open({ groupId, topics: [name], autoOffsetReset: 'earliest' });
    await pollBothUntil(first, second, options.convergeMs, () => second.reader.assignment().length === 1);
    const moved = second.reader.assignment()[0]!.partition;
    await second.until(
      () => second.records.length >= (moved === 0 ? 2 : 3),
      'the moved records arrive again',
    );
    expect(second.records.map((r) => [r.partition, r.offset])).toEqual(
      moved === 0
        ? [
            [0, 1n],
            [0, 2n],
          ]
        : [
            [1, 0n],
            [1, 1n],
            [1, 2n],
          ],
    );
  });

  it('starts from the earliest or the latest offset when the group has no commit', async () => {
    const name = await topic(1);
    await log.append(name, [record(null, 'old-1'), record(null, 'old-2')]);
    const earliest = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    expect((await earliest.collect(2)).map((r) => text(r.value))).toEqual(['old-1', 'old-2']);

    const latest = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'latest' });
    await latest.until(() => latest.reader.assignment().length === 1, 'the latest reader is assigned');
    await log.append(name, [record(null, 'new-1')]);
    expect((await latest.collect(1)).map((r) => text(r.value))).toEqual(['new-1']);
  });

  it('seeks an assigned partition backwards and forwards', async () => {
    const name = await topic(1);
    await log.append(
      name,
      ['a', 'b', 'c', 'd', 'e'].map((v) => record(null, v)),
    );
    const driver = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    await driver.collect(5);
    driver.reader.seek(name, 0, 1n);
    expect((await driver.collectFresh(4)).map((r) => [r.offset, text(r.value)])).toEqual([
      [1n, 'b'],
      [2n, 'c'],
      [3n, 'd'],
      [4n, 'e'],
    ]);
    driver.reader.seek(name, 0, 3n);
    expect((await driver.collectFresh(2)).map((r) => r.offset)).toEqual([3n, 4n]);
    expect(driver.reader.positions()).toEqual([{ topic: name, partition: 0, offset: 5n }]);
    expect(() => driver.reader.seek(name, 7, 0n)).toThrow(expect.objectContaining({ code: 'not_assigned' }));
  });

  it('pauses and resumes partitions', async () => {
    const name = await topic(2);
    const driver = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    await driver.until(() => driver.reader.assignment().length === 2, 'the reader is assigned');
    driver.reader.pause([{ topic: name, partition: 0 }]);
    await log.append(name, [
      { ...record(null, 'p0-a'), partition: 0 },
      { ...record(null, 'p1-a'), partition: 1 },
      { ...record(null, 'p0-b'), partition: 0 },
      { ...record(null, 'p1-b'), partition: 1 },
    ]);
    const unpaused = await driver.collectFresh(2);
    expect(unpaused.map((r) => text(r.value))).toEqual(['p1-a', 'p1-b']);
    expect(await driver.reader.poll({ timeoutMs: 200 })).toEqual([]);
    driver.reader.resume([{ topic: name, partition: 0 }]);
    expect((await driver.collectFresh(2)).map((r) => text(r.value))).toEqual(['p0-a', 'p0-b']);
  });

  it('shows committed transactions to read_committed readers and hides aborted ones', async () => {
    const name = await topic(1);
    const groupId = uniqueName('g-tx');
    const transactionalId = uniqueName('tx');

    const aborted = await log.beginTransaction(transactionalId);
    await aborted.append(name, [record('k', 'aborted')]);
    await aborted.sendOffsets(groupId, [{ topic: name, partition: 0, offset: 1n }]);
    await aborted.abort();
    expect(await log.committedOffsets(groupId)).toEqual([]);

    const committed = await log.beginTransaction(transactionalId);
    const appended = await committed.append(name, [record('k', 'committed-1'), record('k', 'committed-2')]);
    expect(appended.map((r) => r.partition)).toEqual([0, 0]);
    await committed.sendOffsets(groupId, [{ topic: name, partition: 0, offset: 7n }]);
    await committed.commit();
    // Kafka writes the offsets' transaction markers after the commit returns.
    await eventually(
      async () => (await log.committedOffsets(groupId)).length > 0,
      'the offsets sent in the transaction are committed',
    );
    expect(await log.committedOffsets(groupId)).toEqual([{ topic: name, partition: 0, offset: 7n }]);
    await log.append(name, [record('k', 'plain')]);

    const readCommitted = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    expect((await readCommitted.collect(3)).map((r) => text(r.value))).toEqual([
      'committed-1',
      'committed-2',
      'plain',
    ]);
    const readUncommitted = open({
      groupId: uniqueName('g'),
      topics: [name],
      autoOffsetReset: 'earliest',
      isolationLevel: 'read_uncommitted',
    });
    expect((await readUncommitted.collect(4)).map((r) => text(r.value))).toEqual([
      'aborted',
      'committed-1',
      'committed-2',
      'plain',
    ]);

    // An open transaction holds back read_committed readers at its first record.
    const open_ = await log.beginTransaction(transactionalId);
    const [pending] = await open_.append(name, [record('k', 'pending')]);
    await log.append(name, [record('k', 'after-pending')]);
    expect((await readUncommitted.collectFresh(2)).map((r) => text(r.value))).toEqual([
      'pending',
      'after-pending',
    ]);
    expect(await log.endOffsets(name)).toEqual([{ partition: 0, offset: pending!.offset }]);
    expect(await readCommitted.reader.poll({ timeoutMs: 200 })).toEqual([]);
    await open_.commit();
    expect((await readCommitted.collectFresh(2)).map((r) => text(r.value))).toEqual([
      'pending',
      'after-pending',
    ]);

    // A caught-up reader's position passes the transaction markers and reaches the end offset.
    const [end] = await log.endOffsets(name);
    await readCommitted.until(
      () => readCommitted.reader.positions()[0]?.offset === end!.offset,
      'the read_committed position reaches the end offset',
    );
  });

  it('fences an open transaction when a new one starts with the same transactional id', async () => {
    const name = await topic(1);
    const transactionalId = uniqueName('tx');
    const older = await log.beginTransaction(transactionalId);
    await older.append(name, [record('k', 'older')]);
    const newer = await log.beginTransaction(transactionalId);
    await expect(older.append(name, [record('k', 'late')])).rejects.toMatchObject({ code: 'fenced' });
    await newer.append(name, [record('k', 'newer')]);
    await newer.commit();
    await expect(newer.commit()).rejects.toMatchObject({ code: 'transaction_state' });

    const reader = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    expect((await reader.collect(1)).map((r) => text(r.value))).toEqual(['newer']);
  });

  it('rejects polls after close and releases a poll that is waiting', async () => {
    const name = await topic(1);
    const driver = open({ groupId: uniqueName('g'), topics: [name], autoOffsetReset: 'earliest' });
    await driver.until(() => driver.reader.assignment().length === 1, 'the reader is assigned');
    const waiting = driver.reader.poll({ timeoutMs: 60_000 });
    await driver.reader.close();
    expect(await waiting).toEqual([]);
    await expect(driver.reader.poll()).rejects.toMatchObject({ code: 'reader_closed' });
    await driver.reader.close();
  });
}

/** Polls a reader in loops bounded by a deadline, keeping everything it returned. */
class ReaderDriver {
  readonly records: LogRecord[] = [];
  private consumed = 0;

  constructor(
    readonly reader: LogReader,
    private readonly convergeMs: number,
  ) {}

  async pollOnce(timeoutMs = 100): Promise<void> {
    this.records.push(...(await this.reader.poll({ timeoutMs })));
  }

  async until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + this.convergeMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
      await this.pollOnce();
    }
  }

  /** Everything polled so far once it reaches `count` records. */
  async collect(count: number): Promise<LogRecord[]> {
    await this.until(
      () => this.records.length >= count,
      `${count} records arrived (got ${this.records.length})`,
    );
    this.consumed = this.records.length;
    return [...this.records];
  }

  /** The next `count` records not returned by an earlier collect. */
  async collectFresh(count: number): Promise<LogRecord[]> {
    const from = this.consumed;
    await this.until(
      () => this.records.length - from >= count,
      `${count} more records arrived (got ${this.records.length - from})`,
    );
    this.consumed = this.records.length;
    return this.records.slice(from);
  }
}

async function pollBothUntil(
  a: ReaderDriver,
  b: ReaderDriver,
  convergeMs: number,
  condition: () => boolean,
): Promise<void> {
  const deadline = Date.now() + convergeMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the group to settle');
    await Promise.all([a.pollOnce(), b.pollOnce()]);
  }
}

function record(key: string | null, value: string | null): ProducerRecord {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
  };
}

function text(buffer: Buffer | null): string | null {
  return buffer === null ? null : buffer.toString('utf8');
}
