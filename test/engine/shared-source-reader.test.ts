import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import type { LogReader, ReaderOptions } from '../../engine/log/log.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import type { PushQuery, PushQueryRow } from '../../engine/runtime/push-query.js';

/** A MemoryLog that counts the readers opened on each topic. */
class CountingLog extends MemoryLog {
  readonly opened = new Map<string, number>();
  override openReader(options: ReaderOptions): LogReader {
    for (const topic of options.topics) this.opened.set(topic, (this.opened.get(topic) ?? 0) + 1);
    return super.openReader(options);
  }
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
});

async function take(query: PushQuery, n: number): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  const iterator = query[Symbol.asyncIterator]();
  while (rows.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    rows.push([...(next.value as PushQueryRow).values]);
  }
  return rows;
}

describe('push queries from the end of a source', () => {
  it('share one consumer, each receiving every record, until the last one closes', async () => {
    const log = new CountingLog();
    engine = new Engine({ log, registry: builtinFunctions });
    await engine.execute(
      "CREATE STREAM ticks (id INT KEY, v STRING) WITH (kafka_topic='ticks', partitions=2, value_format='JSON');",
    );
    const queries = await Promise.all(
      [1, 2, 3].map(() => engine!.query('SELECT id, v FROM ticks EMIT CHANGES;')),
    );
    const filtered = await engine.query("SELECT v FROM ticks WHERE v = 'b' EMIT CHANGES;");
    expect(log.opened.get('ticks')).toBe(1);
    expect(engine.sharedSources.subscribers('ticks')).toBe(4);

    await engine.execute("INSERT INTO ticks (id, v) VALUES (1, 'a');");
    await engine.execute("INSERT INTO ticks (id, v) VALUES (1, 'b');");
    for (const query of queries) {
      expect(await take(query, 2)).toEqual([
        [1, 'a'],
        [1, 'b'],
      ]);
    }
    expect(await take(filtered, 1)).toEqual([['b']]);

    await queries[0]!.close();
    await filtered.close();
    expect(engine.sharedSources.subscribers('ticks')).toBe(2);
    await engine.execute("INSERT INTO ticks (id, v) VALUES (2, 'c');");
    expect(await take(queries[1]!, 1)).toEqual([[2, 'c']]);

    await queries[1]!.close();
    await queries[2]!.close();
    expect(engine.sharedSources.size).toBe(0);

    // A later query opens a new shared consumer.
    const later = await engine.query('SELECT v FROM ticks EMIT CHANGES;');
    expect(log.opened.get('ticks')).toBe(2);
    await later.close();
  });

  it('keep a reader of their own when they read from the beginning', async () => {
    const log = new CountingLog();
    engine = new Engine({ log, registry: builtinFunctions });
    await engine.execute(
      "CREATE STREAM ticks (id INT KEY, v STRING) WITH (kafka_topic='ticks', partitions=1, value_format='JSON');",
    );
    await engine.execute("INSERT INTO ticks (id, v) VALUES (1, 'old');");
    const earliest = { 'auto.offset.reset': 'earliest' };
    const a = await engine.query('SELECT v FROM ticks EMIT CHANGES;', earliest);
    const b = await engine.query('SELECT v FROM ticks EMIT CHANGES;', earliest);
    expect(log.opened.get('ticks')).toBe(2);
    expect(engine.sharedSources.size).toBe(0);
    expect(await take(a, 1)).toEqual([['old']]);
    expect(await take(b, 1)).toEqual([['old']]);
    await a.close();
    await b.close();
  });
});
