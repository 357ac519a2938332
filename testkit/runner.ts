import { compareOutputs, describeMismatches } from './compare.js';
import { checkExpectedException, describeError } from './exception-check.js';
import { type CaseExecutor, type CaseOutcome, isUnsupportedFeature } from './executor.js';
import type { ExpandedCase, QueryCase } from './expand.js';
import { checkPostConditions } from './post-conditions.js';
import { runRestCase } from './rest-runner.js';

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  file: string;
  /** The expanded case name, unique across the suite. */
  name: string;
  status: CaseStatus;
  /** Why it failed or was skipped; null when it passed. May span several lines. */
  reason: string | null;
}

export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  cases: CaseResult[];
}

export interface RunOptions {
  /** A case still running after this long fails (its executor is signalled to stop). Default 60 s. */
  caseTimeoutMs?: number;
  /** Called after each case is judged. */
  onCaseDone?: (result: CaseResult, done: number, total: number) => void;
}

/** Runs the cases one at a time, in order, and judges each one. */
export async function runCases(
  cases: readonly ExpandedCase[],
  executor: CaseExecutor,
  options: RunOptions = {},
): Promise<RunSummary> {
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const result = await judgeCase(testCase, executor, options);
    results.push(result);
    options.onCaseDone?.(result, results.length, cases.length);
  }
  return summarize(results);
}

export function summarize(cases: CaseResult[]): RunSummary {
  const count = (status: CaseStatus) => cases.filter((result) => result.status === status).length;
  return {
    total: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    cases,
  };
}

/** Runs one case through the executor and judges the outcome as upstream does. */
export async function judgeCase(
  testCase: ExpandedCase,
  executor: CaseExecutor,
  options: RunOptions = {},
): Promise<CaseResult> {
  const result = (status: CaseStatus, reason: string | null): CaseResult => ({
    file: testCase.file,
    name: testCase.name,
    status,
    reason,
  });
  if (testCase.suite === 'rqtt') {
    try {
      const verdict = await runRestCase(testCase);
      return verdict.status === 'passed' ? result('passed', null) : result(verdict.status, verdict.reason);
    } catch (err) {
      return result('failed', err instanceof Error ? err.message : String(err));
    }
  }

  let outcome: CaseOutcome;
  try {
    outcome = await executeWithTimeout(testCase, executor, options.caseTimeoutMs ?? 60_000);
  } catch (err) {
    if (isUnsupportedFeature(err)) return result('skipped', err.message);
    return result('failed', err instanceof Error ? err.message : String(err));
  }
  try {
    const problem = await judgeOutcome(testCase, outcome);
    return problem === undefined ? result('passed', null) : result('failed', problem);
  } catch (err) {
    return result(
      'failed',
      `judging the outcome failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Why the outcome fails the case, or undefined when it passes. */
async function judgeOutcome(testCase: QueryCase, outcome: CaseOutcome): Promise<string | undefined> {
  const { test } = testCase;
  if (test.expectedException) {
    return checkExpectedException(
      test.expectedException,
      outcome.kind === 'error' ? outcome.error : undefined,
    );
  }
  if (outcome.kind === 'error') return `unexpected ${describeError(outcome.error)}`;
  if (outcome.persistentQueryCount === 0) {
    return 'the statements created no persistent query (a test without expectedException needs one)';
  }
  const mismatches = compareOutputs(test.outputs, outcome.outputs, {
    zeroTimestampIsWildcard: test.inputs.length === 0,
  });
  if (mismatches.length > 0) return describeMismatches(mismatches);
  if (test.post) {
    const problems = await checkPostConditions(test.post, outcome.view);
    if (problems.length > 0) return `post-conditions: ${problems.join('\n')}`;
  }
  return undefined;
}

/** Every topic with expected records, in order of first appearance. */
export function outputTopicsOf(testCase: QueryCase): string[] {
  return [...new Set(testCase.test.outputs.map((record) => record.topic))];
}

async function executeWithTimeout(
  testCase: QueryCase,
  executor: CaseExecutor,
  timeoutMs: number,
): Promise<CaseOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const run = executor.execute(testCase, {
      outputTopics: outputTopicsOf(testCase),
      signal: controller.signal,
    });
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
