/**
 * `npm run bench [-- --quick]`: runs the benchmarks that exist so far and prints each figure
 * with its same-run reference and the ratio. Workloads that need pieces Sluice does not have
 * yet are listed as not available.
 */
import { runStatelessPipeline } from './stateless-pipeline.js';

const quick = process.argv.includes('--quick');
const events = quick ? 100_000 : 1_000_000;

const result = await runStatelessPipeline(events, quick ? 2 : 3);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`| workload | events | engine events/CPU-s | reference | reference events/CPU-s | ratio |`);
console.log(`|---|---|---|---|---|---|`);
console.log(
  `| stateless filter+project (JSON, no broker) | ${fmt(events)} | ${fmt(result.engine.eventsPerCpuSecond)} | JSON.parse+stringify | ${fmt(result.jsonRoundTrip.eventsPerCpuSecond)} | ${result.ratio.toFixed(2)} |`,
);
console.log(`(emitted ${fmt(result.emitted)} of ${fmt(events)} records)`);
for (const w of [
  'W1 Kafka->Kafka',
  'W2 windowed aggregation',
  'W3 stream-table join',
  'W4 pull queries',
  'W5 push fan-out',
  'W6 state restore',
]) {
  console.log(`| ${w} | not available yet | | | | |`);
}
