import { describe, expect, it } from 'vitest';
import { formatStatement, parseStatement, type StatementKind } from '../../parser/index.js';
import { stmt, withoutLocations } from './helpers.js';

/** One example of every statement kind; each must parse to its kind and round-trip. */
const examples: readonly [StatementKind, string][] = [
  ['Query', 'SELECT * FROM t WHERE id = 5;'],
  ['CreateStream', "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', value_format='JSON');"],
  [
    'CreateTable',
    "CREATE SOURCE TABLE t (id INT PRIMARY KEY, v STRING) WITH (kafka_topic='t', format='JSON');",
  ],
  ['CreateStreamAsSelect', 'CREATE OR REPLACE STREAM s2 AS SELECT * FROM s EMIT CHANGES;'],
  ['CreateTableAsSelect', 'CREATE TABLE IF NOT EXISTS c AS SELECT id, COUNT(*) FROM s GROUP BY id;'],
  ['InsertInto', "INSERT INTO s WITH (QUERY_ID='q') SELECT * FROM s3;"],
  ['InsertValues', "INSERT INTO s (id, v) VALUES (1, 'x');"],
  ['DropStream', 'DROP STREAM IF EXISTS s DELETE TOPIC;'],
  ['DropTable', 'DROP TABLE t;'],
  ['DropType', 'DROP TYPE IF EXISTS address;'],
  ['DropConnector', 'DROP CONNECTOR IF EXISTS c;'],
  ['TerminateQuery', 'TERMINATE CSAS_S2_1;'],
  ['PauseQuery', 'PAUSE ALL;'],
  ['ResumeQuery', 'RESUME CTAS_C_3;'],
  ['ListStreams', 'LIST STREAMS EXTENDED;'],
  ['ListTables', 'SHOW TABLES;'],
  ['ListTopics', 'SHOW ALL TOPICS EXTENDED;'],
  ['ListQueries', 'SHOW QUERIES;'],
  ['ListProperties', 'SHOW PROPERTIES;'],
  ['ListFunctions', 'SHOW FUNCTIONS;'],
  ['ListTypes', 'SHOW TYPES;'],
  ['ListVariables', 'SHOW VARIABLES;'],
  ['ListConnectors', 'SHOW SINK CONNECTORS;'],
  ['ListConnectorPlugins', 'SHOW CONNECTOR PLUGINS;'],
  ['DescribeSource', 'DESCRIBE s EXTENDED;'],
  ['DescribeStreams', 'DESCRIBE STREAMS;'],
  ['DescribeTables', 'DESCRIBE TABLES EXTENDED;'],
  ['DescribeFunction', 'DESCRIBE FUNCTION concat;'],
  ['DescribeConnector', 'DESCRIBE CONNECTOR c;'],
  ['Explain', 'EXPLAIN SELECT * FROM s EMIT CHANGES;'],
  ['PrintTopic', "PRINT 'orders' FROM BEGINNING INTERVAL 2 LIMIT 10;"],
  ['SetProperty', "SET 'auto.offset.reset'='earliest';"],
  ['UnsetProperty', "UNSET 'auto.offset.reset';"],
  ['AlterSystemProperty', "ALTER SYSTEM 'ksql.x'='y';"],
  ['DefineVariable', "DEFINE fmt = 'JSON';"],
  ['UndefineVariable', 'UNDEFINE fmt;'],
  ['RunScript', "RUN SCRIPT '/tmp/x.sql';"],
  ['RegisterType', 'CREATE TYPE address AS STRUCT<street STRING, number INT>;'],
  ['AlterSource', 'ALTER STREAM s ADD COLUMN c1 INT, ADD c2 ARRAY<STRING>;'],
  ['AssertTopic', "ASSERT NOT EXISTS TOPIC 'x' WITH (partitions=1) TIMEOUT 3 SECONDS;"],
  ['AssertSchema', "ASSERT SCHEMA SUBJECT 'x-value' ID 5 TIMEOUT 1 MINUTE;"],
  ['CreateConnector', "CREATE SOURCE CONNECTOR IF NOT EXISTS c WITH ('connector.class'='x');"],
];

describe('statements', () => {
  it.each(examples)('%s: %s', (kind, text) => {
    const parsed = parseStatement(text, { clientStatements: true });
    expect(parsed.statement.kind).toBe(kind);
    const formatted = formatStatement(parsed.statement);
    expect(withoutLocations(parseStatement(formatted, { clientStatements: true }).statement)).toEqual(
      withoutLocations(parsed.statement),
    );
  });

  it('builds CREATE STREAM with columns, constraints and properties', () => {
    expect(
      stmt(
        "CREATE OR REPLACE SOURCE STREAM IF NOT EXISTS s (k STRING KEY, h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, h1 BYTES HEADER('abc'), v INT ARRAY) WITH (kafka_topic='s', partitions=2, 'Key.X'=true)",
      ),
    ).toEqual({
      kind: 'CreateStream',
      name: 'S',
      orReplace: true,
      ifNotExists: true,
      isSource: true,
      elements: [
        {
          kind: 'TableElement',
          name: 'K',
          type: { kind: 'PrimitiveType', name: 'STRING' },
          constraint: 'KEY',
        },
        {
          kind: 'TableElement',
          name: 'H',
          type: {
            kind: 'ArrayType',
            element: {
              kind: 'StructType',
              fields: [
                { name: 'KEY', type: { kind: 'PrimitiveType', name: 'STRING' } },
                { name: 'VALUE', type: { kind: 'PrimitiveType', name: 'BYTES' } },
              ],
            },
          },
          constraint: 'HEADERS',
        },
        {
          kind: 'TableElement',
          name: 'H1',
          type: { kind: 'PrimitiveType', name: 'BYTES' },
          constraint: 'HEADER',
          headerKey: 'abc',
        },
        {
          kind: 'TableElement',
          name: 'V',
          type: { kind: 'ArrayType', element: { kind: 'PrimitiveType', name: 'INTEGER' } },
          constraint: 'NONE',
        },
      ],
      properties: [
        { name: 'KAFKA_TOPIC', value: { kind: 'StringLiteral', value: 's' } },
        { name: 'PARTITIONS', value: { kind: 'IntegerLiteral', value: 2 } },
        { name: 'Key.X', value: { kind: 'BooleanLiteral', value: true } },
      ],
    });
  });

  it('builds a windowed, joined query with every clause', () => {
    const query = stmt(
      'SELECT a.id, COUNT(*) AS n FROM a AS x LEFT JOIN b y WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 5 SECONDS ON x.id = y.id ' +
        'WINDOW TUMBLING (SIZE 30 SECONDS, RETENTION 1 DAY, GRACE PERIOD 1 MINUTE) WHERE x.v > 0 GROUP BY (x.id, y.id) ' +
        'PARTITION BY x.id HAVING COUNT(*) > 1 EMIT FINAL LIMIT 10',
    );
    expect(query).toMatchObject({
      kind: 'Query',
      from: {
        kind: 'Join',
        left: { kind: 'AliasedRelation', name: 'A', alias: 'X' },
        joins: [
          {
            type: 'LEFT',
            relation: { name: 'B', alias: 'Y' },
            within: {
              before: { value: 1, unit: 'SECONDS' },
              after: { value: 2, unit: 'MINUTES' },
              grace: { value: 5, unit: 'SECONDS' },
            },
          },
        ],
      },
      window: {
        kind: 'TumblingWindow',
        size: { value: 30, unit: 'SECONDS' },
        retention: { value: 1, unit: 'DAYS' },
        grace: { value: 1, unit: 'MINUTES' },
      },
      groupBy: [
        { kind: 'ColumnRef', source: 'X', name: 'ID' },
        { kind: 'ColumnRef', source: 'Y', name: 'ID' },
      ],
      partitionBy: [{ kind: 'ColumnRef', source: 'X', name: 'ID' }],
      emit: 'FINAL',
      limit: 10,
    });
  });

  it('tells push from pull only by EMIT, as written', () => {
    expect(stmt('SELECT * FROM t;')).not.toHaveProperty('emit');
    expect(stmt('SELECT * FROM t EMIT CHANGES;')).toMatchObject({ emit: 'CHANGES' });
  });

  it('does not read EMIT or PARTITION as an alias', () => {
    expect(stmt('SELECT * FROM t EMIT CHANGES')).toMatchObject({ from: { name: 'T' }, emit: 'CHANGES' });
    expect(stmt('SELECT * FROM t PARTITION BY a')).toMatchObject({ from: { name: 'T' } });
    expect(stmt('SELECT * FROM t emit')).toMatchObject({ from: { name: 'T', alias: 'EMIT' } });
  });

  it('builds select items: *, source.* and struct->*', () => {
    expect(stmt('SELECT *, t.*, s->*, s->a->* FROM t')).toMatchObject({
      select: [
        { kind: 'AllColumns' },
        { kind: 'AllColumns', source: 'T' },
        { kind: 'AllStructFields', base: { kind: 'ColumnRef', name: 'S' } },
        { kind: 'AllStructFields', base: { kind: 'Dereference', field: 'A' } },
      ],
    });
  });

  it('upper-cases query ids and keeps topic names as written', () => {
    expect(stmt('TERMINATE csas_x_1')).toEqual({ kind: 'TerminateQuery', queryId: 'CSAS_X_1' });
    expect(stmt('PRINT my_Topic LIMIT 1')).toMatchObject({ kind: 'PrintTopic', topic: 'my_Topic', limit: 1 });
    expect(stmt('TERMINATE ALL')).toEqual({ kind: 'TerminateQuery' });
    expect(stmt('DESCRIBE `Mixed`')).toEqual({ kind: 'DescribeSource', name: 'Mixed', extended: false });
  });
});

describe('positions of names', () => {
  it('records where an INSERT target is written', () => {
    const { statement } = parseStatement('INSERT INTO unknown SELECT * FROM s;');
    expect(statement.kind === 'InsertInto' && statement.targetLocation).toEqual({
      line: 1,
      column: 13,
      offset: 12,
    });
  });
});
