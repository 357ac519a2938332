import { expect, it } from 'vitest';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { LogRecord } from '../../engine/log/log.js';
import { logContract } from '../engine/log/log-contract.js';
import { describeKafka, uniqueName } from '../support/kafka.js';

describeKafka('KafkaLog contract', (bootstrapServers) => {
  logContract({
    createLog: () => new KafkaLog({ bootstrapServers, clientId: 'sluice-log-contract' }),
    // A join or rebalance on a real broker takes heartbeats and a fetch round trip.
    convergeMs: 25_000,
  });
});

describeKafka('KafkaLog', (bootstrapServers) => {
  it('pauses fetching when its buffer is full and resumes as poll drains it, losing nothing', async () => {
    const log = new KafkaLog({ bootstrapServers, maxBufferedRecords: 8 });
    try {
      const topic = uniqueName('kafka-log-buffer');
      await log.ensureTopic(topic, { partitions: 2 });
      const values = Array.from({ length: 200 }, (_, i) => `v${i}`);
      await log.append(
        topic,
        values.map((v, i) => ({ key: null, value: Buffer.from(v), partition: i % 2 })),
      );
      const reader = log.openReader({
        groupId: uniqueName('g'),
        topics: [topic],
        autoOffsetReset: 'earliest',
      });
      const seen: LogRecord[] = [];
      const deadline = Date.now() + 30_000;
      while (seen.length < values.length && Date.now() < deadline) {
        seen.push(...(await reader.poll({ maxRecords: 3, timeoutMs: 200 })));
      }
      expect(seen.map((r) => r.value!.toString()).sort()).toEqual([...values].sort());
      for (const partition of [0, 1]) {
        const offsets = seen.filter((r) => r.partition === partition).map((r) => r.offset);
        expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
      }
      await reader.close();
      await log.deleteTopic(topic);
    } finally {
      await log.close();
    }
  });

  it('keeps working after another client deletes a topic it used', async () => {
    // Few retries: the first call after the deletion fails inside kafkajs before KafkaLog heals it.
    const retry = { retries: 1, initialRetryTimeMs: 100 };
    const log = new KafkaLog({ bootstrapServers, retry });
    const other = new KafkaLog({ bootstrapServers, retry });
    try {
      const doomed = uniqueName('kafka-log-doomed');
      const survivor = uniqueName('kafka-log-survivor');
      await log.ensureTopic(doomed, { partitions: 1 });
      await log.append(doomed, [{ key: null, value: Buffer.from('x') }]);
      expect(await log.endOffsets(doomed)).toEqual([{ partition: 0, offset: 1n }]);
      expect(await other.deleteTopic(doomed)).toBe(true);

      expect(await log.ensureTopic(survivor, { partitions: 1 })).toEqual({ created: true });
      const [appended] = await log.append(survivor, [{ key: null, value: Buffer.from('y') }]);
      expect(appended).toMatchObject({ partition: 0, offset: 0n });
      expect(await log.endOffsets(survivor)).toEqual([{ partition: 0, offset: 1n }]);
      await log.deleteTopic(survivor);
    } finally {
      await Promise.all([log.close(), other.close()]);
    }
  });

  it('fences a transaction of another client that uses the same transactional id', async () => {
    const older = new KafkaLog({ bootstrapServers });
    const newer = new KafkaLog({ bootstrapServers });
    try {
      const topic = uniqueName('kafka-log-fence');
      await older.ensureTopic(topic, { partitions: 1 });
      const transactionalId = uniqueName('tx');
      const first = await older.beginTransaction(transactionalId);
      await first.append(topic, [{ key: null, value: Buffer.from('older') }]);
      const second = await newer.beginTransaction(transactionalId);
      await second.append(topic, [{ key: null, value: Buffer.from('newer') }]);
      await expect(first.commit()).rejects.toMatchObject({ code: 'fenced' });
      await second.commit();
      const reader = newer.openReader({
        groupId: uniqueName('g'),
        topics: [topic],
        autoOffsetReset: 'earliest',
      });
      const seen: LogRecord[] = [];
      const deadline = Date.now() + 25_000;
      while (seen.length < 1 && Date.now() < deadline) seen.push(...(await reader.poll({ timeoutMs: 200 })));
      expect(seen.map((r) => r.value!.toString())).toEqual(['newer']);
      await reader.close();
      await newer.deleteTopic(topic);
    } finally {
      await Promise.all([older.close(), newer.close()]);
    }
  });
});
