/**
 * Bad input never crashes the parser: a thousand seeded mutations of valid statements
 * (tokens dropped, inserted, replaced) either parse, and then round-trip, or fail with a
 * ParseError; never any other exception.
 */
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../grammar/index.js';
import { formatStatement, ParseError, parseStatement, parseStatements } from '../../parser/index.js';
import { withoutLocations } from './helpers.js';

const seeds = [
  "CREATE STREAM s (id INT KEY, h ARRAY<STRUCT<k STRING, v BYTES>> HEADERS) WITH (kafka_topic='s', format='JSON');",
  'CREATE TABLE c AS SELECT id, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 5 SECONDS) GROUP BY id EMIT FINAL;',
  'CREATE STREAM j AS SELECT a.id, b.v->x[1] FROM a LEFT JOIN b WITHIN (1 SECOND, 2 SECONDS) ON a.id = b.id PARTITION BY a.id;',
  "SELECT CASE WHEN x > -1.5 THEN 'a' ELSE NULL END, TRANSFORM(arr, (k, v) => k + v), MAP('k' := 1) FROM t WHERE x IN (1, 2) LIMIT 3;",
  "INSERT INTO s (id, v) VALUES (1, STRUCT(a := 'x'));",
  "ASSERT NOT EXISTS TOPIC 't' WITH (partitions=1) TIMEOUT 3 SECONDS;",
  "PRINT 'topic' FROM BEGINNING INTERVAL 2 LIMIT 5;",
];
const pieces = [
  '(',
  ')',
  ',',
  ';',
  'SELECT',
  'FROM',
  '->',
  '[',
  ']',
  '=>',
  ':=',
  "'x'",
  '`q`',
  '-',
  '*',
  'AS',
  'EMIT',
  'JOIN',
  'WINDOW',
  'CASE',
  'END',
  'NOT',
  'NULL',
  'IN',
  'MAP',
  'ARRAY',
  '<',
  '>',
  'KEY',
  'VALUES',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ksqlDB's variable syntax
  '${v}',
  '1.5',
  '1e3',
  '.',
  'CAST',
  'x',
  '#',
  "'open",
];

describe('robustness', () => {
  it('fails only with ParseError on mutated statements', () => {
    let state = 4242;
    const next = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const unexpected: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const images = tokenize(seeds[n % seeds.length]!).tokens.map((t) => t.image);
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const at = Math.floor(next() * images.length);
        const piece = pieces[Math.floor(next() * pieces.length)]!;
        const op = next();
        if (op < 0.33) images.splice(at, 1);
        else if (op < 0.66) images.splice(at, 0, piece);
        else images[at] = piece;
      }
      const text = images.join(' ');
      try {
        for (const { statement } of parseStatements(text, { testStatements: true, clientStatements: true })) {
          const back = parseStatement(formatStatement(statement), {
            testStatements: true,
            clientStatements: true,
          });
          expect(withoutLocations(back.statement)).toEqual(withoutLocations(statement));
        }
      } catch (error) {
        if (!(error instanceof ParseError)) unexpected.push(`${text}\n  ${String(error)}`);
      }
    }
    expect(unexpected).toEqual([]);
  });
});
