import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { LogRecord } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { partitionForKey } from '../../../engine/log/partitioner.js';

async function setup(ddl: string) {
  const log = new MemoryLog({ clock: () => 0 });
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest', 'ksql.service.id': 'svc_' },
  });
  await engine.execute(ddl);
  const insert = async (sql: string) => {
    await engine.execute(sql);
    await engine.runUntilIdle();
  };
  const read = async (topic: string) => {
    const reader = log.openReader({
      groupId: `check-${Math.random()}`,
      topics: [topic],
      autoOffsetReset: 'earliest',
    });
    const out: LogRecord[] = [];
    for (;;) {
      const batch = await reader.poll({ timeoutMs: 0 });
      if (batch.length === 0) break;
      out.push(...batch);
    }
    await reader.close();
    return out;
  };
  return { engine, log, insert, read };
}

const DDL = `
  CREATE STREAM orders (id STRING KEY, customer STRING, amount INT) WITH (kafka_topic='orders', partitions=3, value_format='JSON');
  CREATE TABLE customers (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='customers', partitions=3, value_format='JSON');
`;

describe('repartition topics of joins', () => {
  it('a stream joined on a value column is re-keyed through Join-repartition, in the table key partition', async () => {
    const { engine, log, insert, read } = await setup(DDL);
    await engine.execute(
      'CREATE STREAM enriched AS SELECT o.customer, o.id, o.amount, c.name FROM orders o JOIN customers c ON o.customer = c.id;',
    );
    const topic = '_confluent-ksql-svc_query_CSAS_ENRICHED_0-Join-repartition';
    expect((await log.describeTopic(topic))?.partitions).toBe(3);
    await insert("INSERT INTO customers (id, name) VALUES ('c1', 'Ann');");
    await insert("INSERT INTO customers (id, name) VALUES ('c2', 'Bob');");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o1', 'c1', 10);");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o2', 'c2', 20);");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o3', CAST(null AS STRING), 30);");

    const rekeyed = await read(topic);
    // One record per order, across the partitions; the null join key goes without a key.
    expect(rekeyed.map((r) => r.key?.toString() ?? '-').sort()).toEqual(['-', 'c1', 'c2']);
    for (const r of rekeyed.filter((x) => x.key !== null))
      expect(r.partition).toBe(partitionForKey(r.key!, 3));
    const first = rekeyed.find((r) => r.key?.toString() === 'c1')!;
    expect(JSON.parse(first.value!.toString())).toMatchObject({ ID: 'o1', CUSTOMER: 'c1', AMOUNT: 10 });

    const out = await read('ENRICHED');
    const rows = out.map((r) => [r.key!.toString(), JSON.parse(r.value!.toString())]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['c1', { O_ID: 'o1', AMOUNT: 10, NAME: 'Ann' }],
      ['c2', { O_ID: 'o2', AMOUNT: 20, NAME: 'Bob' }],
    ]);

    await engine.execute('TERMINATE CSAS_ENRICHED_0;');
    expect(await log.describeTopic(topic)).toBeUndefined();
    await engine.close();
  });

  it('joins on keys write no repartition topic; both sides on values write one each', async () => {
    const { engine, log } = await setup(`${DDL}
      CREATE STREAM payments (id STRING KEY, orderid STRING, paid INT) WITH (kafka_topic='payments', partitions=3, value_format='JSON');`);
    await engine.execute(
      'CREATE STREAM byid AS SELECT o.id, p.paid FROM orders o JOIN payments p WITHIN 1 HOUR ON o.id = p.id;',
    );
    await engine.execute(
      'CREATE STREAM byvalue AS SELECT o.customer, p.paid FROM orders o JOIN payments p WITHIN 1 HOUR ON o.customer = p.orderid;',
    );
    const internal = (await log.listTopics()).filter((t) => t.endsWith('-repartition')).sort();
    expect(internal).toEqual([
      '_confluent-ksql-svc_query_CSAS_BYVALUE_1-Join-left-repartition',
      '_confluent-ksql-svc_query_CSAS_BYVALUE_1-Join-right-repartition',
    ]);
    await engine.close();
  });

  it('PARTITION BY over a join keys the rows by the selected expression', async () => {
    const { engine, insert, read } = await setup(DDL);
    await engine.execute(
      'CREATE STREAM bycustomer AS SELECT o.id AS oid, c.name, o.amount FROM orders o JOIN customers c ON o.customer = c.id PARTITION BY c.name;',
    );
    await insert("INSERT INTO customers (id, name) VALUES ('c1', 'Ann');");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o1', 'c1', 10);");
    const out = await read('BYCUSTOMER');
    expect(out.map((r) => [r.key!.toString(), JSON.parse(r.value!.toString())])).toEqual([
      ['Ann', { OID: 'o1', AMOUNT: 10 }],
    ]);
    await expect(
      engine.execute(
        'CREATE STREAM missing AS SELECT o.id AS oid, o.amount FROM orders o JOIN customers c ON o.customer = c.id PARTITION BY c.name;',
      ),
    ).rejects.toThrow(
      'The query used to build `MISSING` must include the partitioning expression C.NAME in its projection (eg, SELECT C.NAME...).',
    );
    await engine.close();
  });

  it('GROUP BY over a join aggregates the joined rows through Aggregate-GroupBy-repartition', async () => {
    const { engine, log, insert, read } = await setup(DDL);
    await engine.execute(
      'CREATE TABLE totals AS SELECT c.name, COUNT(*) AS n, SUM(o.amount) AS total FROM orders o JOIN customers c ON o.customer = c.id GROUP BY c.name;',
    );
    const topic = '_confluent-ksql-svc_query_CTAS_TOTALS_0-Aggregate-GroupBy-repartition';
    expect(await log.describeTopic(topic)).toBeDefined();
    await insert("INSERT INTO customers (id, name) VALUES ('c1', 'Ann');");
    await insert("INSERT INTO customers (id, name) VALUES ('c2', 'Bob');");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o1', 'c1', 10);");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o2', 'c2', 20);");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o3', 'c1', 30);");
    const out = await read('TOTALS');
    const last = new Map(out.map((r) => [r.key!.toString(), JSON.parse(r.value!.toString())]));
    expect(Object.fromEntries(last)).toEqual({ Ann: { N: 2, TOTAL: 40 }, Bob: { N: 1, TOTAL: 20 } });
    // The joined rows, keyed by the group (JSON), with the join's column names.
    const joined = await read(topic);
    expect(joined).toHaveLength(3);
    expect(JSON.parse(joined[0]!.value!.toString())).toMatchObject({
      C_NAME: expect.any(String),
      O_AMOUNT: expect.any(Number),
    });

    await engine.execute('TERMINATE CTAS_TOTALS_0;');
    expect(await log.describeTopic(topic)).toBeUndefined();
    await engine.close();
  });
});
