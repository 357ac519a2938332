/**
 * W2: tumbling-window aggregation, Kafka -> Kafka, with the aggregation state in the query's
 * DuckDB state file (a temporary state directory), for a 10k-key and a 1M-key data set, each
 * with EMIT CHANGES and EMIT FINAL (with --quick, the 1M-key set with EMIT CHANGES only).
 *
 * Each data set is one topic of Nexmark-shaped bids whose auction ids cycle through the key
 * space (every key equally often), all inside one one-hour window, then one closing bid two
 * hours later that closes that window. The query is `COUNT(*)` and `MAX(price)` per auction per
 * one-hour tumbling window (no grace, so the closing bid closes it). Figures are input events per CPU-second of this process, against
 * raw consumption (P1) of the same topic measured in the same run. Output counts are checked
 * before a figure is kept: EMIT CHANGES writes one update per input record, EMIT FINAL one
 * final row per key when the closing bid arrives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import type { ProducerRecord } from '../engine/log/log.js';
import { onRunEnd } from './cleanup.js';
import { type Measurement, measureAsync } from './cpu.js';
import { appendAll, BENCH_TOPIC, benchLog, topicRecordCount } from './data.js';
import { BASE_TIME, bigintKey, FIRST_AUCTION_ID } from './nexmark.js';
import { rawConsume } from './references.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

const HOUR = 3_600_000;
/** The window every data set falls in: the first whole hour after the Nexmark base time. */
const WINDOW_START = Math.ceil(BASE_TIME / HOUR) * HOUR;

interface DataSet {
  readonly keys: number;
  readonly events: number;
  readonly topic: string;
}

/** The i-th bid of a data set: auction ids step through the key space by a prime stride. */
function bid(i: number, keys: number): ProducerRecord {
  const auction = FIRST_AUCTION_ID + ((i * 7_919) % keys);
  const dateTime = WINDOW_START + (i % (HOUR / 2));
  const value = {
    auction,
    bidder: 1_000 + ((i * 31) % 100_000),
    price: 100 + ((i * 37) % 100_000),
    channel: 'Google',
    url: `https://www.nexmark.com/item.htm?query=${i % 1_000}`,
    dateTime,
    extra: 'w2',
  };
  return { key: bigintKey(auction), value: Buffer.from(JSON.stringify(value)), timestamp: dateTime };
}

async function produceDataSet(ctx: BenchContext, keys: number, events: number): Promise<DataSet> {
  const topic = `bench_w2_${keys}_${ctx.runId}`;
  const log = benchLog(ctx);
  try {
    onRunEnd(async () => {
      const l = benchLog(ctx);
      try {
        await l.deleteTopic(topic);
      } finally {
        await l.close();
      }
    });
    await log.ensureTopic(topic, BENCH_TOPIC);
    ctx.log(`W2: producing ${events} bids over ${keys} keys, then one closing bid`);
    const batch: ProducerRecord[] = [];
    for (let i = 0; i < events; i++) {
      batch.push(bid(i, keys));
      if (batch.length === 5_000) await appendAll(log, topic, batch.splice(0));
    }
    const closing = bid(0, keys);
    batch.push({ ...closing, timestamp: WINDOW_START + 2 * HOUR });
    await appendAll(log, topic, batch);
  } finally {
    await log.close();
  }
  // The closing bid is an input record too.
  return { keys, events: events + 1, topic };
}

async function runAggregation(
  ctx: BenchContext,
  data: DataSet,
  emit: 'CHANGES' | 'FINAL',
): Promise<{ measurement: Measurement; output: number }> {
  const log = benchLog(ctx);
  const id = `${data.keys}_${emit.toLowerCase()}_${ctx.runId}`;
  const sinkTopic = `bench_w2_out_${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'sluice-w2-'));
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: {
      'auto.offset.reset': 'earliest',
      'ksql.service.id': `bench_w2_${id}_`,
      'ksql.streams.state.dir': stateDir,
    },
  });
  try {
    onRunEnd(async () => {
      const l = benchLog(ctx);
      try {
        await l.deleteTopic(sinkTopic);
      } finally {
        await l.close();
      }
    });
    // The sink keeps the 2023 event times forever, like every topic of the run.
    await log.ensureTopic(sinkTopic, BENCH_TOPIC);
    await engine.execute(`
      CREATE STREAM w2_bids_${id} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING)
        WITH (kafka_topic='${data.topic}', value_format='JSON');
      CREATE TABLE w2_out_${id} WITH (kafka_topic='${sinkTopic}', partitions=1) AS
        SELECT auction, COUNT(*) AS c, MAX(price) AS m
        FROM w2_bids_${id} WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 2 DAYS, GRACE PERIOD 0 SECONDS)
        GROUP BY auction EMIT ${emit};
    `);
    const query = engine.persistentQueries()[0]!;
    const measurement = await measureAsync(data.events, async () => {
      let processed = 0;
      while (processed < data.events) processed += await query.step(1_000);
    });
    await engine.close();
    return { measurement, output: await topicRecordCount(log, sinkTopic) };
  } finally {
    await engine.close();
    await log.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export const w2: Workload = {
  id: 'W2',
  title: 'tumbling-window aggregation, Kafka -> Kafka (10k and 1M keys, EMIT CHANGES and EMIT FINAL)',
  needsKafka: true,
  async run(ctx): Promise<BenchFigure[]> {
    const sets = ctx.quick
      ? [
          { keys: 10_000, events: 200_000 },
          { keys: 1_000_000, events: 1_000_000 },
        ]
      : [
          { keys: 10_000, events: 1_000_000 },
          { keys: 1_000_000, events: 3_000_000 },
        ];
    const figures: BenchFigure[] = [];
    for (const set of sets) {
      const data = await produceDataSet(ctx, set.keys, set.events);
      const p1 = await rawConsume(ctx, data.topic, data.events);
      // --quick keeps the run within minutes: the 1M-key EMIT FINAL run (minutes on its own) is full mode only.
      const emits = ctx.quick && set.keys > 10_000 ? (['CHANGES'] as const) : (['CHANGES', 'FINAL'] as const);
      for (const emit of emits) {
        ctx.log(`W2: ${set.keys} keys, EMIT ${emit}`);
        const run = await runAggregation(ctx, data, emit);
        // EMIT CHANGES: one update per input record; EMIT FINAL: one row per key of the closed window.
        const expected = emit === 'CHANGES' ? data.events : set.keys;
        if (run.output !== expected)
          throw new Error(
            `W2 ${set.keys} keys EMIT ${emit} wrote ${run.output} records, expected ${expected}`,
          );
        const m = run.measurement;
        figures.push({
          workload: 'W2',
          name: `tumbling 1 h COUNT+MAX, ${set.keys.toLocaleString('en-US')} keys, EMIT ${emit}, DuckDB state (events/CPU-s)`,
          size: m.events,
          value: m.eventsPerCpuSecond,
          unit: 'events/CPU-s',
          reference: 'raw consume (P1)',
          referenceValue: p1.eventsPerCpuSecond,
          details: {
            keys: set.keys,
            cpuSeconds: m.cpuSeconds,
            wallSeconds: m.wallSeconds,
            eventsPerWallSecond: m.events / m.wallSeconds,
            output: run.output,
            rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
          },
        });
      }
    }
    return figures;
  },
};
