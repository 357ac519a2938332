import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { Log, LogRecord } from '../../engine/log/log.js';
import { partitionForKey } from '../../engine/log/partitioner.js';
import { describeKafka, uniqueName, waitCommitted } from '../support/kafka.js';

/**
 * A stream of orders (two partitions, keyed by order id) joined with a table of customers on
 * the order's CUSTOMER column: the query writes the orders re-keyed by customer to its
 * repartition topic, in the partition the customer's table rows are in, and joins what it
 * reads back from there.
 */
describeKafka(
  'a join on a non-key column through a repartition topic on a real broker',
  (bootstrapServers) => {
    const run = uniqueName('repart').replaceAll('-', '_');
    const serviceId = `${run}_`;
    const engineLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-engine-repart' });
    const clientLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-test-repart' });
    const engine = new Engine({
      log: engineLog,
      registry: builtinFunctions,
      config: { 'auto.offset.reset': 'earliest', 'ksql.service.id': serviceId },
    });
    const topic = (name: string) => `${run}_${name}`;

    afterAll(async () => {
      await engine.close();
      await engineLog.close();
      await clientLog.close();
    });

    async function readUntil(log: Log, name: string, count: number): Promise<LogRecord[]> {
      const reader = log.openReader({
        groupId: uniqueName('check'),
        topics: [name],
        autoOffsetReset: 'earliest',
      });
      const received: LogRecord[] = [];
      const deadline = Date.now() + 60_000;
      try {
        while (received.length < count && Date.now() < deadline)
          received.push(...(await reader.poll({ timeoutMs: 1_000 })));
      } finally {
        await reader.close();
      }
      return received;
    }

    const customers = [
      ['c1', 'Ann'],
      ['c2', 'Bob'],
      ['c3', 'Cid'],
      ['c4', 'Dee'],
    ] as const;
    const orders = Array.from({ length: 12 }, (_, i) => ({
      id: i + 1,
      customer: `c${(i % 5) + 1}`,
      amount: (i + 1) * 10,
    }));

    it('writes the orders re-keyed by customer and joins them', async () => {
      await engine.execute(
        `CREATE TABLE customers (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='${topic('customers')}', partitions=2, value_format='JSON');
       CREATE STREAM orders (id INT KEY, customer STRING, amount INT) WITH (kafka_topic='${topic('orders')}', partitions=2, value_format='JSON');`,
      );
      const [created] = await engine.execute(
        `CREATE STREAM enriched WITH (kafka_topic='${topic('enriched')}') AS SELECT o.customer, o.id, o.amount, c.name FROM orders o JOIN customers c ON o.customer = c.id;`,
      );
      const queryId = created!.queryId!;
      const groupId = `_confluent-ksql-${serviceId}query_${queryId}`;
      const repartition = `${groupId}-Join-repartition`;
      expect((await clientLog.describeTopic(repartition))?.partitions).toBe(2);

      for (const [id, name] of customers) {
        await engine.execute(`INSERT INTO customers (id, name) VALUES ('${id}', '${name}');`);
      }
      // The table side is in place before any order arrives.
      await waitCommitted(clientLog, groupId, topic('customers'), customers.length);
      for (const o of orders) {
        await engine.execute(
          `INSERT INTO orders (id, customer, amount) VALUES (${o.id}, '${o.customer}', ${o.amount});`,
        );
      }

      // The orders came from both partitions of their topic.
      const source = await readUntil(clientLog, topic('orders'), orders.length);
      expect(new Set(source.map((r) => r.partition))).toEqual(new Set([0, 1]));

      // Every order is in the repartition topic, keyed by its customer (KAFKA: the UTF-8 text),
      // in the partition the customer's table rows are in.
      const rekeyed = await readUntil(clientLog, repartition, orders.length);
      expect(rekeyed).toHaveLength(orders.length);
      const tableRows = await readUntil(clientLog, topic('customers'), customers.length);
      const tablePartition = new Map(tableRows.map((r) => [r.key!.toString(), r.partition]));
      for (const r of rekeyed) {
        const customer = r.key!.toString();
        const value = JSON.parse(r.value!.toString()) as Record<string, unknown>;
        expect(value.CUSTOMER).toBe(customer);
        expect(r.partition).toBe(partitionForKey(r.key!, 2));
        if (tablePartition.has(customer)) expect(r.partition).toBe(tablePartition.get(customer));
      }
      expect(rekeyed.map((r) => r.key!.toString()).sort()).toEqual(orders.map((o) => o.customer).sort());

      // The join: orders of customers c1..c4 (c5 has no row in the table); ID is in both
      // sources, so the order's is named O_ID.
      const names = new Map<string, string>(customers);
      const expected = orders
        .filter((o) => names.has(o.customer))
        .map((o) =>
          JSON.stringify([o.customer, { O_ID: o.id, AMOUNT: o.amount, NAME: names.get(o.customer) }]),
        )
        .sort();
      const output = await readUntil(clientLog, topic('enriched'), expected.length);
      const actual = output
        .map((r) => JSON.stringify([r.key!.toString(), JSON.parse(r.value!.toString())]))
        .sort();
      expect(actual).toEqual(expected);
      // Committed offsets of the source cover every order once the re-keyed records are produced.
      await waitCommitted(clientLog, groupId, topic('orders'), orders.length);

      // Dropping the stream with its topic terminates the query and deletes its repartition topic.
      await engine.execute(`DROP STREAM enriched DELETE TOPIC;`);
      expect(await clientLog.describeTopic(repartition)).toBeUndefined();
    }, 120_000);
  },
);
