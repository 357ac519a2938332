import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';

async function engine() {
  const e = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  await e.execute(
    "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');",
  );
  return e;
}

describe('push queries', () => {
  it('streams filtered rows in SELECT order and stops at LIMIT', async () => {
    const e = await engine();
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('ann', '/a', 10);");
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('bob', '/b', 500);");
    const query = await e.query(
      'SELECT page, user, ms * 2 AS double_ms FROM clicks WHERE ms > 5 EMIT CHANGES LIMIT 3;',
      {
        'auto.offset.reset': 'earliest',
      },
    );
    expect(query.columns.map((c) => c.name)).toEqual(['PAGE', 'USER', 'DOUBLE_MS']);
    const rows: unknown[] = [];
    const reading = (async () => {
      for await (const row of query) rows.push(row.values);
    })();
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('cy', '/c', 1);"); // filtered out
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('dee', '/d', 7);");
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('eve', '/e', 8);"); // past LIMIT
    await reading;
    expect(rows).toEqual([
      ['/a', 'ann', 20],
      ['/b', 'bob', 1000],
      ['/d', 'dee', 14],
    ]);
  });

  it('ends when closed', async () => {
    const e = await engine();
    const query = await e.query('SELECT * FROM clicks EMIT CHANGES;');
    const reading = (async () => {
      let n = 0;
      for await (const _ of query) n++;
      return n;
    })();
    await query.close();
    expect(await reading).toBe(0);
  });

  it('answers a SELECT without EMIT as a pull query over the records so far', async () => {
    const e = await engine();
    const query = await e.query('SELECT * FROM clicks;');
    expect((query as { pull?: string }).pull).toBe('stream');
  });
});

describe('PRINT', () => {
  it('prints records from the beginning with guessed formats, every n-th, up to LIMIT', async () => {
    const e = await engine();
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('ann', '/a', 1);");
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('bob', '/b', 2);");
    await e.execute("INSERT INTO clicks (user, page, ms) VALUES ('cy', '/c', 3);");
    const printed = await e.print("PRINT 'clicks' FROM BEGINNING INTERVAL 2 LIMIT 2;");
    const lines: string[] = [];
    for await (const line of printed) lines.push(line);
    expect(lines[0]).toBe('Key format: KAFKA_STRING');
    expect(lines[1]).toBe('Value format: JSON');
    expect(lines.slice(2).map((l) => l.replace(/^rowtime: [^,]+, /, ''))).toEqual([
      'key: ann, value: {"PAGE":"/a","MS":1}, partition: 0',
      'key: cy, value: {"PAGE":"/c","MS":3}, partition: 0',
    ]);
  });

  it('names a missing topic', async () => {
    const e = await engine();
    await expect(e.print('PRINT nope;')).rejects.toThrow("Could not find topic 'nope'");
  });
});
