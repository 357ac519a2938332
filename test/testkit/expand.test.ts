import { describe, expect, it } from 'vitest';
import { expandTestFile, missingFormatText, propertyText, type QueryCase } from '../../testkit/expand.js';
import { JsonNumber } from '../../testkit/json-values.js';
import { parseTestFile, TestFileError } from '../../testkit/qtt-loader.js';

const source =
  "CREATE STREAM INPUT (ID STRING KEY, V INT) WITH (kafka_topic='input', value_format='{FORMAT}');";
const sink = 'CREATE STREAM OUTPUT AS SELECT * FROM INPUT;';
const inputs = [{ topic: 'input', key: 'a', value: { V: 1 } }];

function expand(tests: unknown[], path = 'conformance/query-validation-tests/codepoint.json'): QueryCase[] {
  return expandTestFile(parseTestFile(JSON.stringify({ tests }), path)) as QueryCase[];
}

describe('expanding tests into cases', () => {
  it('makes one case per format, substituting {FORMAT} in statements only', () => {
    const cases = expand([
      {
        name: 'chr from code',
        format: ['AVRO', 'JSON'],
        statements: [source, sink],
        inputs: [{ topic: 'input', key: '{FORMAT}', value: { V: 1 } }],
      },
    ]);
    expect(cases.map((c) => c.name)).toEqual([
      'codepoint - chr from code - AVRO',
      'codepoint - chr from code - JSON',
    ]);
    expect(cases.map((c) => c.format)).toEqual(['AVRO', 'JSON']);
    expect(cases[0]?.statements[0]).toContain("value_format='AVRO'");
    expect(cases[1]?.statements[0]).toContain("value_format='JSON'");
    expect(cases[1]?.script).toBe(`${source.replace('{FORMAT}', 'JSON')}\n${sink}`);
    // Records are not rewritten: one expected output must hold for every format.
    expect(cases[0]?.test.inputs[0]?.key).toBe('{FORMAT}');
    expect(cases[0]?.file).toBe('conformance/query-validation-tests/codepoint.json');
  });

  it('makes one case per config value, replacing the {CONFIG} property', () => {
    const cases = expand([
      {
        name: 'invalid value format',
        config: ['true', 'false'],
        properties: { 'ksql.new.query.planner.enabled': '{config}', 'ksql.other': 5 },
        statements: ["CREATE STREAM TEST WITH (kafka_topic='t', value_format='FOO');"],
        expectedException: {
          type: 'io.confluent.ksql.util.KsqlStatementException',
          message: 'Unknown format: FOO',
        },
      },
    ]);
    expect(cases.map((c) => c.name)).toEqual([
      'codepoint - invalid value format - ksql.new.query.planner.enabled=true',
      'codepoint - invalid value format - ksql.new.query.planner.enabled=false',
    ]);
    expect(cases.map((c) => c.properties['ksql.new.query.planner.enabled'])).toEqual(['true', 'false']);
    expect(cases[0]?.properties['ksql.other']).toEqual(new JsonNumber('5'));
    expect(cases[0]?.config).toEqual({ property: 'ksql.new.query.planner.enabled', value: 'true' });
  });

  it('crosses formats with configs, format first in the name', () => {
    const cases = expand([
      {
        name: 't',
        format: ['JSON', 'DELIMITED'],
        config: ['true', 'false'],
        properties: { p: '{CONFIG}' },
        statements: [source, sink],
        inputs,
      },
    ]);
    expect(cases.map((c) => c.name)).toEqual([
      'codepoint - t - JSON - p=true',
      'codepoint - t - JSON - p=false',
      'codepoint - t - DELIMITED - p=true',
      'codepoint - t - DELIMITED - p=false',
    ]);
  });

  it('makes one case, named without a suffix, for a test with neither list', () => {
    const cases = expand([{ name: 'plain', statements: [sink], inputs }]);
    expect(cases.map((c) => c.name)).toEqual(['codepoint - plain']);
    expect(cases[0]?.format).toBeUndefined();
  });

  it('copies a test per format even when its statements have no {FORMAT}', () => {
    const cases = expand([{ name: 'copies', format: ['JSON', 'PROTOBUF'], statements: [sink], inputs }]);
    expect(cases.map((c) => c.statements)).toEqual([[sink], [sink]]);
    expect(cases.map((c) => c.name)).toEqual(['codepoint - copies - JSON', 'codepoint - copies - PROTOBUF']);
  });

  it('fills {FORMAT} with a failing sentence when the test has no format list', () => {
    const [only] = expand([{ name: 'forgot', statements: [source, sink], inputs }]);
    expect(only?.statements[0]).toContain(`value_format='${missingFormatText}'`);
  });

  it('expands disabled tests to no case', () => {
    const cases = expand([
      { name: 'off', enabled: false, format: ['JSON'], statements: [sink], inputs },
      { name: 'on', statements: [sink], inputs },
    ]);
    expect(cases.map((c) => c.name)).toEqual(['codepoint - on']);
  });

  it('tells same-named tests apart by their format, and refuses true duplicates', () => {
    const distinct = expand([
      { name: 'same', format: ['DELIMITED'], statements: [sink], inputs },
      { name: 'same', format: ['KAFKA'], statements: [sink], inputs },
    ]);
    expect(distinct.map((c) => c.name)).toEqual(['codepoint - same - DELIMITED', 'codepoint - same - KAFKA']);
    expect(() =>
      expand([
        { name: 'same', statements: [sink], inputs },
        { name: 'same', statements: [sink], inputs },
      ]),
    ).toThrow(TestFileError);
  });

  it('takes harness-only properties out of the engine properties', () => {
    const [exact, tolerant] = expand([
      { name: 'exact', properties: { 'ksql.a': true }, statements: [sink], inputs },
      { name: 'tolerant', properties: { 'use.exact.numeric.comparison': false }, statements: [sink], inputs },
    ]);
    expect(exact?.harness.exactNumericComparison).toBe(true);
    expect(exact?.properties).toEqual({ 'ksql.a': true });
    expect(tolerant?.harness.exactNumericComparison).toBe(false);
    expect(tolerant?.properties).toEqual({});
    expect(propertyText(true)).toBe('true');
    expect(propertyText(new JsonNumber('1.50'))).toBe('1.50');
  });

  it('expands RQTT tests by format only', () => {
    const cases = expandTestFile(
      parseTestFile(
        JSON.stringify({
          tests: [{ name: 'pull', format: ['JSON', 'AVRO'], statements: [source], responses: [] }],
        }),
        'rest-query-validation-tests/pull-queries.json',
      ),
    );
    expect(cases.map((c) => `${c.suite}: ${c.name}`)).toEqual([
      'rqtt: pull-queries - pull - JSON',
      'rqtt: pull-queries - pull - AVRO',
    ]);
  });
});
