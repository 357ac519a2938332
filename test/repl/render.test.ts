import { describe, expect, it } from 'vitest';
import type { Entity } from '../../repl/http-client.js';
import { RowPrinter, renderEntities, renderEntity, renderError, schemaText } from '../../repl/render.js';

const status: Entity = {
  '@type': 'currentStatus',
  statementText: 'CREATE STREAM S ...;',
  commandId: 'stream/`S`/create',
  commandStatus: { status: 'SUCCESS', message: 'Stream created' },
  commandSequenceNumber: -1,
  warnings: [],
};

describe('renderEntity', () => {
  it('prints a command status as its message', () => {
    expect(renderEntity(status)).toBe(' Message\n----------------\n Stream created\n----------------\n');
  });

  it('prints SHOW STREAMS with the CLI headers', () => {
    const entity: Entity = {
      '@type': 'streams',
      streams: [
        {
          type: 'STREAM',
          name: 'PAGEVIEWS',
          topic: 'pageviews',
          keyFormat: 'KAFKA',
          valueFormat: 'JSON',
          isWindowed: false,
        },
      ],
      warnings: [],
    };
    expect(renderEntity(entity)).toBe(
      [
        ' Stream Name | Kafka Topic | Key Format | Value Format | Windowed',
        '-'.repeat(66),
        ' PAGEVIEWS   | pageviews   | KAFKA      | JSON         | false',
        '-'.repeat(66),
        '',
      ].join('\n'),
    );
  });

  it('prints SHOW TABLES, empty, as headers between rules', () => {
    expect(renderEntity({ '@type': 'tables', tables: [], warnings: [] })).toBe(
      [
        ' Table Name | Kafka Topic | Key Format | Value Format | Windowed',
        '-'.repeat(65),
        '-'.repeat(65),
        '',
      ].join('\n'),
    );
  });

  it('prints SHOW QUERIES with the EXPLAIN hint', () => {
    const entity: Entity = {
      '@type': 'queries',
      queries: [
        {
          queryString: 'CREATE STREAM B AS SELECT * FROM A;',
          sinks: ['B'],
          sinkKafkaTopics: ['b'],
          id: 'CSAS_B_1',
          statusCount: { RUNNING: 1 },
          queryType: 'PERSISTENT',
          state: 'RUNNING',
        },
      ],
      warnings: [],
    };
    expect(renderEntity(entity)).toBe(
      [
        ' Query ID | Query Type | Status    | Sink Name | Sink Kafka Topic | Query String',
        '-'.repeat(104),
        ' CSAS_B_1 | PERSISTENT | RUNNING:1 | B         | b                | CREATE STREAM B AS SELECT * FROM A;',
        '-'.repeat(104),
        'For detailed information on a Query run: EXPLAIN <Query ID>;',
        '',
      ].join('\n'),
    );
  });

  it('prints SHOW TOPICS with partitions and replicas', () => {
    const entity: Entity = {
      '@type': 'kafka_topics',
      topics: [{ name: 'orders', replicaInfo: [1, 1] }],
      warnings: [],
    };
    expect(renderEntity(entity)).toBe(
      [
        ' Kafka Topic | Partitions | Partition Replicas',
        '-'.repeat(47),
        ' orders      | 2          | 1 1',
        '-'.repeat(47),
        '',
      ].join('\n'),
    );
  });

  it('prints SHOW FUNCTIONS with the DESCRIBE FUNCTION hint', () => {
    const entity: Entity = {
      '@type': 'function_names',
      functions: [
        { name: 'ABS', type: 'SCALAR', category: 'MATHEMATICAL' },
        { name: 'COUNT', type: 'AGGREGATE', category: 'AGGREGATE' },
      ],
      warnings: [],
    };
    expect(renderEntity(entity)).toBe(
      [
        ' Function Name | Category',
        '-'.repeat(30),
        ' ABS           | MATHEMATICAL',
        ' COUNT         | AGGREGATE',
        '-'.repeat(30),
        'For detailed information on a function run: DESCRIBE FUNCTION <Function Name>;',
        '',
      ].join('\n'),
    );
  });

  it('prints SHOW PROPERTIES and SHOW VARIABLES', () => {
    expect(
      renderEntity({
        '@type': 'properties',
        properties: [
          { name: 'auto.offset.reset', scope: 'KSQL', value: 'earliest', editable: true, level: 'SERVER' },
        ],
        warnings: [],
      }),
    ).toBe(
      [
        ' Property          | Scope | Level  | Value',
        '-'.repeat(47),
        ' auto.offset.reset | KSQL  | SERVER | earliest',
        '-'.repeat(47),
        '',
      ].join('\n'),
    );
    expect(
      renderEntity({ '@type': 'variables', variables: [{ name: 'topic', value: 'orders' }], warnings: [] }),
    ).toBe(
      [
        ' Variable Name | Value',
        '------------------------',
        ' topic         | orders',
        '------------------------',
        '',
      ].join('\n'),
    );
  });

  it('prints DESCRIBE as Name, then a Field/Type table', () => {
    const entity: Entity = {
      '@type': 'sourceDescription',
      sourceDescription: {
        name: 'S',
        type: 'STREAM',
        fields: [
          { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null }, type: 'KEY' },
          { name: 'A', schema: { type: 'STRING', fields: null, memberSchema: null } },
          { name: 'TAGS', schema: { type: 'ARRAY', fields: null, memberSchema: { type: 'STRING' } } },
        ],
      },
      warnings: [],
    };
    expect(renderEntity(entity)).toBe(
      [
        '',
        'Name                 : S',
        ' Field | Type',
        '--------------------------------',
        ' ID    | INTEGER  (key)',
        ' A     | VARCHAR(STRING)',
        ' TAGS  | ARRAY<VARCHAR(STRING)>',
        '--------------------------------',
        'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;',
        '',
      ].join('\n'),
    );
  });

  it('writes field schemas as the CLI does', () => {
    expect(schemaText({ type: 'MAP', memberSchema: { type: 'BIGINT' } })).toBe('MAP<STRING, BIGINT>');
    expect(schemaText({ type: 'STRUCT', fields: [{ name: 'X', schema: { type: 'DOUBLE' } }] })).toBe(
      'STRUCT<X DOUBLE>',
    );
    expect(schemaText({ type: 'DECIMAL', parameters: { precision: 10, scale: 2 } })).toBe('DECIMAL(10, 2)');
  });

  it('prints an error as its message', () => {
    const error = {
      '@type': 'statement_error',
      error_code: 40001,
      message: "Could not find STREAM/TABLE 'NOPE' in the Metastore",
    };
    expect(renderEntity(error)).toBe("Could not find STREAM/TABLE 'NOPE' in the Metastore\n");
    expect(renderError(error, 'TABULAR')).toBe("Could not find STREAM/TABLE 'NOPE' in the Metastore\n");
  });
});

describe('output formats', () => {
  it('prints the raw entities as pretty JSON in JSON mode', () => {
    expect(renderEntities([status], 'JSON')).toBe(`${JSON.stringify([status], null, 2)}\n`);
    const error = { '@type': 'generic_error', error_code: 50000, message: 'boom' };
    expect(renderError(error, 'JSON')).toBe(`${JSON.stringify(error, null, 2)}\n`);
  });

  it('prints several entities one after another in tabular mode', () => {
    expect(renderEntities([status, status], 'TABULAR')).toBe(renderEntity(status).repeat(2));
  });
});

describe('RowPrinter', () => {
  it('prints a push query header and rows as bordered lines', () => {
    const printer = new RowPrinter(['ID', 'DESCRIPTION_TEXT']);
    expect(printer.header()).toBe(
      [
        '+----------+----------------+',
        '|ID        |DESCRIPTION_TEXT|',
        '+----------+----------------+',
        '',
      ].join('\n'),
    );
    expect(printer.row([1, null])).toBe('|1         |null            |\n');
    expect(printer.row(['x', { A: [1] }])).toBe('|x         |{"A":[1]}       |\n');
  });
});
