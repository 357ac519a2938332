/**
 * `npm run bench [-- --quick]`: runs the benchmarks that exist so far and prints each figure
 * with its same-run reference and the ratio, as a Markdown table. Workloads that need pieces
 * Sluice does not have yet are listed as not available.
 */

import { LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';
import { runParseBenchmark } from './parse.js';
import { runStateStoreBench } from './state-store.js';
import { runStatelessPipeline } from './stateless-pipeline.js';
import { runW1 } from './w1-kafka.js';

const quick = process.argv.includes('--quick');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: string[] = [];
const row = (workload: string, size: number, figure: number, reference: string, referenceFigure: number) =>
  rows.push(
    `| ${workload} | ${fmt(size)} | ${fmt(figure)} | ${reference} | ${fmt(referenceFigure)} | ${(figure / referenceFigure).toFixed(2)} |`,
  );

const events = quick ? 100_000 : 1_000_000;
const pipeline = await runStatelessPipeline(events, quick ? 2 : 3);
row(
  'stateless filter+project, JSON, no broker (events/CPU-s)',
  events,
  pipeline.engine.eventsPerCpuSecond,
  'JSON.parse+stringify',
  pipeline.jsonRoundTrip.eventsPerCpuSecond,
);

const statements = quick ? 6_000 : 30_000;
const parse = runParseBenchmark(statements, quick ? 2 : 3);
row(
  'parseStatements (statements/CPU-s)',
  statements,
  parse.parse.eventsPerCpuSecond,
  'lexer alone',
  parse.lexOnly.eventsPerCpuSecond,
);

const keys = quick ? 20_000 : 100_000;
const state = await runStateStoreBench(keys);
row(
  'state store: put + commit, new keys (rows/CPU-s)',
  keys,
  state.insert.rowsPerCpuSecond,
  'DuckDB appender',
  state.appender.rowsPerCpuSecond,
);
row(
  'state store: put + commit, updates (rows/CPU-s)',
  keys,
  state.update.rowsPerCpuSecond,
  'DuckDB appender',
  state.appender.rowsPerCpuSecond,
);

// Broker-backed workloads: SLUICE_BOOTSTRAP_SERVERS, else the local broker (started if needed).
let bootstrap = process.env.SLUICE_BOOTSTRAP_SERVERS;
let started: LocalKafkaBroker | undefined;
if (!bootstrap) {
  const broker = new LocalKafkaBroker(localBrokerConfig());
  const { alreadyRunning } = await broker.start((line) => process.stderr.write(`[kafka] ${line}\n`));
  if (!alreadyRunning) started = broker;
  bootstrap = broker.bootstrapServers;
}
const w1Events = quick ? 50_000 : 500_000;
const w1 = await runW1(bootstrap, w1Events);
row(
  'W1 q1 projection, Kafka -> Kafka (events/CPU-s)',
  w1Events,
  w1.engine.eventsPerCpuSecond,
  'raw consume->produce pipe',
  w1.pipe.eventsPerCpuSecond,
);
await started?.stop();

console.log('| workload | size | Sluice | reference | reference | ratio |');
console.log('|---|---|---|---|---|---|');
for (const line of rows) console.log(line);
for (const w of [
  'W2 windowed aggregation',
  'W3 stream-table join',
  'W4 pull queries',
  'W5 push fan-out',
  'W6 state restore',
]) {
  console.log(`| ${w} | not available yet | | | | |`);
}
