import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { type ActualRecord, type ActualValue, decodeJsonForComparison } from '../../testkit/actual-values.js';
import { compareOutputs } from '../../testkit/compare.js';
import { findTestFiles } from '../../testkit/discover.js';
import { JsonNumber, type QttJson, qttJsonText } from '../../testkit/json-values.js';
import type { TestRecord } from '../../testkit/qtt-model.js';
import { loadSuite } from '../../testkit/suite.js';
import { conformanceDir } from '../support/conformance.js';

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

/** What a perfect engine would hand back for an expected value: the kinds upstream decodes. */
function actualOf(value: QttJson): ActualValue {
  if (value instanceof JsonNumber) return value.isInteger ? BigInt(value.text) : value.toDecimal();
  if (Array.isArray(value)) return value.map(actualOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, field]) => [name, actualOf(field as QttJson)]),
    );
  }
  return value as ActualValue;
}

function outputsOf(records: readonly TestRecord[], topic: string): TestRecord[] {
  return records.filter((record) => record.topic === topic);
}

function perfectRecord(expected: TestRecord): ActualRecord {
  return {
    key: actualOf(expected.key ?? null),
    value: actualOf(expected.value),
    timestamp: expected.timestamp ?? 0,
    headers: (expected.headers ?? []).map((h) => ({
      key: h.key,
      value: h.value === null ? null : Buffer.from(h.value, 'base64'),
    })),
    ...(expected.window ? { window: expected.window } : {}),
  };
}

it("judges a perfect echo of every conformance case's expected outputs as matching", async (context) => {
  const dir = conformanceDir();
  if (!existsSync(dir)) {
    if (process.env.CI === 'true') throw new Error(`the conformance folder ${dir} does not exist`);
    context.skip(`the conformance folder ${dir} does not exist`);
  }
  const suite = await loadSuite(await findTestFiles([dir]));
  let compared = 0;
  for (const testCase of suite.cases) {
    const byTopic = new Map<string, ActualRecord[]>();
    for (const record of testCase.test.outputs) {
      byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), perfectRecord(record)]);
    }
    const mismatches = compareOutputs(testCase.test.outputs, byTopic, { zeroTimestampIsWildcard: false });
    expect(mismatches, testCase.name).toEqual([]);
    // The same records as an engine writing the expected JSON text would produce them.
    const asJsonText = new Map(
      [...byTopic].map(([topic, records]) => [
        topic,
        records.map((record, i) => ({
          ...record,
          value: decodeJsonForComparison(
            qttJsonText(outputsOf(testCase.test.outputs, topic)[i]?.value ?? null),
          ),
        })),
      ]),
    );
    expect(
      compareOutputs(testCase.test.outputs, asJsonText, { zeroTimestampIsWildcard: false }),
      testCase.name,
    ).toEqual([]);
    compared += testCase.test.outputs.length;
  }
  console.log(`compared ${compared} expected output records with their perfect echo`);
});
