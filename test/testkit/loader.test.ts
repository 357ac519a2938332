import { describe, expect, it } from 'vitest';
import { JsonNumber } from '../../testkit/json-values.js';
import { parseTestFile, TestFileError } from '../../testkit/qtt-loader.js';
import type { QueryTest, RestTest } from '../../testkit/qtt-model.js';

const stream = "CREATE STREAM INPUT (ID INT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');";
const csas = 'CREATE STREAM OUTPUT AS SELECT * FROM INPUT;';

function fileWith(test: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ tests: [test], ...extra });
}

function loadError(text: string, path = 'suite/broken.json'): TestFileError {
  try {
    parseTestFile(text, path);
  } catch (err) {
    if (err instanceof TestFileError) return err;
    throw err;
  }
  throw new Error('expected the file to be rejected');
}

const valid = {
  name: 'ok',
  statements: [stream, csas],
  inputs: [{ topic: 'input', key: 1, value: { V: 1 } }],
};

describe('loading a test file', () => {
  it('reads a valid QTT test with its records, topics, post conditions and exception', () => {
    const file = parseTestFile(
      JSON.stringify({
        comments: ['free text is ignored'],
        tests: [
          {
            ...valid,
            outputs: [
              {
                topic: 'OUTPUT',
                key: 1,
                value: { V: 1.5 },
                timestamp: 10,
                window: { start: 0, end: 1000, type: 'TIME' },
                headers: [{ KEY: 'h', VALUE: 'IQ==' }],
                comment: 'ignored',
              },
            ],
            topics: [
              { name: 'input', valueFormat: 'AVRO', valueSchema: { type: 'record' }, valueSchemaId: 7 },
            ],
            post: {
              sources: [{ name: 'OUTPUT', type: 'STREAM', keyFormat: { format: 'KAFKA' } }],
              topics: { blacklist: '.*-repartition' },
            },
          },
          {
            name: 'negative',
            statements: [stream],
            expectedException: { type: 'x.KsqlException', message: 'bad' },
          },
        ],
      }),
      'query-validation-tests/sample.json',
    );
    expect(file.suite).toBe('qtt');
    expect(file.fileName).toBe('sample');
    const [test, negative] = file.tests as [QueryTest, QueryTest];
    expect(test.inputs[0]).toEqual({
      topic: 'input',
      key: new JsonNumber('1'),
      value: { V: new JsonNumber('1') },
      timestamp: undefined,
      window: undefined,
      headers: undefined,
    });
    expect(test.outputs[0]?.window).toEqual({ start: 0, end: 1000, type: 'time' });
    expect(test.outputs[0]?.headers).toEqual([{ key: 'h', value: 'IQ==' }]);
    expect(test.topics[0]).toMatchObject({
      name: 'input',
      valueFormat: 'AVRO',
      valueSchemaId: 7,
      partitions: 1,
    });
    expect(test.post?.sources[0]).toMatchObject({
      name: 'OUTPUT',
      type: 'stream',
      keyFormat: { format: 'KAFKA' },
    });
    expect(test.post?.topics?.blacklist).toBe('.*-repartition');
    expect(test.enabled).toBe(true);
    expect(negative.expectedException).toEqual({ type: 'x.KsqlException', message: 'bad' });
  });

  it('keeps every number exactly as written: scale, long digits, exponents', () => {
    const file = parseTestFile(
      '{"tests":[{"name":"n","statements":["s;"],"inputs":[{"topic":"t","value":' +
        '[1.50, 10.1234512345123451234, 9223372036854775807, 1.2E9, -0.0]}]}]}',
      'n.json',
    );
    const value = (file.tests[0] as QueryTest).inputs[0]?.value as JsonNumber[];
    expect(value.map((n) => n.text)).toEqual([
      '1.50',
      '10.1234512345123451234',
      '9223372036854775807',
      '1.2E9',
      '-0.0',
    ]);
    expect(value[0]?.toDecimal().scale).toBe(2);
    expect(value[2]?.toBigInt()).toBe(9223372036854775807n);
    expect(value[3]?.isInteger).toBe(false);
  });

  it('accepts comments, as upstream files may carry them, and keeps the last of repeated keys', () => {
    const text = `{
      // a line comment
      "tests": [ /* a block comment */ {"name": "first", "name": "second", "statements": ["s; // not a comment"],
      "inputs": []}]
    }`;
    const test = parseTestFile(text, 'c.json').tests[0];
    expect(test?.name).toBe('second');
    expect(test?.statements).toEqual(['s; // not a comment']);
  });

  it('tells the suite apart by folder, then by RQTT-only fields', () => {
    const plain = fileWith(valid);
    expect(parseTestFile(plain, 'x/rest-query-validation-tests/a.json').suite).toBe('rqtt');
    expect(parseTestFile(plain, 'x/query-validation-tests/a.json').suite).toBe('qtt');
    const rest = parseTestFile(
      fileWith({ name: 'r', statements: [stream], responses: [{ admin: { '@type': 'currentStatus' } }] }),
      'a.json',
    );
    expect(rest.suite).toBe('rqtt');
    expect((rest.tests[0] as RestTest).responses).toEqual([
      { kind: 'admin', admin: { '@type': 'currentStatus' } },
    ]);
  });

  it('names the line and column of a JSON syntax error', () => {
    const err = loadError('{\n  "tests": [\n    {"name": "x",,}\n  ]\n}');
    expect(err.file).toBe('suite/broken.json');
    expect(err.message).toMatch(/^suite\/broken\.json: invalid JSON: .*\(line 3, column \d+\)$/);
  });

  it.each([
    ['no tests array', '{"comments": []}', undefined, 'tests'],
    ['an empty tests array', '{"tests": []}', undefined, 'tests'],
    ['a test without a name', fileWith({ statements: [stream], inputs: [] }), '#1', 'name'],
    ['empty statements', fileWith({ ...valid, statements: [] }), '#1 "ok"', 'statements'],
    ['a statement that is not a string', fileWith({ ...valid, statements: [1] }), '#1 "ok"', 'statements[0]'],
    ['a record without topic', fileWith({ ...valid, inputs: [{ value: 1 }] }), '#1 "ok"', 'inputs[0].topic'],
    [
      'a record without value',
      fileWith({ ...valid, outputs: [{ topic: 't' }] }),
      '#1 "ok"',
      'outputs[0].value',
    ],
    [
      'a fractional timestamp',
      fileWith({ ...valid, inputs: [{ topic: 't', value: 1, timestamp: 1.5 }] }),
      '#1 "ok"',
      'inputs[0].timestamp',
    ],
    [
      'an unknown window type',
      fileWith({ ...valid, outputs: [{ topic: 't', value: 1, window: { start: 0, end: 1, type: 'hop' } }] }),
      '#1 "ok"',
      'outputs[0].window.type',
    ],
    [
      'a header without KEY',
      fileWith({ ...valid, outputs: [{ topic: 't', value: 1, headers: [{ VALUE: 'IQ==' }] }] }),
      '#1 "ok"',
      'outputs[0].headers[0]',
    ],
    ['a test with nothing to check', fileWith({ name: 'ok', statements: [stream] }), '#1 "ok"', 'inputs'],
    [
      'an expected exception without type or message',
      fileWith({ name: 'ok', statements: [stream], expectedException: {} }),
      '#1 "ok"',
      'expectedException',
    ],
    [
      'causeMessage without cause',
      fileWith({ name: 'ok', statements: [stream], expectedException: { type: 'T', causeMessage: 'm' } }),
      '#1 "ok"',
      'expectedException.causeMessage',
    ],
    [
      'config without a {CONFIG} property',
      fileWith({ ...valid, config: ['true', 'false'] }),
      '#1 "ok"',
      'config',
    ],
    ['a format list of numbers', fileWith({ ...valid, format: [1] }), '#1 "ok"', 'format[0]'],
    [
      'a post source with a bad type',
      fileWith({ ...valid, post: { sources: [{ name: 'S', type: 'view' }] } }),
      '#1 "ok"',
      'post.sources[0].type',
    ],
    [
      'a bad blacklist pattern',
      fileWith({ ...valid, post: { topics: { blacklist: '(' } } }),
      '#1 "ok"',
      'post.topics.blacklist',
    ],
    [
      'a property holding an object',
      fileWith({ ...valid, properties: { a: { b: 1 } } }),
      '#1 "ok"',
      'properties.a',
    ],
  ])('rejects %s, naming the file, test and field', (_, text, test, field) => {
    const err = loadError(text);
    expect(err.file).toBe('suite/broken.json');
    expect(err.test).toBe(test);
    expect(err.field).toBe(field);
    expect(err.message).toContain(`field "${field}"`);
  });

  it('rejects RQTT tests that upstream rejects', () => {
    const path = 'rest-query-validation-tests/r.json';
    const withError = fileWith({
      name: 'r',
      statements: [stream],
      inputs: [{ topic: 'input', value: {} }],
      expectedError: { message: 'x' },
    });
    expect(loadError(withError, path).field).toBe('expectedError');
    const queryFirst = fileWith({ name: 'r', statements: ['SELECT * FROM X;', stream], responses: [] });
    expect(loadError(queryFirst, path).field).toBe('statements');
  });
});
