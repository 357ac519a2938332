/**
 * W6: state restore. A persistent aggregation (`CREATE TABLE ... AS SELECT auction, COUNT(*),
 * MAX(price) ... GROUP BY auction`, one key per auction) runs over the run's bids with its
 * state in a DuckDB file and its changes in a changelog topic. Then:
 *
 * - cold: the engine stops, the state directory is deleted, and a new engine over the same
 *   statements rebuilds the state from the changelog. Measured from the new engine's first
 *   statement until the query has its state open (the restore included): changelog records
 *   per CPU-second, against raw consume (P1) of the same changelog topic.
 * - warm: the engine stops with its state file kept, and a new engine resumes from it
 *   (positions stored with the state: nothing to replay). Measured in wall seconds to the
 *   query's state open, against the gate of 5 s.
 *
 * The changelog must hold at least one record per auction, or the figures are not reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import type { KafkaLog } from '../engine/log/kafka-log.js';
import { PersistentQuery } from '../engine/runtime/persistent-query.js';
import { onRunEnd } from './cleanup.js';
import { measureAsync } from './cpu.js';
import { BENCH_TOPIC, benchLog, type NexmarkTopics, nexmarkTopics, topicRecordCount } from './data.js';
import { rawConsume } from './references.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Running {
  readonly engine: Engine;
  readonly log: KafkaLog;
  /** The aggregation's query: it has a state store once its state is open (restored). */
  readonly query: PersistentQuery;
}

/** A new engine over the same statements: the same query id, consumer group and changelog. */
async function startEngine(ctx: BenchContext, topics: NexmarkTopics, stateDir: string): Promise<Running> {
  const log = benchLog(ctx, 'sluice-bench-w6');
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    config: {
      'auto.offset.reset': 'earliest',
      'ksql.service.id': `bench_w6_${ctx.runId}_`,
      'ksql.streams.state.dir': stateDir,
    },
  });
  await log.ensureTopic(`bench_w6_out_${ctx.runId}`, BENCH_TOPIC);
  await engine.execute(
    `CREATE STREAM w6bids_${ctx.runId} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING) WITH (kafka_topic='${topics.bids}', value_format='JSON');`,
  );
  await engine.execute(
    `CREATE TABLE w6_${ctx.runId} WITH (kafka_topic='bench_w6_out_${ctx.runId}', partitions=1) AS SELECT auction, COUNT(*) AS c, MAX(price) AS m FROM w6bids_${ctx.runId} GROUP BY auction EMIT CHANGES;`,
  );
  const query = engine.persistentQueries().find((q) => q.plan.sink?.topic === `bench_w6_out_${ctx.runId}`);
  if (!(query instanceof PersistentQuery)) throw new Error('the W6 aggregation did not start');
  return { engine, log, query };
}

async function untilStateOpen(r: Running, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (r.query.stateStoreInUse === undefined) {
    if (r.query.lastError !== undefined) throw r.query.lastError;
    if (Date.now() > deadline) throw new Error('the aggregation did not open its state in time');
    await sleep(5);
  }
}

/** Waits until the query's committed offsets cover the whole bids topic. */
async function untilCaughtUp(r: Running, topics: NexmarkTopics, groupId: string, timeoutMs: number) {
  const end = topics.sizes.bids;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const committed = await r.log.committedOffsets(groupId, [topics.bids]);
    if (committed.some((c) => Number(c.offset) >= end)) return;
    if (r.query.lastError !== undefined && Date.now() > deadline) throw r.query.lastError;
    if (Date.now() > deadline) throw new Error('the aggregation did not read every bid in time');
    await sleep(200);
  }
}

async function stop(r: Running): Promise<void> {
  await r.engine.close();
  await r.log.close();
}

export const w6: Workload = {
  id: 'W6',
  title: 'state restore from the changelog: cold (state file deleted) and warm (restart)',
  needsKafka: true,
  async run(ctx): Promise<BenchFigure[]> {
    const topics = await nexmarkTopics(ctx);
    const stateDir = await mkdtemp(join(tmpdir(), 'sluice-bench-w6-'));
    onRunEnd(() => rm(stateDir, { recursive: true, force: true }));

    // Build the state: the aggregation over every bid, committed by a clean stop.
    const first = await startEngine(ctx, topics, stateDir);
    const groupId = `_confluent-ksql-bench_w6_${ctx.runId}_query_${first.query.id}`;
    onRunEnd(async () => {
      const l = benchLog(ctx);
      try {
        const mine = (await l.listTopics()).filter((t) => t.startsWith(groupId));
        for (const topic of [...mine, `bench_w6_out_${ctx.runId}`])
          await l.deleteTopic(topic).catch(() => false);
      } finally {
        await l.close();
      }
    });
    try {
      await untilCaughtUp(first, topics, groupId, 300_000);
    } finally {
      await stop(first);
    }
    const log = benchLog(ctx);
    let changelogRecords: number;
    let changelogTopic: string;
    try {
      const candidates = (await log.listTopics()).filter(
        (t) => t.startsWith(groupId) && t.endsWith('-changelog'),
      );
      if (candidates.length !== 1)
        throw new Error(`expected one changelog topic for ${groupId}, found ${candidates.length}`);
      changelogTopic = candidates[0]!;
      changelogRecords = await topicRecordCount(log, changelogTopic);
      if (changelogRecords < topics.sizes.auctions)
        throw new Error(`the changelog holds ${changelogRecords} records for ${topics.sizes.auctions} keys`);
    } finally {
      await log.close();
    }

    // Cold: no state file; the new engine rebuilds it from the changelog.
    await rm(stateDir, { recursive: true, force: true });
    let cold!: Running;
    const coldRun = await measureAsync(changelogRecords, async () => {
      cold = await startEngine(ctx, topics, stateDir);
      await untilStateOpen(cold, 300_000);
    });
    await stop(cold);
    const p1 = await rawConsume(ctx, changelogTopic, changelogRecords);

    // Warm: the state file is kept; the new engine resumes from its stored positions.
    let warm!: Running;
    const warmRun = await measureAsync(changelogRecords, async () => {
      warm = await startEngine(ctx, topics, stateDir);
      await untilStateOpen(warm, 120_000);
    });
    await stop(warm);

    const keys = topics.sizes.auctions;
    return [
      {
        workload: 'W6',
        name: `cold restore of ${keys} keys from the changelog (records/CPU-s)`,
        size: changelogRecords,
        value: coldRun.eventsPerCpuSecond,
        unit: 'records/CPU-s',
        reference: 'raw consume of the changelog (P1)',
        referenceValue: p1.eventsPerCpuSecond,
        details: {
          wallSeconds: coldRun.wallSeconds,
          cpuSeconds: coldRun.cpuSeconds,
          recordsPerWallSecond: changelogRecords / coldRun.wallSeconds,
          gate: 0.5,
          stretch: 0.8,
        },
      },
      {
        workload: 'W6',
        name: `warm restart with ${keys} keys in the state file: seconds to state open`,
        size: changelogRecords,
        value: warmRun.wallSeconds,
        unit: 's',
        details: { cpuSeconds: warmRun.cpuSeconds, gateSeconds: 5 },
      },
    ];
  },
};
