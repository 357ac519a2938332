import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { Log, LogRecord } from '../../engine/log/log.js';
import { describeKafka, uniqueName } from '../support/kafka.js';

/**
 * The email service (stream-stream and stream-table joins) end to end on a real broker:
 * payments re-keyed by order, joined with orders within a minute (grace 10 s), the paid orders
 * joined with the customer table, and the platinum customers' emails routed to their own stream.
 *
 * ksqlDB requires a join result's key in the projection, so EMAILS also selects
 * `po.customerId` (its key after the implicit re-key on the customer).
 */
describeKafka(
  'S2 email service: stream-stream and stream-table joins on a real broker',
  (bootstrapServers) => {
    const run = uniqueName('s2').replaceAll('-', '_');
    const engineLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-engine-s2' });
    const clientLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-test-s2' });
    // A state directory of its own: state files are named by query id, which every run reuses.
    const stateDir = mkdtempSync(join(tmpdir(), 'sluice-s2-'));
    const engine = new Engine({
      log: engineLog,
      registry: builtinFunctions,
      config: {
        'auto.offset.reset': 'earliest',
        'ksql.service.id': `${run}_`,
        'ksql.streams.state.dir': stateDir,
      },
    });
    const topic = (name: string) => `${run}_${name}`;

    afterAll(async () => {
      await engine.close();
      await engineLog.close();
      await clientLog.close();
      rmSync(stateDir, { recursive: true, force: true });
    });

    /** Reads the topic from the beginning until `done` holds for what arrived (or a minute passed). */
    async function readUntil(
      log: Log,
      name: string,
      done: (values: unknown[]) => boolean,
    ): Promise<unknown[]> {
      const reader = log.openReader({
        groupId: uniqueName('check'),
        topics: [name],
        autoOffsetReset: 'earliest',
      });
      const received: LogRecord[] = [];
      const deadline = Date.now() + 60_000;
      const values = () => received.map((r) => (r.value === null ? null : JSON.parse(r.value.toString())));
      try {
        while (!done(values()) && Date.now() < deadline)
          received.push(...(await reader.poll({ timeoutMs: 1_000 })));
      } finally {
        await reader.close();
      }
      return values();
    }

    const insert = (sql: string) => engine.execute(sql);
    const order = (id: string, customer: number, at: number) =>
      insert(
        `INSERT INTO orders (id, customerId, product, quantity, price, ROWTIME) VALUES ('${id}', ${customer}, 'JUMPERS', 1, 10.0, ${at});`,
      );
    const payment = (id: string, orderId: string, amount: number, at: number) =>
      insert(
        `INSERT INTO payments (id, orderId, ccy, amount, ROWTIME) VALUES ('${id}', '${orderId}', 'EUR', ${amount}, ${at});`,
      );
    const customer = (id: number, first: string, level: string, at: number) =>
      insert(
        `INSERT INTO customers (id, firstName, lastName, email, address, level, ROWTIME) VALUES (${id}, '${first}', 'Smith', '${first.toLowerCase()}@example.com', 'Somewhere', '${level}', ${at});`,
      );

    /**
     * Waits until the query has committed everything in `name`, then everything in its
     * repartition topics (a side joined on a non-key column is joined from there), so it has
     * processed what is there.
     */
    async function caughtUp(queryPrefix: string, name: string): Promise<void> {
      const query = engine.persistentQueries().find((q) => q.id.startsWith(queryPrefix));
      if (query === undefined) throw new Error(`no query ${queryPrefix}`);
      const group = `_confluent-ksql-${run}_query_${query.id}`;
      const committedAll = async (topicName: string) => {
        const end = (await clientLog.endOffsets(topicName)).reduce((n, p) => n + p.offset, 0n);
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const committed = (await clientLog.committedOffsets(group, [topicName])).reduce(
            (n, p) => n + p.offset,
            0n,
          );
          if (committed >= end) return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`${query.id} did not catch up with ${topicName}`);
      };
      await committedAll(name);
      const internal = (await clientLog.listTopics()).filter(
        (t) => t.startsWith(`${group}-`) && t.endsWith('-repartition'),
      );
      for (const t of internal) await committedAll(t);
    }
    const emailOf = (orderId: string) => (v: unknown) =>
      (v as { ORDERID?: string } | null)?.ORDERID === orderId;

    it('emails paid orders with the customer as they stood, and routes platinum ones', async () => {
      await engine.execute(`
      CREATE STREAM orders (id STRING KEY, customerId BIGINT, product STRING, quantity INT, price DOUBLE)
        WITH (KAFKA_TOPIC='${topic('orders')}', VALUE_FORMAT='JSON', PARTITIONS=3);
      CREATE STREAM payments (id STRING KEY, orderId STRING, ccy STRING, amount DOUBLE)
        WITH (KAFKA_TOPIC='${topic('payments')}', VALUE_FORMAT='JSON', PARTITIONS=3);
      CREATE TABLE customers (id BIGINT PRIMARY KEY, firstName STRING, lastName STRING,
                              email STRING, address STRING, level STRING)
        WITH (KAFKA_TOPIC='${topic('customers')}', VALUE_FORMAT='JSON', PARTITIONS=3);
      CREATE STREAM payments_by_order WITH (KAFKA_TOPIC='${topic('payments_by_order')}')
        AS SELECT * FROM payments PARTITION BY orderId;
      CREATE STREAM paid_orders WITH (KAFKA_TOPIC='${topic('paid_orders')}') AS
        SELECT o.id AS orderId, o.customerId, o.product, o.quantity, o.price, p.amount, p.ccy
        FROM orders o JOIN payments_by_order p WITHIN 1 MINUTE GRACE PERIOD 10 SECONDS
          ON o.id = p.orderId;
      CREATE STREAM emails WITH (KAFKA_TOPIC='${topic('emails')}') AS
        SELECT po.customerId, po.orderId, c.email, c.firstName, c.level, po.amount
        FROM paid_orders po JOIN customers c ON po.customerId = c.id;
      CREATE STREAM platinum_orders WITH (KAFKA_TOPIC='${topic('platinum')}') AS
        SELECT * FROM emails WHERE level = 'platinum';
    `);
      const t0 = Date.UTC(2026, 0, 1);

      await customer(1, 'Ann', 'gold', t0 - 1_000);
      // Ann's first order is paid 30 s after it was placed: one email, at gold.
      await order('o1', 1, t0);
      await payment('p1', 'o1', 10, t0 + 30_000);
      let emails = await readUntil(clientLog, topic('emails'), (v) => v.some(emailOf('o1')));
      expect(emails.filter(emailOf('o1'))).toEqual([
        { ORDERID: 'o1', EMAIL: 'ann@example.com', FIRSTNAME: 'Ann', LEVEL: 'gold', AMOUNT: 10 },
      ]);

      // Paid two minutes after it was placed: outside the window, no paid order, no email.
      await order('o2', 1, t0 + 60_000);
      await payment('p2', 'o2', 20, t0 + 180_000);

      // Bob's order is paid before Bob is a customer: the table side is read as it stood, so
      // adding Bob later does not email that order (ksqlDB's temporal stream-table join).
      await order('o3', 2, t0 + 200_000);
      await payment('p3', 'o3', 30, t0 + 210_000);
      const paid = await readUntil(clientLog, topic('paid_orders'), (v) => v.some(emailOf('o3')));
      expect(paid.filter(emailOf('o2'))).toEqual([]);
      await caughtUp('CSAS_EMAILS', topic('paid_orders'));
      await customer(2, 'Bob', 'silver', t0 + 215_000);

      // Ann becomes platinum: only her later orders say so, and only those go to PLATINUM_ORDERS.
      await customer(1, 'Ann', 'platinum', t0 + 215_000);
      await order('o4', 2, t0 + 220_000);
      await payment('p4', 'o4', 40, t0 + 230_000);
      await order('o5', 1, t0 + 240_000);
      await payment('p5', 'o5', 50, t0 + 250_000);

      emails = await readUntil(
        clientLog,
        topic('emails'),
        (v) => v.some(emailOf('o4')) && v.some(emailOf('o5')),
      );
      const byOrder = (id: string) => emails.filter(emailOf(id));
      expect(byOrder('o2')).toEqual([]);
      expect(byOrder('o3')).toEqual([]);
      expect(byOrder('o4')).toEqual([
        { ORDERID: 'o4', EMAIL: 'bob@example.com', FIRSTNAME: 'Bob', LEVEL: 'silver', AMOUNT: 40 },
      ]);
      expect(byOrder('o5')).toEqual([
        { ORDERID: 'o5', EMAIL: 'ann@example.com', FIRSTNAME: 'Ann', LEVEL: 'platinum', AMOUNT: 50 },
      ]);

      const platinum = await readUntil(clientLog, topic('platinum'), (v) => v.some(emailOf('o5')));
      expect(platinum.map((v) => (v as { ORDERID: string }).ORDERID)).toEqual(['o5']);
    }, 180_000);
  },
);
