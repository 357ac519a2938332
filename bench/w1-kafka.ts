/**
 * W1: stateless filter/project, Kafka -> Kafka, on the run's Nexmark bids.
 *
 * - q1 (projection, every record out) against the raw consume->produce pipe of the same bytes
 *   (P3), the physical limit for W1.
 * - q2 (`WHERE auction % 123 = 0`, under 1 % out) against raw consume (P1).
 *
 * Both run as persistent queries through the engine, polled and committed batch by batch in
 * this process; figures are events per CPU-second of this process (the broker runs in its own
 * JVM). Output record counts are checked against the generated data before a figure is kept.
 */
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import { onRunEnd } from './cleanup.js';
import { type Measurement, measureAsync } from './cpu.js';
import { BENCH_TOPIC, benchLog, type NexmarkTopics, nexmarkTopics, topicRecordCount } from './data.js';
import { rawConsume, rawPipe, warmUp } from './references.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

/** The W1 statements, shared with the Kafka Streams baseline's expectations. */
export const W1_QUERIES = {
  q1: (source: string) =>
    `SELECT auction_key, auction, bidder, price * 0.908 AS price_eur, dateTime FROM ${source} EMIT CHANGES`,
  q2: (source: string) =>
    `SELECT auction_key, auction, price FROM ${source} WHERE auction % 123 = 0 EMIT CHANGES`,
} as const;

/** Bids whose auction passes q2's filter: the expected q2 output count. */
export function q2Matches(topics: NexmarkTopics): number {
  let n = 0;
  for (const bid of topics.data.bids) if (bid.key!.readBigInt64BE() % 123n === 0n) n++;
  return n;
}

export interface QueryRun {
  readonly measurement: Measurement;
  readonly output: number;
}

const runs = new Map<string, Promise<QueryRun>>();

/** q1 or q2 over the run's bids, measured once per run (W1 and the Kafka Streams comparison share it). */
export function w1Query(
  ctx: BenchContext,
  topics: NexmarkTopics,
  name: keyof typeof W1_QUERIES,
): Promise<QueryRun> {
  const key = `${ctx.runId}:${name}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = (async () => {
      // An unmeasured run of the same query over the first records warms the JIT.
      await runStreamQuery(ctx, topics, `${name}_warmup`, W1_QUERIES[name], warmupEvents(ctx));
      return runStreamQuery(ctx, topics, name, W1_QUERIES[name]);
    })();
    runs.set(key, run);
  }
  return run;
}

/** Records processed, unmeasured, before a measured run (of Sluice and of Kafka Streams alike). */
export function warmupEvents(ctx: BenchContext): number {
  return ctx.quick ? 20_000 : 100_000;
}

/** Runs one CSAS over the bids topic until `events` bids are read; counts its output records. */
export async function runStreamQuery(
  ctx: BenchContext,
  topics: NexmarkTopics,
  name: string,
  select: (source: string) => string,
  events = topics.sizes.bids,
): Promise<QueryRun> {
  const log = benchLog(ctx);
  const source = `bids_${name}_${ctx.runId}`;
  const sinkTopic = `bench_${name}_${ctx.runId}`;
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest' },
  });
  onRunEnd(async () => {
    const l = benchLog(ctx);
    try {
      await l.deleteTopic(sinkTopic);
    } finally {
      await l.close();
    }
  });
  try {
    // Created here, with the benchmarks' retention, before the CSAS finds it.
    await log.ensureTopic(sinkTopic, BENCH_TOPIC);
    await engine.execute(
      `CREATE STREAM ${source} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING) WITH (kafka_topic='${topics.bids}', value_format='JSON');`,
    );
    await engine.execute(
      `CREATE STREAM ${name}_${ctx.runId} WITH (kafka_topic='${sinkTopic}', partitions=1) AS ${select(source)};`,
    );
    const query = engine.persistentQueries()[0]!;
    const measurement = await measureAsync(events, async () => {
      let processed = 0;
      while (processed < events) processed += await query.step(1_000);
    });
    return { measurement, output: await topicRecordCount(log, sinkTopic) };
  } finally {
    await engine.close();
    await log.close();
  }
}

function checkCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what} wrote ${actual} records, expected ${expected}`);
}

function details(
  m: Measurement,
  extra: Record<string, number | string> = {},
): Record<string, number | string> {
  return {
    cpuSeconds: m.cpuSeconds,
    wallSeconds: m.wallSeconds,
    eventsPerWallSecond: m.events / m.wallSeconds,
    cpuPercent: (100 * m.cpuSeconds) / m.wallSeconds,
    ...extra,
  };
}

export const w1: Workload = {
  id: 'W1',
  title: 'stateless filter/project, Kafka -> Kafka (Nexmark q1, q2)',
  needsKafka: true,
  async run(ctx): Promise<BenchFigure[]> {
    const topics = await nexmarkTopics(ctx);
    const events = topics.sizes.bids;
    await warmUp(ctx, topics.bids, warmupEvents(ctx));
    const p3 = await rawPipe(ctx, topics.bids, events);
    const q1 = await w1Query(ctx, topics, 'q1');
    checkCount('q1', q1.output, events);
    const p1 = await rawConsume(ctx, topics.bids, events);
    const q2 = await w1Query(ctx, topics, 'q2');
    checkCount('q2', q2.output, q2Matches(topics));
    return [
      {
        workload: 'W1',
        name: 'q1 projection, Kafka -> Kafka (events/CPU-s)',
        size: events,
        value: q1.measurement.eventsPerCpuSecond,
        unit: 'events/CPU-s',
        reference: 'raw consume->produce pipe (P3)',
        referenceValue: p3.eventsPerCpuSecond,
        details: details(q1.measurement, {
          output: q1.output,
          gate: 0.6,
          stretch: 0.8,
          absoluteGate: 50_000,
        }),
      },
      {
        workload: 'W1',
        name: 'q2 filter auction % 123 = 0, Kafka -> Kafka (events/CPU-s)',
        size: events,
        value: q2.measurement.eventsPerCpuSecond,
        unit: 'events/CPU-s',
        reference: 'raw consume (P1)',
        referenceValue: p1.eventsPerCpuSecond,
        details: details(q2.measurement, { output: q2.output, gate: 0.6 }),
      },
    ];
  },
};
