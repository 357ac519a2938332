import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../kafka/project-paths.js';
import { findTestFiles } from '../../testkit/discover.js';
import { loadSuite } from '../../testkit/suite.js';

/**
 * ksqlDB's conformance files live outside the project (they are under the Confluent
 * Community License and are read at test time, never copied in): `../shared/conformance/ksql`
 * next to the checkout, or wherever SLUICE_CONFORMANCE_DIR points.
 */
function conformanceDir(): string {
  return resolve(
    process.env.SLUICE_CONFORMANCE_DIR ?? join(projectRoot(), '..', 'shared', 'conformance', 'ksql'),
  );
}

it('loads and expands every ksqlDB conformance file', async (context) => {
  const dir = conformanceDir();
  if (!existsSync(dir)) {
    const message = `the conformance folder ${dir} does not exist (set SLUICE_CONFORMANCE_DIR to point at it)`;
    if (process.env.CI === 'true') throw new Error(message);
    console.log(`skipping: ${message}`);
    context.skip(message);
  }

  const suite = await loadSuite(await findTestFiles([dir]));
  expect(suite.brokenFiles.map((err) => err.message)).toEqual([]);
  expect(suite.files.length).toBeGreaterThan(0);

  const names = new Set(suite.cases.map((c) => c.name));
  expect(names.size).toBe(suite.cases.length);
  for (const testCase of suite.cases) {
    const file = suite.files.find((f) => f.path === testCase.file);
    expect(testCase.name.startsWith(`${file?.fileName} - ${testCase.test.name}`)).toBe(true);
    if (testCase.format) expect(testCase.script).not.toContain('{FORMAT}');
    if (testCase.suite === 'qtt' && testCase.config) {
      expect(testCase.properties[testCase.config.property]).toBe(testCase.config.value);
    }
  }

  const count = <T extends string>(keys: readonly T[]) => {
    const counts: Record<string, number> = {};
    for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  };
  const tests = suite.files.flatMap((file) => file.tests.map((test) => ({ suite: file.suite, test })));
  const report = {
    folder: dir,
    files: count(suite.files.map((f) => f.suite)),
    tests: count(tests.map((t) => t.suite)),
    disabledTests: suite.disabledTests,
    cases: count(suite.cases.map((c) => c.suite)),
    casesByFormat: count(suite.cases.map((c) => `${c.suite}:${c.format ?? '(none)'}`)),
    negativeCases: suite.cases.filter((c) => c.suite === 'qtt' && c.test.expectedException).length,
    configCases: suite.cases.filter((c) => c.suite === 'qtt' && c.config).length,
  };
  console.log(`conformance files: ${JSON.stringify(report, null, 2)}`);
  expect(tests.length).toBe(suite.files.reduce((sum, file) => sum + file.tests.length, 0));
  expect(suite.cases.length).toBeGreaterThanOrEqual(tests.length - suite.disabledTests);
});
