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
    } finally {
      await log.close();
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
    } finally {
      await Promise.all([older.close(), newer.close()]);
    }
  });
});
