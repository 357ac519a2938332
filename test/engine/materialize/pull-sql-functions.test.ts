import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';

let engine: Engine;
const SQL = { 'sluice.query.pull.sql.enabled': 'true' };

async function setup(): Promise<void> {
  engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  await engine.execute(
    'CREATE TABLE v (id INT PRIMARY KEY, s STRING, i INT, l BIGINT, d DOUBLE, dec DECIMAL(8, 3), dt DATE, ts TIMESTAMP, ' +
      "arr ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<f STRING>) WITH (kafka_topic='v', partitions=1, value_format='JSON');",
  );
  await engine.execute('CREATE TABLE v_q AS SELECT * FROM v;', { 'auto.offset.reset': 'earliest' });
  const rows = [
    "(1, ' Hello\tWorld\n', 7, 10000000000, 2.5, 12.345, FROM_DAYS(1), FROM_UNIXTIME(1500), ARRAY[1, 2, 3], MAP('a' := 1), STRUCT(f := 'x'))",
    "(2, 'éb', -7, -3, -2.5, -1.005, FROM_DAYS(-10), FROM_UNIXTIME(-1), ARRAY[5], MAP('b' := 2), STRUCT(f := CAST(NULL AS STRING)))",
    "(3, '', 0, 0, 0.0, 0.500, FROM_DAYS(0), FROM_UNIXTIME(0), ARRAY[], MAP('a' := 3), STRUCT(f := ''))",
  ];
  for (const r of rows) {
    await engine.execute(
      `INSERT INTO v (id, s, i, l, d, dec, dt, ts, arr, m, st) VALUES ${r.replace('ARRAY[]', 'CAST(NULL AS ARRAY<INT>)')};`,
    );
  }
  await engine.execute('INSERT INTO v (id) VALUES (4);');
  await engine.runUntilIdle();
}

async function rows(sql: string, properties: Record<string, unknown> = {}) {
  const query = await engine.query(sql, properties);
  const out: unknown[][] = [];
  for await (const row of query) out.push([...row.values]);
  return { columns: query.columns.map((c) => c.type), rows: out };
}

afterEach(async () => {
  await engine?.close();
});

/** Select lists evaluated both by Sluice (a plain pull query) and by DuckDB; results must agree. */
const SELECTS = [
  "UCASE(s), LCASE(s), LEN(s), CONCAT(s, '!', s), CONCAT_WS('-', s, 'x'), REPLACE(s, 'l', 'L')",
  "SUBSTRING(s, 2), SUBSTRING(s, -2, 1), SUBSTRING(s, 1, 3), INSTR(s, 'o'), TRIM(s), SPLIT(s, 'l')",
  "COALESCE(s, 'none'), IFNULL(i, -1), NULLIF(i, 7), GREATEST(i, 0), LEAST(l, CAST(5 AS BIGINT))",
  'ABS(i), ABS(d), ABS(dec), CEIL(d), FLOOR(d), CEIL(dec), FLOOR(dec), SIGN(i), SIGN(d)',
  'ROUND(d), ROUND(i), ROUND(l)',
  'SQRT(d), LN(d), LOG(d), LOG(2, d), EXP(d), POWER(d, 2), POWER(i, 2)',
  'i / 2, l / 3, i % 3, d / 2, i * l, dec + 1, dec * 2, dec - dec, -dec, d % 2 FROM v_q WHERE id < 4',
  'CAST(d AS INTEGER), CAST(dec AS BIGINT), CAST(i AS STRING), CAST(dec AS STRING), CAST(i AS DOUBLE), CAST(d AS DECIMAL(5, 1))',
  'UNIX_TIMESTAMP(ts), FROM_UNIXTIME(l), UNIX_DATE(dt), FROM_DAYS(i), CAST(dt AS STRING), CAST(ts AS DATE)',
  "arr[1], arr[-1], arr[5], m['a'], st->f",
  "CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero' END, CASE i WHEN 7 THEN 1 ELSE 2 END, i IN (7, 0), i BETWEEN -1 AND 1, s LIKE '%o%', s LIKE '%o_l%', s LIKE 'a_b', s NOT LIKE '_', s IS NULL, NOT (i = 7 OR i IS NULL)",
];

describe('DuckDB pull SQL functions agree with Sluice', () => {
  it.each(SELECTS)('SELECT %s', async (select) => {
    await setup();
    const from = select.includes(' FROM ') ? '' : ' FROM v_q';
    const sluice = await rows(`SELECT id, ${select}${from};`);
    sluice.rows.sort((a, b) => (a[0] as number) - (b[0] as number));
    const duck = await rows(`SELECT id, ${select}${from} ORDER BY id;`, SQL);
    const text = (v: unknown) =>
      JSON.stringify(v, (_k, x) =>
        typeof x === 'bigint'
          ? `${x}n`
          : x instanceof Map
            ? [...x]
            : typeof x === 'number' && !Number.isFinite(x)
              ? String(x)
              : x,
      );
    expect(duck.rows.map(text)).toEqual(sluice.rows.map(text));
    expect(duck.rows).toEqual(sluice.rows);
    expect(duck.columns.map((t) => t.kind)).toEqual(sluice.columns.map((t) => t.kind));
  });
});

describe('DuckDB pull SQL aggregates', () => {
  it('answers COUNT, COUNT(DISTINCT), COUNT_DISTINCT, SUM, AVG, MIN, MAX, STDDEV_*', async () => {
    await setup();
    const result = await rows(
      'SELECT COUNT(*), COUNT(i), COUNT(DISTINCT i > 0), COUNT_DISTINCT(i), SUM(i), SUM(d), SUM(dec), AVG(i), MIN(s), MAX(dt), ' +
        'STDDEV_SAMP(i), STDDEV_SAMPLE(i), STDDEV_POP(i) FROM v_q GROUP BY ();',
      SQL,
    );
    expect(result.rows.map((r) => r.map(String))).toEqual([
      ['4', '3', '2', '3', '0', '0', '11.84', '0', '', '1', String(49), '7', String(Math.sqrt(98 / 3))],
    ]);
    // ksqlDB's STDDEV_SAMP of fewer than two values is 0.
    expect((await rows('SELECT STDDEV_SAMP(i) FROM v_q WHERE id = 1 GROUP BY id;', SQL)).rows).toEqual([[0]]);
  });
});

describe('DuckDB pull SQL refusals', () => {
  it('refuses positions in strings outside the Basic Multilingual Plane', async () => {
    await setup();
    await engine.execute("INSERT INTO v (id, s) VALUES (5, 'a😀b');");
    await engine.runUntilIdle();
    await expect(rows('SELECT SUBSTRING(s, 2) FROM v_q WHERE id = 5 ORDER BY 1;', SQL)).rejects.toThrow(
      'DuckDB SQL pull queries answer SUBSTRING only for strings without characters outside the Basic Multilingual Plane',
    );
    // LEN counts UTF-16 code units, as ksqlDB does.
    expect((await rows('SELECT LEN(s) FROM v_q WHERE id = 5 ORDER BY 1;', SQL)).rows).toEqual([[4]]);
  });

  it.each([
    [
      "SELECT LPAD(s, 3, 'x') FROM v_q GROUP BY s;",
      'the function LPAD: DuckDB fails where ksqlDB returns NULL',
    ],
    ['SELECT MASK(s) FROM v_q GROUP BY s;', 'the function MASK: it is not among the functions answered'],
    [
      'SELECT LATEST_BY_OFFSET(s) FROM v_q GROUP BY id;',
      'the function LATEST_BY_OFFSET: a snapshot has no offsets.',
    ],
    ['SELECT ROUND(d, 1) FROM v_q GROUP BY d;', 'the function ROUND: ROUND of a DOUBLE to decimal places'],
    [
      'SELECT ROUND(dec) FROM v_q GROUP BY dec;',
      'the function ROUND: ksqlDB rounds DECIMAL halves towards positive infinity',
    ],
    ['SELECT CAST(s AS BOOLEAN) FROM v_q GROUP BY s;', 'CAST of a STRING to BOOLEAN'],
    ['SELECT s FROM v_q WHERE s LIKE s GROUP BY s;', 'LIKE with a pattern that is not a string literal'],
    ['SELECT dec / 2 FROM v_q GROUP BY dec;', '/ on DECIMAL values'],
    ['SELECT CAST(d AS STRING) FROM v_q GROUP BY d;', 'CAST of a DOUBLE to STRING'],
    ['SELECT SUM(DISTINCT i) FROM v_q GROUP BY id;', 'DISTINCT is only supported in COUNT'],
    ['SELECT SUBSTRING(s) FROM v_q GROUP BY s;', 'SUBSTRING: it takes 2 to 3 arguments, not 1.'],
  ])('%s', async (sql, message) => {
    await setup();
    await expect(rows(sql, SQL)).rejects.toThrow(message);
  });
});
