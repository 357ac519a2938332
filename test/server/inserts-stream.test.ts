import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import { buildServer } from '../../server/app.js';

let log: MemoryLog;
let engine: Engine;
let app: ReturnType<typeof buildServer>;

beforeEach(async () => {
  log = new MemoryLog({ clock: () => 5 });
  engine = new Engine({ log, registry: builtinFunctions, deterministic: true });
  app = buildServer({ engine });
  await engine.execute(
    "CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', partitions=1, value_format='JSON');",
  );
  await engine.execute(
    "CREATE TABLE totals (id INT PRIMARY KEY, n INT) WITH (kafka_topic='totals', partitions=1, value_format='JSON');",
  );
});

afterEach(async () => {
  await app.close();
  await engine.close();
});

async function topic(name: string) {
  const reader = log.openReader({
    groupId: `check-${Math.random()}`,
    topics: [name],
    autoOffsetReset: 'earliest',
  });
  const records = await reader.poll({ timeoutMs: 0 });
  await reader.close();
  return records.map((r) => ({
    key: r.key?.readInt32BE(0),
    value: r.value?.toString(),
    timestamp: r.timestamp,
  }));
}

const inserts = (lines: unknown[], accept?: string) =>
  app.inject({
    method: 'POST',
    url: '/inserts-stream',
    headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
    payload: lines.map((l) => JSON.stringify(l)).join('\n'),
  });

describe('POST /inserts-stream', () => {
  it('writes each row into the stream and acknowledges it', async () => {
    const response = await inserts([
      { target: 'orders', properties: {} },
      { ID: 1, ITEM: 'apple', QTY: 3 },
      { id: 2, item: 'pear', ROWTIME: 42 },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    expect(response.body).toBe('{"status":"ok","seq":0}\n{"status":"ok","seq":1}\n');
    expect(await topic('orders')).toEqual([
      { key: 1, value: '{"ITEM":"apple","QTY":3}', timestamp: 5 },
      { key: 2, value: '{"ITEM":"pear","QTY":null}', timestamp: 42 },
    ]);
  });

  it('answers one JSON array when asked for application/json', async () => {
    const response = await inserts([{ target: 'ORDERS' }, { ID: 1, ITEM: 'a', QTY: 1 }], 'application/json');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toEqual([{ status: 'ok', seq: 0 }]);
  });

  it('ends at the first row that does not fit, with an error acknowledgement', async () => {
    const response = await inserts([
      { target: 'orders' },
      { ID: 1, ITEM: 'a', QTY: 1 },
      { ID: 2, ITEM: 'b', QTY: 'many' },
      { ID: 3, ITEM: 'c', QTY: 3 },
    ]);
    const acks = response.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(acks).toEqual([
      { status: 'ok', seq: 0 },
      { status: 'error', seq: 1, error_code: 40000, message: expect.stringMatching(/QTY/) },
    ]);
    expect((await topic('orders')).map((r) => r.key)).toEqual([1]);
  });

  it('refuses an unknown target, a table, and a body that is not JSON', async () => {
    expect(JSON.parse((await inserts([{ target: 'nope' }, { ID: 1 }])).body)).toEqual({
      status: 'error',
      seq: 0,
      error_code: 40000,
      message: 'Cannot insert into an unknown stream: nope',
    });
    expect(JSON.parse((await inserts([{ target: 'totals' }])).body).message).toBe(
      'Cannot insert into a table: TOTALS',
    );
    const garbage = await app.inject({ method: 'POST', url: '/inserts-stream', payload: '{"target":' });
    expect(JSON.parse(garbage.body)).toMatchObject({ status: 'error', seq: 0, error_code: 40000 });
  });
});
