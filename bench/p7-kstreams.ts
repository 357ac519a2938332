/**
 * P7, the Kafka Streams baseline: the W1-W3 topologies of bench/kstreams/ over the run's
 * Nexmark topics, one stream thread, at-least-once, commits every second, in their own JVM,
 * measured in events per CPU-second of that JVM (after a warm-up instance over the first
 * records, as Sluice's measured runs get one).
 *
 * Every output is checked before any speed is compared: W1 against Sluice's output record
 * counts of the same queries, W2 against the windowed counts and maxima computed from the
 * generated data, W3 against the number of bids (every bid's auction exists), which Sluice's
 * W3 is checked against too. A failed check
 * is reported in the figure's name and details, and that figure gets no ratio.
 */
import { onRunEnd } from './cleanup.js';
import {
  BENCH_TOPIC,
  benchLog,
  type NexmarkTopics,
  nexmarkTopics,
  readTopic,
  topicRecordCount,
} from './data.js';
import { type KStreamsRun, type KStreamsTopology, runKStreams } from './kstreams.js';
import { sharedRun } from './shared-run.js';
import { q2Matches, w1Query, warmupEvents } from './w1-kafka.js';
import { w3 } from './w3-join.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

async function ksRun(
  ctx: BenchContext,
  topics: NexmarkTopics,
  topology: KStreamsTopology,
): Promise<{ run: KStreamsRun; output: string }> {
  const output = `bench_ks_${topology}_${ctx.runId}`;
  const log = benchLog(ctx);
  try {
    await log.ensureTopic(output, BENCH_TOPIC);
    await log.ensureTopic(`${output}-warmup`, BENCH_TOPIC);
  } finally {
    await log.close();
  }
  onRunEnd(async () => {
    const l = benchLog(ctx);
    try {
      await l.deleteTopic(output);
      await l.deleteTopic(`${output}-warmup`);
    } finally {
      await l.close();
    }
  });
  const run = await runKStreams(ctx, {
    topology,
    bids: topics.bids,
    auctions: topics.auctions,
    output,
    events: topics.sizes.bids,
    warmupEvents: warmupEvents(ctx),
  });
  return { run, output };
}

async function countOf(ctx: BenchContext, topic: string): Promise<number> {
  const log = benchLog(ctx);
  try {
    return await topicRecordCount(log, topic);
  } finally {
    await log.close();
  }
}

const WINDOW_MS = 10_000;

/** The final (count, max price) per auction and 10-second window, from the generated bids. */
export function expectedWindows(topics: NexmarkTopics): Map<string, { c: number; m: number }> {
  const windows = new Map<string, { c: number; m: number }>();
  for (const bid of topics.data.bids) {
    const v = JSON.parse(bid.value!.toString('utf8')) as { auction: number; price: number; dateTime: number };
    const key = `${v.auction}@${v.dateTime - (v.dateTime % WINDOW_MS)}`;
    const w = windows.get(key);
    if (w === undefined) windows.set(key, { c: 1, m: v.price });
    else {
      w.c++;
      w.m = Math.max(w.m, v.price);
    }
  }
  return windows;
}

async function checkW2(
  ctx: BenchContext,
  topics: NexmarkTopics,
  output: string,
): Promise<string | undefined> {
  const log = benchLog(ctx);
  let records: Awaited<ReturnType<typeof readTopic>>;
  try {
    records = await readTopic(log, output, `bench-ks-w2-check-${ctx.runId}`);
  } finally {
    await log.close();
  }
  const last = new Map<string, { c: number; m: number }>();
  for (const r of records) {
    const v = JSON.parse(r.value!.toString('utf8')) as {
      AUCTION: number;
      WINDOWSTART: number;
      C: number;
      M: number;
    };
    last.set(`${v.AUCTION}@${v.WINDOWSTART}`, { c: v.C, m: v.M });
  }
  const expected = expectedWindows(topics);
  if (last.size !== expected.size) return `${last.size} windows written, ${expected.size} expected`;
  for (const [key, e] of expected) {
    const got = last.get(key);
    if (got === undefined || got.c !== e.c || got.m !== e.m)
      return `window ${key}: ${JSON.stringify(got)}, expected ${JSON.stringify(e)}`;
  }
  return undefined;
}

function figure(
  name: string,
  size: number,
  sluice: number,
  ks: KStreamsRun,
  problem: string | undefined,
  extra: Record<string, number | string>,
): BenchFigure {
  const details = {
    ksCpuSeconds: ks.cpuSeconds,
    ksWallSeconds: ks.wallSeconds,
    gate: 0.5,
    stretch: 1,
    ...extra,
  };
  if (problem !== undefined)
    return {
      workload: 'P7',
      name: `${name}: output check FAILED (${problem})`,
      size,
      value: sluice,
      unit: 'events/CPU-s',
      details: { ...details, check: `FAILED: ${problem}`, ksEventsPerCpuSecond: ks.eventsPerCpuSecond },
    };
  return {
    workload: 'P7',
    name,
    size,
    value: sluice,
    unit: 'events/CPU-s',
    reference: 'Kafka Streams, same topology (P7)',
    referenceValue: ks.eventsPerCpuSecond,
    details: { ...details, check: 'passed' },
  };
}

/** Kafka Streams alone (no Sluice counterpart in the run yet): its speed, once its output is checked. */
function alone(name: string, size: number, ks: KStreamsRun, problem: string | undefined): BenchFigure {
  return {
    workload: 'P7',
    name: problem === undefined ? name : `${name}: output check FAILED (${problem})`,
    size,
    value: ks.eventsPerCpuSecond,
    unit: 'KS events/CPU-s',
    details: {
      ksCpuSeconds: ks.cpuSeconds,
      ksWallSeconds: ks.wallSeconds,
      check: problem === undefined ? 'passed' : `FAILED: ${problem}`,
    },
  };
}

export const p7: Workload = {
  id: 'P7',
  title: 'Kafka Streams baseline: W1 q1 and q2 against Sluice',
  needsKafka: true,
  async run(ctx) {
    const topics = await nexmarkTopics(ctx);
    const events = topics.sizes.bids;
    const figures: BenchFigure[] = [];

    const q1 = await w1Query(ctx, topics, 'q1');
    const ks1 = await ksRun(ctx, topics, 'w1q1');
    const ks1Out = await countOf(ctx, ks1.output);
    figures.push(
      figure(
        'W1 q1 projection: Sluice vs Kafka Streams (events/CPU-s)',
        events,
        q1.measurement.eventsPerCpuSecond,
        ks1.run,
        ks1Out === q1.output ? undefined : `Kafka Streams wrote ${ks1Out} records, Sluice ${q1.output}`,
        { output: q1.output },
      ),
    );

    const q2 = await w1Query(ctx, topics, 'q2');
    const ks2 = await ksRun(ctx, topics, 'w1q2');
    const ks2Out = await countOf(ctx, ks2.output);
    const q2Expected = q2Matches(topics);
    figures.push(
      figure(
        'W1 q2 filter: Sluice vs Kafka Streams (events/CPU-s)',
        events,
        q2.measurement.eventsPerCpuSecond,
        ks2.run,
        ks2Out === q2.output && ks2Out === q2Expected
          ? undefined
          : `Kafka Streams wrote ${ks2Out} records, Sluice ${q2.output}, expected ${q2Expected}`,
        { output: q2.output },
      ),
    );
    return figures;
  },
};

/** Kafka Streams' W2 topology, checked against the data; compared with Sluice once W2 runs. */
export const p7w2: Workload = {
  id: 'P7W2',
  title: 'Kafka Streams baseline: W2 tumbling 10 s count+max per auction',
  needsKafka: true,
  async run(ctx) {
    const topics = await nexmarkTopics(ctx);
    const ks = await ksRun(ctx, topics, 'w2');
    return [
      alone(
        'Kafka Streams W2 tumbling 10 s count+max per auction, alone (checked against the data)',
        topics.sizes.bids,
        ks.run,
        await checkW2(ctx, topics, ks.output),
      ),
    ];
  },
};

/** Sluice's W3 (bids LEFT JOIN auctions) against Kafka Streams' join, once both outputs are checked. */
export const p7w3: Workload = {
  id: 'P7W3',
  title: 'Kafka Streams baseline: W3 bids join auctions against Sluice',
  needsKafka: true,
  async run(ctx) {
    const topics = await nexmarkTopics(ctx);
    const bids = topics.sizes.bids;
    // W3 checks Sluice's output (one record per bid) before it reports a figure.
    const sluice = (await sharedRun(w3, ctx))[0]!;
    const ks = await ksRun(ctx, topics, 'w3');
    const out = await countOf(ctx, ks.output);
    // Sluice's W3 counts bids and auction rows as its events: so does this comparison.
    const events = bids + topics.sizes.auctions;
    const run: KStreamsRun = { ...ks.run, events, eventsPerCpuSecond: events / ks.run.cpuSeconds };
    return [
      figure(
        `W3 bids join auctions (${topics.sizes.auctions} rows): Sluice vs Kafka Streams (input events/CPU-s)`,
        events,
        sluice.value,
        run,
        out === bids ? undefined : `Kafka Streams wrote ${out} joined records, Sluice and the data ${bids}`,
        { output: bids },
      ),
    ];
  },
};
