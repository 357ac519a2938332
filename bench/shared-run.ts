/**
 * A workload measured once per run even when two rows need it (W3 itself, and W3 against
 * Kafka Streams): the registry registers `shared(w)`, and comparisons call `sharedRun(w, ctx)`.
 */
import type { BenchContext, BenchFigure, Workload } from './workload.js';

const runs = new Map<string, Promise<BenchFigure[]>>();

export function sharedRun(workload: Workload, ctx: BenchContext): Promise<BenchFigure[]> {
  const key = `${ctx.runId}:${workload.id}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = workload.run(ctx);
    runs.set(key, run);
  }
  return run;
}

export function shared(workload: Workload): Workload {
  return { ...workload, run: (ctx) => sharedRun(workload, ctx) };
}
