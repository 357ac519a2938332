/**
 * The physical-limit references, measured in the same run as the workloads compared with them
 * and through the same client and settings as the engine (KafkaLog, batches of 500 records as
 * a persistent query polls, a commit after each batch):
 *
 * - P1 raw consume: poll and commit, records dropped.
 * - P2 raw produce: the same records appended to a new topic in batches of 500.
 * - P3 raw pipe: consume -> produce the same bytes -> commit (the ceiling for W1).
 *
 * Each is memoized per run and topic, so workloads that share a reference measure it once.
 */
import type { KafkaLog } from '../engine/log/kafka-log.js';
import type { ProducerRecord } from '../engine/log/log.js';
import { onRunEnd } from './cleanup.js';
import { type Measurement, measureAsync } from './cpu.js';
import { BENCH_TOPIC, benchLog } from './data.js';
import type { BenchContext } from './workload.js';

/** Records per poll, as a persistent query reads (its default maxBatch). */
export const BATCH = 500;

const memo = new Map<string, Promise<Measurement>>();
let sequence = 0;

function once(key: string, measure: () => Promise<Measurement>): Promise<Measurement> {
  let m = memo.get(key);
  if (m === undefined) {
    m = measure();
    memo.set(key, m);
  }
  return m;
}

async function withLog<T>(ctx: BenchContext, body: (log: KafkaLog) => Promise<T>): Promise<T> {
  const log = benchLog(ctx, 'sluice-bench-reference');
  try {
    return await body(log);
  } finally {
    await log.close();
  }
}

async function scratchTopic(ctx: BenchContext, log: KafkaLog, name: string): Promise<string> {
  const topic = `bench_${name}_${ctx.runId}_${++sequence}`;
  await log.ensureTopic(topic, BENCH_TOPIC);
  onRunEnd(() => withLog(ctx, async (l) => void (await l.deleteTopic(topic))));
  return topic;
}

/** Reads `events` records of `topic` from the start with a fresh group. */
async function consume(
  ctx: BenchContext,
  log: KafkaLog,
  topic: string,
  events: number,
  group: string,
  onBatch: (records: ProducerRecord[]) => Promise<void>,
): Promise<void> {
  const reader = log.openReader({
    groupId: `${group}-${ctx.runId}-${++sequence}`,
    topics: [topic],
    autoOffsetReset: 'earliest',
  });
  try {
    let moved = 0;
    while (moved < events) {
      const records = await reader.poll({ maxRecords: BATCH, timeoutMs: 1_000 });
      if (records.length === 0) continue;
      await onBatch(records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })));
      await reader.commit();
      moved += records.length;
    }
  } finally {
    await reader.close();
  }
}

/** P1: consume and commit, nothing else. */
export function rawConsume(ctx: BenchContext, topic: string, events: number): Promise<Measurement> {
  return once(`P1:${topic}:${events}`, () =>
    withLog(ctx, (log) =>
      measureAsync(events, () => consume(ctx, log, topic, events, 'bench-p1', async () => {})),
    ),
  );
}

/** P2: produce pre-made records in batches of 500. */
export function rawProduce(
  ctx: BenchContext,
  name: string,
  records: readonly ProducerRecord[],
): Promise<Measurement> {
  return once(`P2:${name}:${records.length}`, () =>
    withLog(ctx, async (log) => {
      const topic = await scratchTopic(ctx, log, 'p2');
      return measureAsync(records.length, async () => {
        for (let i = 0; i < records.length; i += BATCH) await log.append(topic, records.slice(i, i + BATCH));
      });
    }),
  );
}

/** P3: consume -> produce the same bytes -> commit. */
export function rawPipe(ctx: BenchContext, topic: string, events: number): Promise<Measurement> {
  return once(`P3:${topic}:${events}`, () =>
    withLog(ctx, async (log) => {
      const out = await scratchTopic(ctx, log, 'p3');
      return measureAsync(events, () =>
        consume(
          ctx,
          log,
          topic,
          events,
          'bench-p3',
          async (records) => void (await log.append(out, records)),
        ),
      );
    }),
  );
}

/** An unmeasured pipe over part of the topic: warms the JIT for kafkajs's codecs and the broker's cache. */
export async function warmUp(ctx: BenchContext, topic: string, events: number): Promise<void> {
  await withLog(ctx, async (log) => {
    const out = await scratchTopic(ctx, log, 'warmup');
    await consume(
      ctx,
      log,
      topic,
      events,
      'bench-warmup',
      async (records) => void (await log.append(out, records)),
    );
  });
}
