/**
 * `npm run bench [-- --quick] [--only W1,M2] [--out DIR]`: runs the registered workloads, prints
 * every figure next to its same-run reference as a Markdown table, and writes the results as
 * JSON, Markdown and an SVG chart of the ratios into bench/results/ (`<timestamp>.*` and
 * `latest.*`). Broker-backed workloads use SLUICE_BOOTSTRAP_SERVERS, else the local broker,
 * which is started if needed and stopped again if this run started it.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';
import { projectRoot } from '../kafka/project-paths.js';
import { runCleanups } from './cleanup.js';
import { registeredUnavailable, registeredWorkloads, selectWorkloads } from './registry.js';
import { type BenchReport, type FailedWorkload, renderMarkdown, writeReport } from './report.js';
import {
  type BenchContext,
  type BenchFigure,
  type UnavailableWorkload,
  WorkloadNotAvailable,
} from './workload.js';

interface Options {
  readonly quick: boolean;
  readonly only: string[] | undefined;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let only: string[] | undefined;
  let out = join(projectRoot(), 'bench', 'results');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').filter((s) => s !== '');
    else if (arg.startsWith('--only='))
      only = arg
        .slice(7)
        .split(',')
        .filter((s) => s !== '');
    else if (arg === '--out') out = argv[++i] ?? out;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench -- [--quick] [--only W1,W2,...] [--out DIR]');
      process.exit(0);
    } else throw new Error(`unknown argument '${arg}' (try --help)`);
  }
  return { quick, only, out };
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const runId = Date.now().toString(36);
  const selected = selectWorkloads(registeredWorkloads, options.only);
  const unavailable: UnavailableWorkload[] = selectWorkloads(registeredUnavailable, options.only);
  if (options.only !== undefined) {
    const known = new Set([...registeredWorkloads, ...registeredUnavailable].map((w) => w.id.toUpperCase()));
    const unknown = options.only.filter((id) => !known.has(id.trim().toUpperCase()));
    if (unknown.length > 0) throw new Error(`unknown workload id(s): ${unknown.join(', ')}`);
  }

  let bootstrapServers = process.env.SLUICE_BOOTSTRAP_SERVERS ?? '';
  let started: LocalKafkaBroker | undefined;
  if (bootstrapServers === '' && selected.some((w) => w.needsKafka)) {
    const broker = new LocalKafkaBroker(localBrokerConfig());
    if ((await broker.status()).state === 'foreign') {
      // A broker this checkout did not start (another checkout's, a developer's) answers on
      // the port: benchmark against it, and leave it running.
      log(`using the Kafka broker already answering on ${broker.bootstrapServers}`);
    } else {
      const { alreadyRunning } = await broker.start((line) => log(`[kafka] ${line}`));
      if (!alreadyRunning) started = broker;
    }
    bootstrapServers = broker.bootstrapServers;
  }

  const figures: BenchFigure[] = [];
  const failed: FailedWorkload[] = [];
  try {
    const ctx: BenchContext = { quick: options.quick, bootstrapServers, runId, log };
    for (const workload of selected) {
      log(`${workload.id}: ${workload.title}`);
      const t0 = Date.now();
      try {
        const result = await workload.run(ctx);
        figures.push(...result);
        log(`${workload.id}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        if (err instanceof WorkloadNotAvailable) {
          unavailable.push({ id: workload.id, title: workload.title, reason: err.message });
          log(`${workload.id}: not available: ${err.message}`);
        } else {
          const message = err instanceof Error ? err.message : String(err);
          failed.push({ id: workload.id, title: workload.title, error: message });
          log(`${workload.id}: FAILED: ${err instanceof Error ? (err.stack ?? message) : message}`);
        }
      }
    }
  } finally {
    await runCleanups(log);
    if (started !== undefined) {
      log('stopping the local broker this run started');
      await started.stop();
    }
  }

  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    machine: {
      cpus: cpus().length,
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
    },
    ...(bootstrapServers === '' ? {} : { bootstrapServers }),
    figures,
    unavailable,
    failed,
  };
  const written = await writeReport(options.out, report);
  console.log(renderMarkdown(report));
  log(`results: ${written.filter((p) => p.includes('latest')).join(', ')}`);
  if (failed.length > 0) process.exitCode = 1;
}

await main();
// Kafka clients and DuckDB handles that a workload leaked must not keep the process alive.
process.exit(process.exitCode ?? 0);
