import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findTestFiles } from '../../testkit/discover.js';
import { engineExecutor } from '../../testkit/engine-executor.js';
import { runCases } from '../../testkit/runner.js';
import { loadSuite } from '../../testkit/suite.js';
import { conformanceDir, conformanceUnavailable } from '../support/conformance.js';

/**
 * ksqlDB's query-validation tests, run through the same runner and executor as `sluice test`.
 * The ratchet (ratchet.json) records how many cases pass; fewer is a failure. Raise it with
 * UPDATE_RATCHET=1 when more pass.
 */
const ratchetFile = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'ratchet.json');

it('runs the QTT conformance set without losing ground', async (context) => {
  const unavailable = conformanceUnavailable();
  if (unavailable !== undefined) {
    console.log(`skipping: ${unavailable}`);
    context.skip(unavailable);
  }
  const suite = await loadSuite(await findTestFiles([join(conformanceDir(), 'query-validation-tests')]));
  const run = await runCases(suite.cases, engineExecutor, { caseTimeoutMs: 20_000 });

  const byFile = new Map<string, { passed: number; total: number }>();
  for (const c of run.cases) {
    const file = c.file.split('/').pop()!;
    const entry = byFile.get(file) ?? { passed: 0, total: 0 };
    entry.total++;
    if (c.status === 'passed') entry.passed++;
    byFile.set(file, entry);
  }
  const reasons = new Map<string, number>();
  for (const c of run.cases) {
    if (c.status === 'passed') continue;
    const reason = `${c.status}: ${(c.reason ?? '').split('\n')[0]!.slice(0, 100)}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(
    `QTT conformance: total ${run.total}, passed ${run.passed}, failed ${run.failed}, skipped ${run.skipped}\n` +
      `top reasons:\n${top.map(([r, n]) => `  ${n} ${r}`).join('\n')}`,
  );
  if (process.env.CONFORMANCE_REPORT !== undefined) {
    writeFileSync(
      process.env.CONFORMANCE_REPORT,
      JSON.stringify({ ...run, byFile: Object.fromEntries(byFile) }, null, 1),
    );
  }

  const ratchet = JSON.parse(readFileSync(ratchetFile, 'utf8')) as { qttPassed: number };
  if (process.env.UPDATE_RATCHET === '1' && run.passed > ratchet.qttPassed) {
    writeFileSync(ratchetFile, `${JSON.stringify({ ...ratchet, qttPassed: run.passed }, null, 2)}\n`);
  }
  expect(run.passed).toBeGreaterThanOrEqual(ratchet.qttPassed);
}, 600_000);
