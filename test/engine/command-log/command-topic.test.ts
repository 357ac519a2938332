import { afterEach, describe, expect, it } from 'vitest';
import { commandTopicName, decodeCommand } from '../../../engine/command-log/command-topic.js';
import { SandboxLog } from '../../../engine/command-log/sandbox-log.js';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { LogRecord } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';

const engines: Engine[] = [];

async function startEngine(log: MemoryLog, serviceId = 'svc_'): Promise<Engine> {
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    commandTopic: true,
    config: { 'ksql.service.id': serviceId, 'auto.offset.reset': 'earliest' },
  });
  await engine.start();
  engines.push(engine);
  return engine;
}

async function readAll(log: MemoryLog, topic: string): Promise<LogRecord[]> {
  const reader = log.openReader({
    groupId: `check-${Math.random()}`,
    topics: [topic],
    autoOffsetReset: 'earliest',
  });
  const records: LogRecord[] = [];
  for (;;) {
    const batch = await reader.poll({ timeoutMs: 0 });
    if (batch.length === 0) break;
    records.push(...batch);
  }
  await reader.close();
  return records;
}

const CREATE_ORDERS =
  "CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', partitions=1, value_format='JSON');";
const CREATE_BIG = 'CREATE STREAM big AS SELECT id, item, qty FROM orders WHERE qty > 1;';

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

describe('the command topic', () => {
  it('appends each catalog statement before it takes effect and numbers queries by offset', async () => {
    const log = new MemoryLog();
    const engine = await startEngine(log);
    const [created] = await engine.execute(CREATE_ORDERS);
    const [csas] = await engine.execute(CREATE_BIG);
    expect(created?.entity.commandSequenceNumber).toBe(0);
    expect(csas?.queryId).toBe('CSAS_BIG_1');
    expect(csas?.entity.commandSequenceNumber).toBe(1);

    const commands = await readAll(log, commandTopicName('svc_'));
    expect(commands.map((r) => r.key?.toString())).toEqual(['stream/`ORDERS`/create', 'stream/`BIG`/create']);
    expect(commands.map((r) => decodeCommand(r.value)?.statement)).toEqual([CREATE_ORDERS, CREATE_BIG]);
    expect(decodeCommand(commands[1]!.value)?.streamsProperties).toEqual({});
    expect(engine.commandStatuses().get('stream/`BIG`/create')).toEqual({
      status: 'SUCCESS',
      message: 'Created query with ID CSAS_BIG_1',
      queryId: 'CSAS_BIG_1',
    });
  });

  it('never appends a statement that fails validation, and leaves no topic behind', async () => {
    const log = new MemoryLog();
    const engine = await startEngine(log);
    await expect(engine.execute('CREATE STREAM bad AS SELECT * FROM missing;')).rejects.toThrow(/MISSING/);
    await expect(
      engine.execute(
        "CREATE STREAM twice (a INT) WITH (kafka_topic='t1', partitions=1, value_format='JSON'); CREATE STREAM twice (a INT) WITH (kafka_topic='t2', partitions=1, value_format='JSON');",
      ),
    ).rejects.toThrow(/already exists/);
    expect((await readAll(log, commandTopicName('svc_'))).length).toBe(1);
    expect(await log.describeTopic('t2')).toBeUndefined();
    expect(await log.describeTopic('BAD')).toBeUndefined();
  });

  it('replays the catalog on start and resumes persistent queries from their committed offsets', async () => {
    const log = new MemoryLog();
    const first = await startEngine(log);
    await first.execute(CREATE_ORDERS);
    await first.execute(CREATE_BIG);
    await first.execute('CREATE TYPE money AS DECIMAL(10, 2);');
    await first.execute("INSERT INTO orders (id, item, qty) VALUES (1, 'apple', 3);");
    await first.runUntilIdle();
    await first.close();

    const second = await startEngine(log);
    expect(second.metastore.source('BIG')?.createdByQuery).toBe('CSAS_BIG_1');
    expect(second.metastore.type('MONEY')).toBeDefined();
    expect(second.persistentQueries().map((q) => q.id)).toEqual(['CSAS_BIG_1']);
    await second.execute("INSERT INTO orders (id, item, qty) VALUES (2, 'pear', 5);");
    await second.runUntilIdle();
    const items = (await readAll(log, 'BIG')).map((r) => JSON.parse(r.value!.toString()).ITEM);
    expect(items).toEqual(['apple', 'pear']);
  });

  it('does not start queries that a later command terminated', async () => {
    const log = new MemoryLog();
    const first = await startEngine(log);
    await first.execute(CREATE_ORDERS);
    await first.execute(CREATE_BIG);
    await first.execute('DROP STREAM big;');
    await first.close();
    const second = await startEngine(log);
    expect(second.persistentQueries()).toEqual([]);
    expect(second.metastore.source('BIG')).toBeUndefined();
    expect(second.metastore.source('ORDERS')).toBeDefined();
  });

  it('shares the catalog between engines of one service id, each following the log', async () => {
    const log = new MemoryLog();
    const a = await startEngine(log);
    const b = await startEngine(log);
    const other = await startEngine(log, 'other_');
    await a.execute(CREATE_ORDERS);
    const [csas] = await b.execute(CREATE_BIG);
    expect(csas?.queryId).toBe('CSAS_BIG_1');
    expect(await a.waitForCommand(1, 5_000)).toBe(true);
    expect(a.persistentQueries().map((q) => q.id)).toEqual(['CSAS_BIG_1']);
    await a.execute('TERMINATE CSAS_BIG_1;');
    expect(await b.waitForCommand(2, 5_000)).toBe(true);
    expect(b.persistentQueries()).toEqual([]);
    expect(other.metastore.allSources().map((s) => s.name)).toEqual([]);
    expect(await other.waitForCommand(0, 10)).toBe(false);
  });

  it('reports an error a command meets when it is applied', async () => {
    const log = new MemoryLog();
    const engine = await startEngine(log);
    await expect(engine.execute('TERMINATE NO_SUCH_QUERY;')).rejects.toThrow(/Unknown queryId/);
    expect((await readAll(log, commandTopicName('svc_'))).length).toBe(0);
  });
});

describe('SandboxLog', () => {
  it('reads topic metadata from the real log and keeps every change in memory', async () => {
    const real = new MemoryLog();
    await real.ensureTopic('existing', { partitions: 3 });
    const sandbox = new SandboxLog(real);
    expect((await sandbox.describeTopic('existing'))?.partitions).toBe(3);
    expect(await sandbox.ensureTopic('existing', { partitions: 1 })).toEqual({ created: false });
    expect(await sandbox.ensureTopic('fresh', { partitions: 2 })).toEqual({ created: true });
    await sandbox.append('existing', [{ key: null, value: Buffer.from('x') }]);
    expect(await sandbox.deleteTopic('existing')).toBe(true);
    expect(await sandbox.describeTopic('existing')).toBeUndefined();
    expect(await sandbox.listTopics()).toEqual(['fresh']);
    await sandbox.close();
    expect(await real.listTopics()).toEqual(['existing']);
    expect(await real.endOffsets('existing')).toEqual([
      { partition: 0, offset: 0n },
      { partition: 1, offset: 0n },
      { partition: 2, offset: 0n },
    ]);
  });
});
