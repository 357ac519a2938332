/**
 * The broker-less stateless pipeline: generated JSON records -> decode -> filter -> project ->
 * encode -> blackhole, through the same compiled pipeline a persistent query runs. Reported in
 * events per CPU-second and as a ratio to the same-run reference: JSON.parse + JSON.stringify
 * of the same bytes (the floor any JSON-in, JSON-out engine pays).
 */
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import type { LogRecord } from '../engine/log/log.js';
import { MemoryLog } from '../engine/log/memory-log.js';
import { ProcessingLog } from '../engine/runtime/processing-log.js';
import { sinkEncoder } from '../engine/runtime/sink-encoder.js';
import { compileStreamPipeline } from '../engine/runtime/stream-pipeline.js';
import { bestOf, type Measurement } from './cpu.js';

export interface StatelessPipelineResult {
  readonly engine: Measurement;
  readonly jsonRoundTrip: Measurement;
  readonly ratio: number;
  readonly emitted: number;
}

/** Nexmark-shaped bids: auction, bidder, price, channel, url, date_time, extra. */
function bids(count: number): LogRecord[] {
  const records: LogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const key = Buffer.alloc(8);
    key.writeBigInt64BE(BigInt(i % 10_000));
    const value = JSON.stringify({
      AUCTION: 1000 + (i % 10_000),
      BIDDER: 2000 + ((i * 7) % 50_000),
      PRICE: (i * 37) % 100_000,
      CHANNEL: ['Google', 'Facebook', 'Baidu', 'Apple'][i % 4],
      URL: `https://www.nexmark.com/item.htm?query=${i % 997}`,
      DATE_TIME: 1_700_000_000_000 + i,
      EXTRA: 'x'.repeat(i % 16),
    });
    records.push({
      topic: 'bids',
      partition: 0,
      offset: BigInt(i),
      key,
      value: Buffer.from(value),
      timestamp: 1_700_000_000_000 + i,
      headers: [],
    });
  }
  return records;
}

export async function runStatelessPipeline(events: number, runs = 3): Promise<StatelessPipelineResult> {
  const engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  await engine.execute(
    "CREATE STREAM bids (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time BIGINT, extra STRING) WITH (kafka_topic='bids', partitions=1, value_format='JSON');",
  );
  await engine.execute(
    "CREATE STREAM expensive AS SELECT auction_key, auction, bidder, price * 100 AS price_cents, UCASE(channel) AS channel FROM bids WHERE price > 50000 AND channel <> 'Apple';",
  );
  const plan = engine.persistentQueries()[0]!.plan;
  if (plan.kind !== 'StreamPipeline') throw new Error('expected a stream pipeline');
  const process = compileStreamPipeline(plan, builtinFunctions, new ProcessingLog());
  const encode = sinkEncoder(
    plan.sink!,
    plan.project.key.map((k) => k.column),
    plan.project.value.map((v) => v.column),
  );
  const records = bids(events);
  let emitted = 0;
  const blackhole = { bytes: 0 };
  const engineRun = bestOf(runs, events, () => {
    emitted = 0;
    for (const record of records) {
      process(record, (row) => {
        const out = encode(row.key, row.value, row.timestamp);
        blackhole.bytes += out.value?.length ?? 0;
        emitted++;
      });
    }
  });
  const reference = bestOf(runs, events, () => {
    for (const record of records) {
      const parsed = JSON.parse(record.value!.toString('utf8'));
      blackhole.bytes += Buffer.from(JSON.stringify(parsed)).length;
    }
  });
  await engine.close();
  return {
    engine: engineRun,
    jsonRoundTrip: reference,
    ratio: engineRun.eventsPerCpuSecond / reference.eventsPerCpuSecond,
    emitted,
  };
}
