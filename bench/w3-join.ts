/**
 * W3: stream-table join, Kafka -> Kafka: the run's Nexmark bids LEFT JOIN the auctions table
 * (100,000 auctions; 10,000 with --quick) on the auction id, one output record per bid.
 *
 * The join query reads both topics through one reader, as it does in production, and keeps
 * its table side in a DuckDB state file (a temporary state directory) with its changelog
 * topic, as a persistent query does outside tests; its figure
 * is input records (auctions + bids) per CPU-second of this process, against the raw
 * consume->produce pipe (P3) of the bids measured in the same run. The output record count is
 * checked against the bids before the figure is kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import { onRunEnd } from './cleanup.js';
import { type Measurement, measureAsync } from './cpu.js';
import { benchLog, type NexmarkTopics, nexmarkTopics, topicRecordCount } from './data.js';
import { rawPipe, warmUp } from './references.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

async function runJoin(
  ctx: BenchContext,
  topics: NexmarkTopics,
): Promise<{ measurement: Measurement; output: number }> {
  const log = benchLog(ctx);
  const id = ctx.runId;
  const sinkTopic = `bench_w3_${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'sluice-w3-'));
  const serviceId = `bench_w3_${id}_`;
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: {
      'auto.offset.reset': 'earliest',
      'ksql.service.id': serviceId,
      'ksql.streams.state.dir': stateDir,
    },
  });
  onRunEnd(async () => {
    const l = benchLog(ctx);
    try {
      await l.deleteTopic(sinkTopic);
      // The join's changelog topics.
      for (const topic of await l.listTopics()) {
        if (topic.startsWith(`_confluent-ksql-${serviceId}query_`)) await l.deleteTopic(topic);
      }
    } finally {
      await l.close();
    }
  });
  try {
    await engine.execute(`
      CREATE STREAM w3_bids_${id} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING)
        WITH (kafka_topic='${topics.bids}', value_format='JSON');
      CREATE TABLE w3_auctions_${id} (id BIGINT PRIMARY KEY, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, dateTime BIGINT, expires BIGINT, seller BIGINT, category BIGINT, extra STRING)
        WITH (kafka_topic='${topics.auctions}', value_format='JSON');
      CREATE STREAM w3_out_${id} WITH (kafka_topic='${sinkTopic}', partitions=1) AS
        SELECT b.auction_key, b.bidder, b.price, a.seller, a.category, a.itemName
        FROM w3_bids_${id} b LEFT JOIN w3_auctions_${id} a ON b.auction_key = a.id;
    `);
    const query = engine.persistentQueries()[0]!;
    const events = topics.sizes.bids + topics.sizes.auctions;
    const measurement = await measureAsync(events, async () => {
      let processed = 0;
      while (processed < events) processed += await query.step(1_000);
    });
    return { measurement, output: await topicRecordCount(log, sinkTopic) };
  } finally {
    await engine.close();
    await log.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export const w3: Workload = {
  id: 'W3',
  title: 'stream-table join, Kafka -> Kafka (bids LEFT JOIN a 100k-row auctions table)',
  needsKafka: true,
  async run(ctx): Promise<BenchFigure[]> {
    const topics = await nexmarkTopics(ctx);
    const bids = topics.sizes.bids;
    await warmUp(ctx, topics.bids, Math.min(bids, 20_000));
    const p3 = await rawPipe(ctx, topics.bids, bids);
    const join = await runJoin(ctx, topics);
    if (join.output !== bids) throw new Error(`W3 wrote ${join.output} records, expected ${bids}`);
    const m = join.measurement;
    return [
      {
        workload: 'W3',
        name: `bids LEFT JOIN auctions (${topics.sizes.auctions} rows), Kafka -> Kafka (input events/CPU-s)`,
        size: m.events,
        value: m.eventsPerCpuSecond,
        unit: 'events/CPU-s',
        reference: 'raw consume->produce pipe (P3)',
        referenceValue: p3.eventsPerCpuSecond,
        details: {
          cpuSeconds: m.cpuSeconds,
          wallSeconds: m.wallSeconds,
          eventsPerWallSecond: m.events / m.wallSeconds,
          cpuPercent: (100 * m.cpuSeconds) / m.wallSeconds,
          tableRows: topics.sizes.auctions,
          bids,
          output: join.output,
        },
      },
    ];
  },
};
