/**
 * The seam between the test runner and the engine. The runner expands and judges; a
 * `CaseExecutor` runs one expanded case on a fresh engine (on MemoryLog, deterministically)
 * and reports what happened, without judging anything itself.
 */
import type { ActualRecord } from './actual-values.js';
import type { EngineError } from './exception-check.js';
import type { QueryCase } from './expand.js';
import type { PostConditionView } from './post-conditions.js';

export interface CaseExecutor {
  /**
   * Runs one QTT case: create `testCase.test.topics`, run `testCase.script` with
   * `testCase.properties`, produce `testCase.test.inputs` in file order (timestamp 0 when
   * absent), process them fully, then read back the topics in `outputTopics`.
   *
   * Resolves with an `error` outcome when the engine rejected a statement or processing
   * failed (the runner checks it against `expectedException`). Throws (or rejects with)
   * `UnsupportedFeatureError` when the case needs something Sluice does not support yet;
   * any other exception is a failure of the case.
   */
  execute(testCase: QueryCase, context: ExecutionContext): Promise<CaseOutcome>;
}

export interface ExecutionContext {
  /** Every topic that has expected output records, in order of first appearance. */
  outputTopics: readonly string[];
  /** Aborted when the runner gives up on the case (time limit); stop work and release resources. */
  signal: AbortSignal;
}

export type CaseOutcome = CompletedOutcome | ErrorOutcome;

export interface CompletedOutcome {
  kind: 'completed';
  /**
   * For each requested output topic the engine knows (some source or sink owns it), every
   * record that ended up in it, in offset order, decoded with the owning source's formats.
   * A requested topic left out is one the engine cannot read, which fails the case.
   */
  outputs: ReadonlyMap<string, readonly ActualRecord[]>;
  /** Persistent queries (C*AS, INSERT INTO ... SELECT) the statements created. */
  persistentQueryCount: number;
  /** The catalog and topics after the run, for `post` conditions. */
  view: PostConditionView;
}

export interface ErrorOutcome {
  kind: 'error';
  error: EngineError;
}

/**
 * Sluice does not support something this case needs (a Schema Registry format, a test-only
 * UDF, ...). The only way a case is reported as skipped rather than failed.
 */
export class UnsupportedFeatureError extends Error {
  constructor(
    /** Short name of the feature, e.g. `AVRO format`, for grouping in summaries. */
    readonly feature: string,
    detail?: string,
  ) {
    super(
      detail === undefined ? `not supported yet: ${feature}` : `not supported yet: ${feature} (${detail})`,
    );
    this.name = 'UnsupportedFeatureError';
  }
}

/** True for an UnsupportedFeatureError, also one from another copy of this module. */
export function isUnsupportedFeature(error: unknown): error is UnsupportedFeatureError {
  return (
    error instanceof UnsupportedFeatureError ||
    (error instanceof Error &&
      error.name === 'UnsupportedFeatureError' &&
      typeof (error as { feature?: unknown }).feature === 'string')
  );
}
