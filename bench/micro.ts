/**
 * The broker-less micro-benchmarks (tier (a) of the performance targets) as workloads: the
 * stateless pipeline against JSON parse+stringify, the parser against the lexer, and the state
 * store against the DuckDB appender, each reference measured in the same run.
 */
import { runParseBenchmark } from './parse.js';
import { runStateStoreBench } from './state-store.js';
import { runStatelessPipeline } from './stateless-pipeline.js';
import type { Workload } from './workload.js';

export const statelessPipeline: Workload = {
  id: 'M1',
  title: 'stateless filter+project pipeline, JSON, no broker',
  needsKafka: false,
  async run(ctx) {
    const events = ctx.quick ? 100_000 : 1_000_000;
    const r = await runStatelessPipeline(events, ctx.quick ? 2 : 3);
    return [
      {
        workload: 'M1',
        name: 'stateless filter+project, no broker (events/CPU-s)',
        size: events,
        value: r.engine.eventsPerCpuSecond,
        unit: 'events/CPU-s',
        reference: 'JSON.parse+stringify',
        referenceValue: r.jsonRoundTrip.eventsPerCpuSecond,
        details: { emitted: r.emitted, cpuSeconds: r.engine.cpuSeconds, wallSeconds: r.engine.wallSeconds },
      },
    ];
  },
};

export const parser: Workload = {
  id: 'M2',
  title: 'parser',
  needsKafka: false,
  async run(ctx) {
    const statements = ctx.quick ? 6_000 : 30_000;
    const r = runParseBenchmark(statements, ctx.quick ? 2 : 3);
    return [
      {
        workload: 'M2',
        name: 'parseStatements (statements/CPU-s)',
        size: statements,
        value: r.parse.eventsPerCpuSecond,
        unit: 'statements/CPU-s',
        reference: 'lexer alone',
        referenceValue: r.lexOnly.eventsPerCpuSecond,
        details: { characters: r.characters },
      },
    ];
  },
};

export const stateStore: Workload = {
  id: 'M3',
  title: 'state store put + commit',
  needsKafka: false,
  async run(ctx) {
    const keys = ctx.quick ? 20_000 : 100_000;
    const r = await runStateStoreBench(keys);
    const common = {
      workload: 'M3',
      size: keys,
      unit: 'rows/CPU-s',
      reference: 'DuckDB appender (P5)',
      referenceValue: r.appender.rowsPerCpuSecond,
    };
    return [
      {
        ...common,
        name: 'state store put + commit, new keys (rows/CPU-s)',
        value: r.insert.rowsPerCpuSecond,
        details: { rowsPerWallSecond: r.insert.rowsPerWallSecond },
      },
      {
        ...common,
        name: 'state store put + commit, updates (rows/CPU-s)',
        value: r.update.rowsPerCpuSecond,
        details: { rowsPerWallSecond: r.update.rowsPerWallSecond },
      },
      {
        ...common,
        name: 'state store cold prefetch + get (rows/CPU-s)',
        value: r.coldPrefetch.rowsPerCpuSecond,
        details: { rowsPerWallSecond: r.coldPrefetch.rowsPerWallSecond },
      },
    ];
  },
};
