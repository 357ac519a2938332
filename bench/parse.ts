/**
 * Parser throughput: statements per CPU-second of `parseStatements` over a generated script of
 * typical statements (DDL, CSAS/CTAS with joins and windows, INSERT VALUES, pull queries),
 * against the lexer alone on the same text, measured in the same run.
 *
 * Run after building into a folder inside the repo, e.g.
 *   npx tsc -p tsconfig.json --noEmit false --outDir .cache/bench && node .cache/bench/bench/parse.js
 */
import { pathToFileURL } from 'node:url';
import { tokenize } from '../grammar/index.js';
import { parseStatements } from '../parser/index.js';
import { bestOf, type Measurement } from './cpu.js';

const templates: readonly ((i: number) => string)[] = [
  (i) =>
    `CREATE STREAM orders_${i} (id BIGINT KEY, customer STRING, amount DECIMAL(10, 2), items ARRAY<STRUCT<sku STRING, qty INT>>) WITH (kafka_topic='orders_${i}', value_format='JSON', partitions=3);`,
  (i) =>
    `CREATE TABLE customers_${i} (id STRING PRIMARY KEY, name STRING, tier INT) WITH (kafka_topic='customers_${i}', format='JSON');`,
  (i) =>
    `CREATE TABLE revenue_${i} AS SELECT customer, COUNT(*) AS n, SUM(amount) AS total, LATEST_BY_OFFSET(amount) FROM orders_${i} WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) WHERE amount > 0 AND customer IS NOT NULL GROUP BY customer HAVING COUNT(*) > 1 EMIT CHANGES;`,
  (i) =>
    `CREATE STREAM enriched_${i} AS SELECT o.id, o.amount * 1.2 AS gross, c.name, CASE WHEN c.tier > 2 THEN 'gold' ELSE 'std' END AS level, TRANSFORM(o.items, x => x->qty) FROM orders_${i} o LEFT JOIN customers_${i} c ON o.customer = c.id PARTITION BY o.id;`,
  (i) => `INSERT INTO orders_${i} (id, customer, amount) VALUES (${i}, 'c${i}', ${i}.50);`,
  (i) => `SELECT * FROM revenue_${i} WHERE customer = 'c${i}' AND WINDOWSTART >= ${i * 1000};`,
];

/** A deterministic script of `count` statements. */
export function generateScript(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(templates[i % templates.length]!(i));
  return lines.join('\n');
}

export interface ParseBenchmarkResult {
  readonly statements: number;
  readonly characters: number;
  readonly parse: Measurement;
  readonly lexOnly: Measurement;
  /** Parse throughput as a fraction of lexing the same text (the lexer is the ceiling). */
  readonly ratio: number;
}

export function runParseBenchmark(statements: number, runs: number): ParseBenchmarkResult {
  const script = generateScript(statements);
  parseStatements(generateScript(templates.length * 10));
  const parse = bestOf(runs, statements, () => {
    if (parseStatements(script).length !== statements) throw new Error('statement count mismatch');
  });
  const lexOnly = bestOf(runs, statements, () => {
    tokenize(script);
  });
  return {
    statements,
    characters: script.length,
    parse,
    lexOnly,
    ratio: parse.eventsPerCpuSecond / lexOnly.eventsPerCpuSecond,
  };
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const statements = quick ? 6_000 : 30_000;
  const r = runParseBenchmark(statements, quick ? 2 : 3);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    '| workload | statements | parsed statements/CPU-s | reference | lexed statements/CPU-s | ratio |',
  );
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| parseStatements (${fmt(r.characters)} chars) | ${fmt(r.statements)} | ${fmt(r.parse.eventsPerCpuSecond)} | lexer alone | ${fmt(r.lexOnly.eventsPerCpuSecond)} | ${r.ratio.toFixed(2)} |`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
