/**
 * The benchmark workload contract: each workload (W1–W6 of the performance targets, and the
 * micro-benchmarks) is one module exporting a `Workload`; `bench/run.ts` lists them, runs the
 * ones asked for, and reports every figure next to the reference measured in the same run.
 */

/** What a workload gets from the runner. */
export interface BenchContext {
  /** `--quick`: small data sets, a few minutes for the whole run. */
  readonly quick: boolean;
  /** The broker's bootstrap servers, for workloads that need Kafka. */
  readonly bootstrapServers: string;
  /** A unique suffix for topic names, service ids and consumer groups of this run. */
  readonly runId: string;
  /** Progress lines (to stderr), never part of the results. */
  log(line: string): void;
}

/** One reported figure: a Sluice measurement and the same-run reference it is compared with. */
export interface BenchFigure {
  /** Workload id, e.g. `W2`. */
  readonly workload: string;
  /** What was measured, e.g. `tumbling 1 min, 10k keys, EMIT CHANGES (events/CPU-s)`. */
  readonly name: string;
  /** Data-set size (events, keys, requests, rows). */
  readonly size: number;
  readonly value: number;
  readonly unit: string;
  /** The reference's name, e.g. `raw consume (P1)`, and its value in the same unit. */
  readonly reference?: string;
  readonly referenceValue?: number;
  /** Extra measurements kept in the JSON results: wall seconds, p50/p99, memory, ... */
  readonly details?: Readonly<Record<string, number | string>>;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** Whether the workload needs the broker. */
  readonly needsKafka: boolean;
  run(ctx: BenchContext): Promise<BenchFigure[]>;
}

/** A workload the engine cannot run yet: listed as not available, never faked. */
export interface UnavailableWorkload {
  readonly id: string;
  readonly title: string;
  readonly reason: string;
}

/**
 * Thrown by a workload's `run` when this machine or this engine cannot run it (no Java for the
 * Kafka Streams baseline, a feature the engine lacks): the runner lists it as not available
 * with this reason instead of failing the run.
 */
export class WorkloadNotAvailable extends Error {
  override readonly name = 'WorkloadNotAvailable';
}
