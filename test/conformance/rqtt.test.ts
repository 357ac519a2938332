import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findTestFiles } from '../../testkit/discover.js';
import { engineExecutor } from '../../testkit/engine-executor.js';
import { runCases } from '../../testkit/runner.js';
import { loadSuite } from '../../testkit/suite.js';
import { conformanceDir } from '../support/conformance.js';

/**
 * ksqlDB's REST query-validation tests (RQTT), run through the same runner as `sluice test`:
 * each case against the REST server (fastify inject) over an in-memory log. The ratchet
 * (ratchet.json, `rqttPassed`) records how many pass; fewer is a failure. Raise it with
 * UPDATE_RATCHET=1 when more pass.
 */
const ratchetFile = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'ratchet.json');

it('runs the RQTT conformance set without losing ground', async (context) => {
  const folder = join(conformanceDir(), 'rest-query-validation-tests');
  if (!existsSync(folder)) {
    const message = `the conformance folder ${folder} does not exist (set SLUICE_CONFORMANCE_DIR to point at it)`;
    if (process.env.CI === 'true') throw new Error(message);
    console.log(`skipping: ${message}`);
    context.skip(message);
  }
  const suite = await loadSuite(await findTestFiles([folder]));
  const run = await runCases(suite.cases, engineExecutor, { caseTimeoutMs: 20_000 });

  const reasons = new Map<string, number>();
  for (const c of run.cases) {
    if (c.status === 'passed') continue;
    const reason = `${c.status}: ${(c.reason ?? '').split('\n')[0]!.slice(0, 100)}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(
    `RQTT conformance: total ${run.total}, passed ${run.passed}, failed ${run.failed}, skipped ${run.skipped}\n` +
      `top reasons:\n${top.map(([r, n]) => `  ${n} ${r}`).join('\n')}`,
  );
  if (process.env.RQTT_REPORT !== undefined)
    writeFileSync(process.env.RQTT_REPORT, JSON.stringify(run, null, 1));

  const ratchet = JSON.parse(readFileSync(ratchetFile, 'utf8')) as { rqttPassed?: number };
  if (process.env.UPDATE_RATCHET === '1' && run.passed > (ratchet.rqttPassed ?? 0)) {
    writeFileSync(ratchetFile, `${JSON.stringify({ ...ratchet, rqttPassed: run.passed }, null, 2)}\n`);
  }
  expect(run.passed).toBeGreaterThanOrEqual(ratchet.rqttPassed ?? 0);
}, 600_000);
