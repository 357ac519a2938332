import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActualRecord } from '../../testkit/actual-values.js';
import { runTestCommand } from '../../testkit/cli.js';
import { type CaseExecutor, type CaseOutcome, UnsupportedFeatureError } from '../../testkit/executor.js';
import { type ExpandedCase, expandTestFile } from '../../testkit/expand.js';
import type { PostConditionView } from '../../testkit/post-conditions.js';
import { ProgressLine } from '../../testkit/progress.js';
import { parseTestFile } from '../../testkit/qtt-loader.js';
import { type RunSummary, runCases } from '../../testkit/runner.js';

const ddl = "CREATE STREAM INPUT (ID INT KEY, V INT) WITH (kafka_topic='input', value_format='{FORMAT}');";
const csas = 'CREATE STREAM OUTPUT AS SELECT * FROM INPUT;';
const input = { topic: 'input', key: 1, value: { V: 7 } };
const output = { topic: 'OUTPUT', key: 1, value: { V: 7 } };

/** A small suite exercising every verdict; the fake executor below plays the engine. */
const suiteFile = {
  tests: [
    { name: 'copies', format: ['JSON', 'AVRO'], statements: [ddl, csas], inputs: [input], outputs: [output] },
    {
      name: 'wrong output',
      format: ['JSON'],
      statements: [ddl, csas],
      inputs: [input],
      outputs: [{ ...output, key: 2 }],
    },
    {
      name: 'rejects',
      statements: ["CREATE STREAM X WITH (kafka_topic='x', value_format='FOO');"],
      expectedException: {
        type: 'io.confluent.ksql.util.KsqlStatementException',
        message: 'Unknown format: FOO',
      },
    },
    { name: 'no query', format: ['JSON'], statements: [ddl], inputs: [input] },
    { name: 'crashes', format: ['JSON'], statements: [ddl, csas], inputs: [input] },
    { name: 'hangs', format: ['JSON'], statements: [ddl, csas], inputs: [input] },
    {
      name: 'post',
      format: ['JSON'],
      statements: [ddl, csas],
      inputs: [input],
      post: { sources: [{ name: 'OUTPUT', type: 'table' }] },
    },
  ],
};

const emptyView: PostConditionView = {
  describeSources: async () => [
    {
      name: 'OUTPUT',
      type: 'stream',
      schema: 'ID INT KEY, V INT',
      keyFormat: { format: 'KAFKA' },
      valueFormat: 'JSON',
      keyFeatures: [],
      valueFeatures: [],
      isSource: false,
    },
  ],
  topics: async () => [],
};

let abortedCases: string[] = [];

const fakeEngine: CaseExecutor = {
  async execute(testCase, { outputTopics, signal }): Promise<CaseOutcome> {
    if (testCase.format === 'AVRO')
      throw new UnsupportedFeatureError('AVRO format', 'needs a Schema Registry');
    const name = testCase.test.name;
    if (name === 'crashes') throw new Error('operator blew up');
    if (name === 'hangs') {
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          abortedCases.push(testCase.name);
          reject(new Error('aborted'));
        }),
      );
    }
    if (name === 'rejects') {
      return { kind: 'error', error: { kind: 'statement', message: 'Unknown format: FOO' } };
    }
    const records: ActualRecord[] = [{ key: 1n, value: { V: 7n }, timestamp: 0, headers: [] }];
    return {
      kind: 'completed',
      outputs: new Map(outputTopics.map((topic) => [topic, records])),
      persistentQueryCount: name === 'no query' ? 0 : 1,
      view: emptyView,
    };
  },
};

function cases(): ExpandedCase[] {
  return expandTestFile(parseTestFile(JSON.stringify(suiteFile), 'suite/verdicts.json'));
}

describe('running cases through an executor', () => {
  it('judges each case: passed, failed with the reason, or skipped for unsupported features', async () => {
    abortedCases = [];
    const summary = await runCases(cases(), fakeEngine, { caseTimeoutMs: 200 });
    const verdicts = Object.fromEntries(
      summary.cases.map((c) => [c.name, [c.status, c.reason?.split('\n')[0]]]),
    );
    expect(verdicts).toEqual({
      'verdicts - copies - JSON': ['passed', undefined],
      'verdicts - copies - AVRO': ['skipped', 'not supported yet: AVRO format (needs a Schema Registry)'],
      'verdicts - wrong output - JSON': [
        'failed',
        'topic OUTPUT: record 1 differs at key: expected 2 (integer literal), actual 1 (INT/BIGINT)',
      ],
      'verdicts - rejects': ['passed', undefined],
      'verdicts - no query - JSON': [
        'failed',
        'the statements created no persistent query (a test without expectedException needs one)',
      ],
      'verdicts - crashes - JSON': ['failed', 'operator blew up'],
      'verdicts - hangs - JSON': ['failed', 'timed out after 200 ms'],
      'verdicts - post - JSON': [
        'failed',
        'post-conditions: source OUTPUT: type: expected table, actual stream',
      ],
    });
    expect(abortedCases).toEqual(['verdicts - hangs - JSON']);
    expect(summary).toMatchObject({ total: 8, passed: 2, failed: 5, skipped: 1 });
  });

  it('runs REST cases against the REST server', async () => {
    const ddl =
      "CREATE STREAM INPUT (ID INT KEY, V INT) WITH (kafka_topic='input', partitions=1, value_format='JSON');";
    const rest = parseTestFile(
      JSON.stringify({
        tests: [
          {
            name: 'pull',
            statements: [ddl, csas],
            responses: [{ admin: { '@type': 'currentStatus' } }, { admin: { '@type': 'currentStatus' } }],
          },
          {
            name: 'refused',
            statements: [ddl, 'SELECT * FROM INPUT GROUP BY ID;'],
            expectedError: { message: "Pull queries don't support GROUP BY clauses", status: 400 },
          },
        ],
      }),
      'rest-query-validation-tests/pull.json',
    );
    const summary = await runCases(expandTestFile(rest), fakeEngine);
    expect(summary.cases.map((c) => [c.name, c.status, c.reason])).toEqual([
      ['pull - pull', 'passed', null],
      ['pull - refused', 'passed', null],
    ]);
  });
});

describe('the sluice test command', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sluice-testkit-'));
    await mkdir(join(folder, 'nested'));
    await writeFile(join(folder, 'verdicts.json'), JSON.stringify(suiteFile));
    await writeFile(
      join(folder, 'nested', 'simple.json'),
      JSON.stringify({
        tests: [
          { name: 'one', format: ['JSON'], statements: [ddl, csas], inputs: [input], outputs: [output] },
        ],
      }),
    );
    await writeFile(join(folder, 'nested', 'notes.txt'), 'not a test file');
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      environment: {
        stdout: { write: (text: string) => out.push(text) },
        stderr: { isTTY: false, write: (text: string) => err.push(text) },
        executor: fakeEngine,
        caseTimeoutMs: 200,
      },
    };
  }

  function lastJsonLine(out: string[]): RunSummary {
    const lines = out.join('').trimEnd().split('\n');
    return JSON.parse(lines[lines.length - 1] as string) as RunSummary;
  }

  it('prints a JSON summary as the last line of stdout and exits 1 when a case failed', async () => {
    const { out, environment } = capture();
    const code = await runTestCommand([folder], { json: true }, environment);
    expect(code).toBe(1);
    const summary = lastJsonLine(out);
    expect(summary).toMatchObject({ total: 9, passed: 3, failed: 5, skipped: 1 });
    expect(summary.cases[0]).toEqual({
      file: join(folder, 'nested', 'simple.json'),
      name: 'simple - one - JSON',
      status: 'passed',
      reason: null,
    });
    expect(out).toHaveLength(1);
  });

  it('runs only the cases whose name contains the filter, and exits 0 when none failed', async () => {
    const { out, err, environment } = capture();
    const code = await runTestCommand(
      [join(folder, 'verdicts.json')],
      { json: true, filter: 'COPIES' },
      environment,
    );
    expect(code).toBe(0);
    expect(lastJsonLine(out).cases.map((c) => `${c.status} ${c.name}`)).toEqual([
      'passed verdicts - copies - JSON',
      'skipped verdicts - copies - AVRO',
    ]);
    expect(err.join('')).toContain('1 passed, 0 failed, 1 skipped');
  });

  it('writes a readable report with the failures and the counts', async () => {
    const { out, environment } = capture();
    await runTestCommand([folder], {}, environment);
    const report = out.join('');
    expect(report).toContain(
      'FAILED verdicts - wrong output - JSON\n    topic OUTPUT: record 1 differs at key',
    );
    expect(report).toContain(
      'Skip reasons:\n       1  not supported yet: AVRO format (needs a Schema Registry)',
    );
    expect(report.trimEnd().split('\n').slice(-2)).toEqual([
      '9 cases from 2 files',
      '3 passed, 5 failed, 1 skipped',
    ]);
  });

  it('reports a broken file as a failure and still runs the others', async () => {
    const broken = join(folder, 'nested', 'broken.json');
    await writeFile(broken, '{"tests": [{"name": "x", "statements": []}]}');
    try {
      const { out, environment } = capture();
      expect(await runTestCommand([join(folder, 'nested')], { json: true }, environment)).toBe(1);
      const summary = lastJsonLine(out);
      expect(summary).toMatchObject({ total: 2, passed: 1, failed: 1 });
      expect(summary.cases[0]?.reason).toBe(
        `${broken}: test #1 "x": field "statements": must be a non-empty array of strings`,
      );
    } finally {
      await rm(broken);
    }
  });

  it('exits 2 for usage errors', async () => {
    for (const [paths, options, message] of [
      [[], {}, 'give at least one test file or folder'],
      [[join(folder, 'absent.json')], {}, 'no such file or folder'],
      [[folder], { filter: 'nothing has this name' }, 'no test case matches --filter nothing has this name'],
    ] as const) {
      const { out, err, environment } = capture();
      expect(await runTestCommand(paths, options, environment)).toBe(2);
      expect(err.join('')).toContain(message);
      expect(out).toEqual([]);
    }
  });

  it("runs cases on Sluice's engine by default", async () => {
    const { out, environment } = capture();
    const { executor: _, ...withoutExecutor } = environment;
    expect(await runTestCommand([join(folder, 'nested')], { json: true }, withoutExecutor)).toBe(0);
    expect(lastJsonLine(out)).toMatchObject({
      total: 1,
      passed: 1,
      cases: [{ name: 'simple - one - JSON', status: 'passed', reason: null }],
    });
  });
});

describe('the progress line', () => {
  const result = (status: 'passed' | 'failed' | 'skipped', name = 'f - t') => ({
    file: 'f',
    name,
    status,
    reason: null,
  });

  it('redraws one line in place on a terminal and clears it at the end', () => {
    const writes: string[] = [];
    let now = 0;
    const progress = new ProgressLine(
      { isTTY: true, columns: 80, write: (text) => writes.push(text) },
      15_000,
      () => now,
    );
    now = 1000;
    progress.caseDone(result('passed'), 1, 3);
    progress.caseDone(result('failed'), 2, 3);
    progress.caseDone(result('skipped', 'f - last'), 3, 3);
    progress.finish();
    expect(writes).toEqual([
      '\r\x1b[2K[1/3] 1 passed, 0 failed, 0 skipped  f - t',
      '\r\x1b[2K[3/3] 1 passed, 1 failed, 1 skipped  f - last',
      '\r\x1b[2K',
    ]);
  });

  it('writes a plain line only now and then when stderr is not a terminal', () => {
    const writes: string[] = [];
    let now = 0;
    const progress = new ProgressLine(
      { isTTY: false, write: (text) => writes.push(text) },
      15_000,
      () => now,
    );
    for (let done = 1; done <= 4; done++) {
      now = done * 10_000;
      progress.caseDone(result('passed'), done, 4);
    }
    progress.finish();
    expect(writes).toEqual(['[2/4] 2 passed, 0 failed, 0 skipped\n']);
  });
});
