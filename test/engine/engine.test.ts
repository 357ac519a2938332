import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';

async function engineWithInput() {
  const log = new MemoryLog({ clock: () => 1_000 });
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest' },
  });
  await engine.execute(
    "CREATE STREAM orders (id INT KEY, item STRING, qty INT, price DOUBLE) WITH (kafka_topic='orders', partitions=2, value_format='JSON');",
  );
  return { log, engine };
}

async function readAll(log: MemoryLog, topic: string) {
  const reader = log.openReader({
    groupId: `check-${Math.random()}`,
    topics: [topic],
    autoOffsetReset: 'earliest',
  });
  const records = [];
  for (;;) {
    const batch = await reader.poll({ timeoutMs: 0 });
    if (batch.length === 0) break;
    records.push(...batch);
  }
  await reader.close();
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

describe('Engine: stateless persistent queries on MemoryLog', () => {
  it('filters and projects a stream into a new topic', async () => {
    const { log, engine } = await engineWithInput();
    const [result] = await engine.execute(
      'CREATE STREAM big AS SELECT id, UCASE(item) AS item, qty * price AS total FROM orders WHERE qty > 1;',
    );
    expect(result?.queryId).toBe('CSAS_BIG_0');
    await engine.execute("INSERT INTO orders (id, item, qty, price) VALUES (1, 'apple', 3, 0.5);");
    await engine.execute("INSERT INTO orders (id, item, qty, price) VALUES (2, 'pear', 1, 2.0);");
    await engine.execute("INSERT INTO orders (id, item, qty, price) VALUES (3, 'fig', 2, 1.25);");
    await engine.runUntilIdle();

    const out = await readAll(log, 'BIG');
    const values = out.map((r) => JSON.parse(r.value!.toString()));
    expect(values.sort((a, b) => a.TOTAL - b.TOTAL)).toEqual(
      [
        { ITEM: 'FIG', TOTAL: 2.5 },
        { ITEM: 'APPLE', TOTAL: 1.5 },
      ].sort((a, b) => a.TOTAL - b.TOTAL),
    );
    // KAFKA key format: a 4-byte big-endian INT key.
    expect(out.map((r) => r.key!.readInt32BE(0)).sort()).toEqual([1, 3]);
    expect(engine.metastore.source('BIG')?.schema.format()).toBe(
      '`ID` INTEGER KEY, `ITEM` STRING, `TOTAL` DOUBLE',
    );
  });

  it('sends a malformed record to the processing log and keeps going', async () => {
    const { log, engine } = await engineWithInput();
    await engine.execute('CREATE STREAM copy AS SELECT * FROM orders;');
    const key = Buffer.alloc(4);
    key.writeInt32BE(7);
    await log.append('orders', [
      { key, value: Buffer.from('{not json'), partition: 0 },
      { key, value: Buffer.from('{"ITEM":"kiwi","QTY":1,"PRICE":1.5}'), partition: 0 },
    ]);
    await engine.runUntilIdle();
    const out = await readAll(log, 'COPY');
    expect(out.map((r) => JSON.parse(r.value!.toString()))).toEqual([{ ITEM: 'kiwi', QTY: 1, PRICE: 1.5 }]);
    expect(engine.processingLog.count()).toBe(1);
    expect(engine.processingLog.entries()[0]).toMatchObject({
      queryId: 'CSAS_COPY_0',
      kind: 'deserialization',
      topic: 'orders',
    });
  });

  it('rejects statements with ksqlDB messages and their statement text', async () => {
    const { engine } = await engineWithInput();
    await expect(engine.execute('CREATE STREAM x AS SELECT nope FROM orders;')).rejects.toThrow(
      "SELECT column 'NOPE' cannot be resolved.",
    );
    await expect(engine.execute('CREATE STREAM y AS SELECT id FROM orders;')).rejects.toThrow(
      'The projection contains no value columns.',
    );
    await expect(
      engine.execute("CREATE STREAM z (a INT) WITH (kafka_topic='nope', value_format='JSON');"),
    ).rejects.toThrow("Topic 'nope' does not exist.");
  });

  it('re-keys a stream with PARTITION BY', async () => {
    const { log, engine } = await engineWithInput();
    await engine.execute('CREATE STREAM by_item AS SELECT item, id, qty FROM orders PARTITION BY item;');
    await engine.execute("INSERT INTO orders (id, item, qty, price) VALUES (5, 'plum', 4, 1.0);");
    await engine.runUntilIdle();
    const [record] = await readAll(log, 'BY_ITEM');
    expect(record?.key?.toString()).toBe('plum');
    expect(JSON.parse(record!.value!.toString())).toEqual({ ID: 5, QTY: 4 });
  });
});

describe('the processing log as a stream', () => {
  it('writes bad records to its topic, readable through KSQL_PROCESSING_LOG', async () => {
    const log = new MemoryLog();
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      processingLogTopic: 'default_ksql_processing_log',
    });
    await engine.start();
    await engine.execute(
      "CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
    );
    await engine.execute('CREATE STREAM t AS SELECT * FROM s;');
    await log.append('s', [{ key: null, value: Buffer.from('{oops') }]);
    await engine.runUntilIdle();
    const query = await engine.query(
      'SELECT LOGGER, MESSAGE->`TYPE` AS T, MESSAGE->DESERIALIZATIONERROR->`TOPIC` AS SOURCE_TOPIC FROM KSQL_PROCESSING_LOG EMIT CHANGES LIMIT 1;',
      { 'auto.offset.reset': 'earliest' },
    );
    const rows = [];
    for await (const row of query) rows.push(row.values);
    expect(rows).toEqual([['processing.CSAS_T_0', 0, 's']]);
    await engine.close();
  });
});

describe('CREATE TABLE AS SELECT over a table', () => {
  it('projects and filters a changelog: removed rows and tombstones delete the key downstream', async () => {
    const log = new MemoryLog();
    const engine = new Engine({ log, registry: builtinFunctions, deterministic: true });
    await engine.execute(
      "CREATE TABLE users (id STRING PRIMARY KEY, name STRING, age INT) WITH (kafka_topic='users', partitions=1, value_format='JSON');",
    );
    const [result] = await engine.execute(
      'CREATE TABLE adults AS SELECT id, UCASE(name) AS name FROM users WHERE age >= 18;',
    );
    expect(result?.queryId).toBe('CTAS_ADULTS_0');
    await log.append('users', [
      { key: Buffer.from('a'), value: Buffer.from('{"NAME":"ann","AGE":30}') },
      { key: Buffer.from('b'), value: Buffer.from('{"NAME":"bob","AGE":12}') },
      { key: Buffer.from('a'), value: null },
    ]);
    await engine.runUntilIdle();
    const out = (await readAll(log, 'ADULTS')).map((r) => [r.key?.toString(), r.value?.toString() ?? null]);
    expect(out).toEqual([
      ['a', '{"NAME":"ANN"}'],
      ['b', null],
      ['a', null],
    ]);
    expect((await log.describeTopic('ADULTS'))?.cleanupPolicy).toBe('compact');
    await expect(engine.execute('CREATE STREAM s2 AS SELECT * FROM users;')).rejects.toThrow(
      'Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.',
    );
  });
});

describe('a running persistent query', () => {
  it('survives a failed cycle: it retries from the committed offsets and loses nothing', async () => {
    const log = new MemoryLog();
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      config: { 'auto.offset.reset': 'earliest' },
    });
    await engine.execute(
      "CREATE STREAM src (id INT KEY, v STRING) WITH (kafka_topic='src', partitions=1, value_format='JSON');",
    );
    await engine.execute('CREATE STREAM dst AS SELECT * FROM src;');
    const query = engine.persistentQueries()[0]!;
    await log.deleteTopic('DST'); // the next produce fails: the cycle must not commit
    await engine.execute("INSERT INTO src (id, v) VALUES (1, 'kept');");
    await until(() => query.state === 'ERROR');
    expect(query.lastError?.message).toMatch(/DST/);
    await log.ensureTopic('DST', { partitions: 1 });
    await until(async () => (await readAll(log, 'DST')).length > 0);
    expect((await readAll(log, 'DST')).map((r) => JSON.parse(r.value!.toString()))).toEqual([{ V: 'kept' }]);
    expect(query.state).toBe('RUNNING');
    await engine.close();
  }, 30_000);
});

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GROUP BY over a stream', () => {
  it('emits every update of each group, with HAVING removing groups from the table', async () => {
    const log = new MemoryLog();
    const engine = new Engine({ log, registry: builtinFunctions, deterministic: true });
    await engine.execute(
      "CREATE STREAM clicks (id INT KEY, page STRING, ms INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');",
    );
    const [result] = await engine.execute(
      'CREATE TABLE per_page AS SELECT page, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY page HAVING SUM(ms) < 100;',
    );
    expect(result?.queryId).toBe('CTAS_PER_PAGE_0');
    expect(engine.metastore.source('PER_PAGE')?.schema.format()).toBe(
      '`PAGE` STRING KEY, `N` BIGINT, `TOTAL` INTEGER',
    );
    for (const [page, ms] of [
      ['/a', 10],
      ['/b', 20],
      ['/a', 30],
      ['/a', 70],
    ] as const) {
      await engine.execute(`INSERT INTO clicks (id, page, ms) VALUES (1, '${page}', ${ms});`);
    }
    await engine.runUntilIdle();
    const out = (await readAll(log, 'PER_PAGE')).map((r) => [r.key?.toString(), r.value?.toString() ?? null]);
    expect(out).toEqual([
      ['/a', '{"N":1,"TOTAL":10}'],
      ['/b', '{"N":1,"TOTAL":20}'],
      ['/a', '{"N":2,"TOTAL":40}'],
      ['/a', null],
    ]);
    await expect(
      engine.execute('CREATE TABLE bad AS SELECT page, ms, COUNT(*) FROM clicks GROUP BY page;'),
    ).rejects.toThrow('Non-aggregate SELECT expression(s) not part of GROUP BY: MS');
  });
});
