import { findTestFiles, UsageError } from './discover.js';
import { engineExecutor } from './engine-executor.js';
import type { CaseExecutor } from './executor.js';
import { ProgressLine, type ProgressStream } from './progress.js';
import { type CaseResult, type RunSummary, runCases, summarize } from './runner.js';
import { loadSuite } from './suite.js';

export interface TestCommandOptions {
  /** Print a JSON summary as the last line of stdout (and nothing else on stdout). */
  json?: boolean;
  /** Only cases whose name contains this text (case-insensitive). */
  filter?: string;
}

/** What the command talks to; the defaults are the process's streams and the current executor. */
export interface TestCommandEnvironment {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  executor: CaseExecutor;
  caseTimeoutMs?: number;
}

const defaultEnvironment = (): TestCommandEnvironment => ({
  stdout: process.stdout,
  stderr: process.stderr,
  executor: engineExecutor,
});

/** Failed cases listed one by one in the text report; the rest are counted (--json lists all). */
const maxListedFailures = 50;

/**
 * `sluice test PATH... [--json] [--filter TEXT]`. Returns the exit code: 0 when no case
 * failed, 1 when one did (or a test file is broken), 2 for a usage error (no path, a
 * missing path, no case to run).
 */
export async function runTestCommand(
  paths: readonly string[],
  options: TestCommandOptions = {},
  environment: Partial<TestCommandEnvironment> = {},
): Promise<number> {
  const env = { ...defaultEnvironment(), ...environment };
  try {
    if (paths.length === 0) throw new UsageError('give at least one test file or folder');
    const suite = await loadSuite(await findTestFiles(paths));
    const filter = options.filter?.toLowerCase();
    const cases =
      filter === undefined ? suite.cases : suite.cases.filter((c) => c.name.toLowerCase().includes(filter));
    if (cases.length === 0 && suite.brokenFiles.length === 0) {
      throw new UsageError(
        filter === undefined
          ? 'the given paths hold no test case'
          : `no test case matches --filter ${options.filter}`,
      );
    }
    const progress = new ProgressLine(env.stderr);
    const run = await runCases(cases, env.executor, {
      ...(env.caseTimeoutMs === undefined ? {} : { caseTimeoutMs: env.caseTimeoutMs }),
      onCaseDone: (result, done, total) => progress.caseDone(result, done, total),
    });
    progress.finish();
    const brokenFiles: CaseResult[] = suite.brokenFiles.map((err) => ({
      file: err.file,
      name: `${err.file} (cannot be loaded)`,
      status: 'failed',
      reason: err.message,
    }));
    const summary = summarize([...brokenFiles, ...run.cases]);
    if (options.json) {
      env.stderr.write(`${countsLine(summary)}\n`);
      env.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      env.stdout.write(textReport(summary, suite.files.length, suite.disabledTests));
    }
    return summary.failed > 0 ? 1 : 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    env.stderr.write(`sluice test: ${err.message}\n`);
    return 2;
  }
}

function countsLine(summary: RunSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}

function textReport(summary: RunSummary, fileCount: number, disabledTests: number): string {
  const lines: string[] = [];
  const failed = summary.cases.filter((result) => result.status === 'failed');
  for (const result of failed.slice(0, maxListedFailures)) {
    lines.push(`FAILED ${result.name}`);
    for (const line of (result.reason ?? '').split('\n')) lines.push(`    ${line}`);
  }
  if (failed.length > maxListedFailures) {
    lines.push(`... and ${failed.length - maxListedFailures} more failed cases (--json lists every case)`);
  }
  for (const [status, label] of [
    ['failed', 'Failure reasons'],
    ['skipped', 'Skip reasons'],
  ] as const) {
    const reasons = reasonCounts(summary.cases.filter((result) => result.status === status));
    if (reasons.length === 0) continue;
    lines.push('', `${label}:`);
    for (const [reason, count] of reasons.slice(0, 10))
      lines.push(`  ${String(count).padStart(6)}  ${reason}`);
    if (reasons.length > 10) lines.push(`  ... and ${reasons.length - 10} other reasons`);
  }
  const disabled = disabledTests > 0 ? ` (${disabledTests} disabled tests not expanded)` : '';
  lines.push('', `${summary.total} cases from ${fileCount} files${disabled}`, countsLine(summary));
  return `${lines.join('\n')}\n`;
}

/** Reasons grouped by their first line, most frequent first. */
function reasonCounts(results: readonly CaseResult[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const result of results) {
    const firstLine = (result.reason ?? '').split('\n')[0] ?? '';
    const key = firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}
