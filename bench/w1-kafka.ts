/**
 * W1: stateless filter/project, Kafka -> Kafka, against the raw pipe that moves the same
 * bytes from the same topic to another through the same client (the physical limit for W1).
 * Both run in this process on the same records, produced before the clock starts; figures are
 * events per CPU-second of this process (the broker runs in its own JVM).
 */
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import { KafkaLog } from '../engine/log/kafka-log.js';
import type { ProducerRecord } from '../engine/log/log.js';
import { type Measurement, measureAsync } from './cpu.js';

export interface W1Result {
  readonly events: number;
  readonly engine: Measurement;
  readonly pipe: Measurement;
  readonly ratio: number;
}

function bid(i: number): ProducerRecord {
  const key = Buffer.alloc(8);
  key.writeBigInt64BE(BigInt(i % 10_000));
  return {
    key,
    value: Buffer.from(
      JSON.stringify({
        AUCTION: 1000 + (i % 10_000),
        BIDDER: 2000 + ((i * 7) % 50_000),
        PRICE: (i * 37) % 100_000,
        DATE_TIME: 1_700_000_000_000 + i,
      }),
    ),
    timestamp: 1_700_000_000_000 + i,
  };
}

export async function runW1(bootstrapServers: string, events: number): Promise<W1Result> {
  const log = new KafkaLog({ bootstrapServers, clientId: 'sluice-bench' });
  const run = `${Date.now().toString(36)}`;
  const input = `bench_bids_${run}`;
  try {
    await log.ensureTopic(input, { partitions: 1 });
    for (let i = 0; i < events; i += 5_000) {
      await log.append(
        input,
        Array.from({ length: Math.min(5_000, events - i) }, (_, j) => bid(i + j)),
      );
    }

    // The reference: consume -> produce the same bytes, committing each batch.
    const pipeOut = `bench_pipe_${run}`;
    await log.ensureTopic(pipeOut, { partitions: 1 });
    const pipe = await measureAsync(events, async () => {
      const reader = log.openReader({
        groupId: `bench-pipe-${run}`,
        topics: [input],
        autoOffsetReset: 'earliest',
      });
      let moved = 0;
      while (moved < events) {
        const records = await reader.poll({ maxRecords: 2_000, timeoutMs: 1_000 });
        if (records.length === 0) continue;
        await log.append(
          pipeOut,
          records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })),
        );
        await reader.commit();
        moved += records.length;
      }
      await reader.close();
    });

    // Sluice: Nexmark q1 (projection of every record).
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config: { 'auto.offset.reset': 'earliest' },
    });
    await engine.execute(
      `CREATE STREAM bids_${run} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price BIGINT, date_time BIGINT) WITH (kafka_topic='${input}', value_format='JSON');`,
    );
    await engine.execute(
      `CREATE STREAM q1_${run} WITH (kafka_topic='bench_q1_${run}', partitions=1) AS SELECT auction_key, auction, bidder, price * 908 / 1000 AS price_eur, date_time FROM bids_${run};`,
    );
    const query = engine.persistentQueries()[0]!;
    const sluice = await measureAsync(events, async () => {
      let processed = 0;
      while (processed < events) processed += await query.step(1_000);
    });
    await engine.close();
    for (const topic of [input, pipeOut, `bench_q1_${run}`]) await log.deleteTopic(topic);
    return { events, engine: sluice, pipe, ratio: sluice.eventsPerCpuSecond / pipe.eventsPerCpuSecond };
  } finally {
    await log.close();
  }
}
