import { describe, expect, it } from 'vitest';
import { checkExpectedException, type EngineError, kindsForJavaType } from '../../testkit/exception-check.js';
import { canonicalSchema } from '../../testkit/logical-schema.js';
import {
  checkPostConditions,
  type PostConditionView,
  type SourceView,
  type TopicView,
} from '../../testkit/post-conditions.js';
import { parseTestFile } from '../../testkit/qtt-loader.js';
import type { PostConditions, QueryTest } from '../../testkit/qtt-model.js';

const statementException = 'io.confluent.ksql.util.KsqlStatementException';
const parseException = 'io.confluent.ksql.parser.exception.ParseFailedException';
const ksqlException = 'io.confluent.ksql.util.KsqlException';
const streamsException = 'org.apache.kafka.streams.errors.StreamsException';

describe('checking an expected exception', () => {
  const statementError: EngineError = {
    kind: 'statement',
    message: 'Unknown format: FOO',
    statementIndex: 0,
    statementCount: 1,
  };

  it('accepts an error of a kind the Java type covers, with the message as a substring', () => {
    expect(
      checkExpectedException({ type: statementException, message: 'Unknown format' }, statementError),
    ).toBe(undefined);
    expect(checkExpectedException({ type: ksqlException }, statementError)).toBe(undefined);
    expect(checkExpectedException({ message: 'format: FOO' }, statementError)).toBe(undefined);
  });

  it('follows the class hierarchy: a parse error is a statement error, not the reverse', () => {
    const parseError: EngineError = { kind: 'parse', message: "line 1:8: mismatched input 'FROM'" };
    expect(checkExpectedException({ type: statementException }, parseError)).toBe(undefined);
    expect(checkExpectedException({ type: parseException }, parseError)).toBe(undefined);
    expect(checkExpectedException({ type: parseException }, statementError)).toBe(
      'expected ParseFailedException, got statement error: Unknown format: FOO: ' +
        'a statement error is not a ParseFailedException (parse)',
    );
    expect(kindsForJavaType(streamsException)).toEqual(['processing']);
    expect(kindsForJavaType('com.example.Unheard')).toBeUndefined();
  });

  it('fails when the message is not contained, unless the unlogged message contains it', () => {
    expect(checkExpectedException({ message: 'Unknown format: BAR' }, statementError)).toContain(
      'the message does not contain "Unknown format: BAR"',
    );
    const redacted = {
      ...statementError,
      message: 'Invalid statement',
      unloggedMessage: "Invalid statement: 'secret'",
    };
    expect(checkExpectedException({ message: "'secret'" }, redacted)).toBe(undefined);
  });

  it('fails when no error was raised', () => {
    expect(checkExpectedException({ type: statementException, message: 'x' }, undefined)).toBe(
      'expected KsqlStatementException containing "x", but no error was raised',
    );
  });

  it('fails when a statement other than the last one failed', () => {
    const early = { ...statementError, statementIndex: 0, statementCount: 2 };
    expect(checkExpectedException({ type: statementException }, early)).toContain(
      'from the last statement, but statement 1 of 2 failed',
    );
  });

  it('checks the direct cause of a processing failure', () => {
    const overflow: EngineError = {
      kind: 'processing',
      message: 'Exception caught in process',
      cause: { kind: 'function', message: 'Numeric field overflow: 99.99' },
    };
    const expected = {
      type: streamsException,
      message: 'Exception caught in process',
      cause: 'io.confluent.ksql.function.KsqlFunctionException',
      causeMessage: 'Numeric field overflow',
    };
    expect(checkExpectedException(expected, overflow)).toBe(undefined);
    expect(
      checkExpectedException(expected, { ...overflow, cause: { kind: 'serde', message: 'x' } }),
    ).toContain('cause: a serde error is not a KsqlFunctionException');
    expect(checkExpectedException(expected, { ...overflow, cause: undefined })).toContain(
      'the error has none',
    );
  });
});

describe('canonical logical schemas', () => {
  it('treats spelling variants of one schema as equal', () => {
    expect(
      canonicalSchema('ID INT KEY, name VARCHAR, S STRUCT<a INT, `b` ARRAY<VARCHAR>>, D DECIMAL(4, 2)'),
    ).toBe(
      canonicalSchema(
        '`ID` INTEGER KEY, `NAME` STRING, `S` STRUCT<`A` INTEGER, `b` ARRAY<STRING>>, `D` DECIMAL(4,2)',
      ),
    );
    expect(canonicalSchema("K STRING KEY, M MAP<STRING, INT>, H BYTES HEADER('h')")).toBe(
      "K STRING KEY, M MAP<STRING, INTEGER>, H BYTES HEADER('h')",
    );
  });

  it('keeps order, quoted case and key markers significant', () => {
    expect(canonicalSchema('A INT, B INT')).not.toBe(canonicalSchema('B INT, A INT'));
    expect(canonicalSchema('`a` INT')).not.toBe(canonicalSchema('a INT'));
    expect(canonicalSchema('A INT KEY, B INT')).not.toBe(canonicalSchema('A INT, B INT'));
    expect(canonicalSchema('A BYTES HEADERS')).not.toBe(canonicalSchema('A BYTES'));
  });
});

describe('checking post-conditions', () => {
  const sink: SourceView = {
    name: 'S2',
    type: 'table',
    schema: '`ID` INTEGER KEY, `COUNT` BIGINT',
    keyFormat: { format: 'KAFKA', windowType: 'TUMBLING', windowSize: 30000 },
    valueFormat: 'JSON',
    keyFeatures: [],
    valueFeatures: ['WRAP_SINGLES'],
    isSource: false,
  };
  const repartition: TopicView = {
    name: '_confluent-ksql-q_CTAS_S2_0-Aggregate-GroupBy-repartition',
    partitions: 4,
    keyFormat: { format: 'KAFKA', properties: {}, features: [] },
    valueFormat: { format: 'JSON', properties: {}, features: [] },
  };
  const view: PostConditionView = {
    describeSources: async () => [sink],
    topics: async () => [repartition],
  };
  const post = (value: unknown): PostConditions => {
    const text = JSON.stringify({ tests: [{ name: 't', statements: ['s;'], inputs: [], post: value }] });
    return (parseTestFile(text, 't.json').tests[0] as QueryTest).post as PostConditions;
  };

  it('passes when each expected source matches a catalog source', async () => {
    const conditions = post({
      sources: [
        {
          name: 'S2',
          type: 'table',
          schema: 'ID INT KEY, COUNT BIGINT',
          keyFormat: { format: 'KAFKA', windowType: 'TUMBLING', windowSize: 30000 },
          valueFormat: 'JSON',
          valueFeatures: ['WRAP_SINGLES'],
          isSource: false,
        },
      ],
    });
    expect(await checkPostConditions(conditions, view)).toEqual([]);
  });

  it('names each difference of a source', async () => {
    const conditions = post({
      sources: [
        { name: 'S2', type: 'stream', schema: 'ID INT KEY, COUNT INT', keyFormat: { format: 'KAFKA' } },
        { name: 'MISSING', type: 'stream' },
      ],
    });
    expect(await checkPostConditions(conditions, view)).toEqual([
      'source S2: type: expected stream, actual table; ' +
        'schema: expected "ID INT KEY, COUNT INT", actual "`ID` INTEGER KEY, `COUNT` BIGINT"; ' +
        'key window: expected not windowed, actual TUMBLING 30000 ms',
      'source MISSING: not in the catalog (sources: S2)',
    ]);
  });

  it('checks the repartition blacklist and expected topics as physical conditions', async () => {
    const conditions = post({
      topics: {
        blacklist: '.*-repartition',
        topics: [
          {
            name: repartition.name,
            keyFormat: { format: 'KAFKA' },
            valueFormat: { format: 'JSON', features: ['UNWRAP_SINGLES'] },
          },
          { name: 'absent', keyFormat: { format: 'KAFKA' }, valueFormat: { format: 'JSON' } },
        ],
      },
    });
    const problems = await checkPostConditions(conditions, view);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      `physical: topics matching /.*-repartition/ must not exist: ${repartition.name}`,
    );
    expect(problems[1]).toContain(`physical: topic ${repartition.name}: value format expected`);
    expect(problems[2]).toBe('physical: topic absent: does not exist');
  });
});
