/**
 * The Nexmark topics of a run: generated and produced once, before any clock starts, and
 * shared by every workload and reference of the run (so they all read the same bytes). Topics
 * have one partition: the figures compare single-threaded engines per CPU-second.
 */
import { KafkaLog } from '../engine/log/kafka-log.js';
import type { ProducerRecord } from '../engine/log/log.js';
import { onRunEnd } from './cleanup.js';
import { generateNexmark, type NexmarkData, type NexmarkSizes, nexmarkSizes } from './nexmark.js';
import type { BenchContext } from './workload.js';

export const NEXMARK_SEED = 42;

export interface NexmarkTopics {
  readonly sizes: NexmarkSizes;
  readonly data: NexmarkData;
  readonly bids: string;
  readonly auctions: string;
  readonly persons: string;
}

const produced = new Map<string, Promise<NexmarkTopics>>();

/**
 * Topics of the benchmarks keep their records forever: the Nexmark event times are fixed (in
 * 2023, for identical bytes on every run), and a broker's time-based retention would otherwise
 * delete them, and every output that carries their timestamps, minutes after they are written.
 */
export const BENCH_TOPIC = { partitions: 1, config: { retentionMs: -1 } } as const;

/** A KafkaLog for a benchmark; the caller closes it. */
export function benchLog(ctx: BenchContext, clientId = 'sluice-bench'): KafkaLog {
  return new KafkaLog({ bootstrapServers: ctx.bootstrapServers, clientId });
}

export async function appendAll(
  log: KafkaLog,
  topic: string,
  records: readonly ProducerRecord[],
  batch = 1_000,
): Promise<void> {
  for (let i = 0; i < records.length; i += batch) await log.append(topic, records.slice(i, i + batch));
}

/** The run's Nexmark topics, produced on first use. */
export function nexmarkTopics(ctx: BenchContext): Promise<NexmarkTopics> {
  const key = `${ctx.runId}:${ctx.quick}`;
  let topics = produced.get(key);
  if (topics === undefined) {
    topics = produce(ctx);
    produced.set(key, topics);
  }
  return topics;
}

async function produce(ctx: BenchContext): Promise<NexmarkTopics> {
  const sizes = nexmarkSizes(ctx.quick);
  const data = generateNexmark(sizes, NEXMARK_SEED);
  const names = {
    bids: `bench_bids_${ctx.runId}`,
    auctions: `bench_auctions_${ctx.runId}`,
    persons: `bench_persons_${ctx.runId}`,
  };
  ctx.log(
    `producing Nexmark data (seed ${NEXMARK_SEED}): ${sizes.bids} bids, ${sizes.auctions} auctions, ${sizes.persons} persons`,
  );
  const log = benchLog(ctx);
  try {
    onRunEnd(async () => {
      const cleanupLog = benchLog(ctx);
      try {
        for (const topic of Object.values(names)) await cleanupLog.deleteTopic(topic);
      } finally {
        await cleanupLog.close();
      }
    });
    await log.ensureTopic(names.bids, BENCH_TOPIC);
    await log.ensureTopic(names.auctions, BENCH_TOPIC);
    await log.ensureTopic(names.persons, BENCH_TOPIC);
    await appendAll(log, names.persons, data.persons);
    await appendAll(log, names.auctions, data.auctions);
    await appendAll(log, names.bids, data.bids);
  } finally {
    await log.close();
  }
  return { sizes, data, ...names };
}

/** Records in a topic (all partitions), from its offsets. */
export async function topicRecordCount(log: KafkaLog, topic: string): Promise<number> {
  const [begin, end] = await Promise.all([log.beginningOffsets(topic), log.endOffsets(topic)]);
  let n = 0n;
  for (const e of end) n += e.offset - (begin.find((b) => b.partition === e.partition)?.offset ?? 0n);
  return Number(n);
}

/** Every record of a one-partition-or-more topic from the start to its current end. */
export async function readTopic(log: KafkaLog, topic: string, groupId: string): Promise<LogRecordLike[]> {
  const expected = await topicRecordCount(log, topic);
  const reader = log.openReader({ groupId, topics: [topic], autoOffsetReset: 'earliest' });
  const out: LogRecordLike[] = [];
  try {
    let idle = 0;
    while (out.length < expected && idle < 30) {
      const records = await reader.poll({ maxRecords: 5_000, timeoutMs: 1_000 });
      if (records.length === 0) idle++;
      for (const r of records) out.push({ key: r.key, value: r.value, timestamp: r.timestamp });
    }
  } finally {
    await reader.close();
  }
  if (out.length < expected) throw new Error(`read ${out.length} of ${expected} records of ${topic}`);
  return out;
}

export interface LogRecordLike {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}
