import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';

async function engine() {
  const e = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  await e.execute(
    "CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', partitions=3, value_format='JSON');",
  );
  await e.execute('CREATE STREAM big AS SELECT id, item FROM orders WHERE qty > 1;');
  return e;
}

describe('statement entities (what the REST API returns)', () => {
  it('reports DDL and persistent queries as currentStatus with ksqlDB command ids', async () => {
    const e = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
    const [created] = await e.execute(
      "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
    );
    expect(created?.entity).toMatchObject({
      '@type': 'currentStatus',
      commandId: 'stream/`S`/create',
      commandStatus: { status: 'SUCCESS', message: 'Stream created' },
    });
    const [csas] = await e.execute('CREATE STREAM t AS SELECT * FROM s;');
    expect(csas?.entity).toMatchObject({
      commandStatus: { queryId: 'CSAS_T_0', message: 'Created query with ID CSAS_T_0' },
    });
  });

  it('lists streams, queries and topics', async () => {
    const e = await engine();
    const [streams] = await e.execute('SHOW STREAMS;');
    expect(streams?.entity).toMatchObject({
      '@type': 'streams',
      streams: [
        {
          type: 'STREAM',
          name: 'ORDERS',
          topic: 'orders',
          keyFormat: 'KAFKA',
          valueFormat: 'JSON',
          isWindowed: false,
        },
        {
          type: 'STREAM',
          name: 'BIG',
          topic: 'BIG',
          keyFormat: 'KAFKA',
          valueFormat: 'JSON',
          isWindowed: false,
        },
      ],
    });
    const [queries] = await e.execute('SHOW QUERIES;');
    expect(queries?.entity).toMatchObject({
      '@type': 'queries',
      queries: [
        {
          id: 'CSAS_BIG_0',
          sinks: ['BIG'],
          sinkKafkaTopics: ['BIG'],
          state: 'RUNNING',
          queryType: 'PERSISTENT',
        },
      ],
    });
    const [topics] = await e.execute('SHOW TOPICS;');
    expect(topics?.entity).toMatchObject({
      topics: [
        { name: 'BIG', replicaInfo: [1, 1, 1] },
        { name: 'orders', replicaInfo: [1, 1, 1] },
      ],
    });
  });

  it('describes a source with its fields, formats and queries', async () => {
    const e = await engine();
    const [described] = await e.execute('DESCRIBE orders;');
    expect(described?.entity).toMatchObject({
      '@type': 'sourceDescription',
      sourceDescription: {
        name: 'ORDERS',
        type: 'STREAM',
        topic: 'orders',
        partitions: 3,
        keyFormat: 'KAFKA',
        valueFormat: 'JSON',
        fields: [
          { name: 'ID', type: 'KEY', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
          { name: 'ITEM', schema: { type: 'STRING' } },
          { name: 'QTY', schema: { type: 'INTEGER' } },
        ],
        readQueries: [{ id: 'CSAS_BIG_0' }],
        writeQueries: [],
      },
    });
    await expect(e.execute('DESCRIBE nope;')).rejects.toThrow(
      "Could not find STREAM/TABLE 'NOPE' in the Metastore",
    );
  });

  it('explains a running query as a plan, sink first', async () => {
    const e = await engine();
    const [explained] = await e.execute('EXPLAIN CSAS_BIG_0;');
    const plan = String(explained?.entity.executionPlan);
    expect(plan.split('\n').map((l) => l.trim().split(' | ')[0])).toEqual([
      '> [ SINK ]',
      '> [ PROJECT ]',
      '> [ FILTER ]',
      '> [ SOURCE ]',
    ]);
    expect(plan).toContain('Predicate: (QTY > 1)');
  });

  it('lists functions from the registry the engine uses', async () => {
    const e = await engine();
    const [functions] = await e.execute('SHOW FUNCTIONS;');
    const names = (functions!.entity.functions as { name: string }[]).map((f) => f.name);
    expect(names).toContain('UCASE');
    const [described] = await e.execute('DESCRIBE FUNCTION ucase;');
    expect(described?.entity).toMatchObject({ '@type': 'describe_function', name: 'UCASE', type: 'SCALAR' });
  });
});

describe('ALTER and struct star', () => {
  it('adds value columns to a declared stream, and reads them from new records', async () => {
    const e = await engine();
    await e.execute('ALTER STREAM orders ADD COLUMN note STRING, ADD COLUMN price DOUBLE;');
    expect(e.metastore.source('ORDERS')?.schema.format()).toBe(
      '`ID` INTEGER KEY, `ITEM` STRING, `QTY` INTEGER, `NOTE` STRING, `PRICE` DOUBLE',
    );
    await expect(e.execute('ALTER STREAM big ADD COLUMN x INT;')).rejects.toThrow(
      'ALTER command is not supported for CREATE STREAM AS SELECT streams.',
    );
  });

  it('expands struct->* into one column per field', async () => {
    const e = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
    await e.execute(
      "CREATE STREAM s (id INT KEY, addr STRUCT<street STRING, zip INT>) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
    );
    await e.execute('CREATE STREAM t AS SELECT id, addr->* FROM s;');
    expect(e.metastore.source('T')?.schema.format()).toBe('`ID` INTEGER KEY, `STREET` STRING, `ZIP` INTEGER');
  });
});

describe('topics behind CREATE STREAM/TABLE', () => {
  it('creates a missing topic with PARTITIONS, refuses one without, and checks an existing one', async () => {
    const log = new MemoryLog();
    const e = new Engine({ log, registry: builtinFunctions, deterministic: true });
    await expect(
      e.execute("CREATE STREAM a (v INT) WITH (kafka_topic='a', value_format='JSON');"),
    ).rejects.toThrow(
      "Topic 'a' does not exist. If you want to create a new topic for the stream please re-run the statement providing the required 'PARTITIONS' configuration",
    );
    await e.execute("CREATE STREAM a (v INT) WITH (kafka_topic='a', partitions=3, value_format='JSON');");
    expect((await log.describeTopic('a'))?.partitions).toBe(3);
    await expect(
      e.execute("CREATE STREAM b (v INT) WITH (kafka_topic='a', partitions=2, value_format='JSON');"),
    ).rejects.toThrow('KSQL expects 2 partitions (topic has 3)');
    await e.execute("CREATE STREAM c (v INT) WITH (kafka_topic='a', value_format='JSON');");
    expect(e.metastore.source('C')?.topic).toBe('a');
  });
});
