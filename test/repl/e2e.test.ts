import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/main.js';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import { HttpClient } from '../../repl/http-client.js';
import { PROMPT, ShellSession, startShell } from '../../repl/shell.js';
import { buildServer } from '../../server/app.js';

let engine: Engine;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  engine = new Engine({
    log: new MemoryLog(),
    registry: builtinFunctions,
    config: { 'auto.offset.reset': 'earliest' },
  });
  app = buildServer({ engine });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  await engine.close();
});

function capture(stream: NodeJS.WriteStream): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join('') };
}

const streamsHeader = ' Stream Name | Kafka Topic | Key Format | Value Format | Windowed';

describe('sluice repl -e / -f', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('creates a stream, inserts, prints a push query with LIMIT and lists streams', async () => {
    const out = capture(process.stdout);
    const sql = [
      "CREATE STREAM ORDERS (ID INT KEY, ITEM VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);",
      "INSERT INTO ORDERS (ID, ITEM) VALUES (1, 'apple');",
      "INSERT INTO ORDERS (ID, ITEM) VALUES (2, 'pear');",
      'SELECT * FROM ORDERS EMIT CHANGES LIMIT 2;',
      'SHOW STREAMS;',
    ].join('\n');
    expect(await run(['node', 'sluice', 'repl', '--server', url, '-e', sql])).toBe(0);
    const text = out.text();
    expect(text).toContain(' Message\n----------------\n Stream created\n----------------\n');
    expect(text).toContain(
      [
        '+----------+----------+',
        '|ID        |ITEM      |',
        '+----------+----------+',
        '|1         |apple     |',
        '|2         |pear      |',
        'Query terminated',
        '',
      ].join('\n'),
    );
    expect(text).toContain(
      [streamsHeader, '-'.repeat(66), ' ORDERS      | orders      | KAFKA      | JSON         | false'].join(
        '\n',
      ),
    );
    // Statements run in order: the query's rows come before the stream list.
    expect(text.indexOf('|2         |pear      |')).toBeLessThan(text.indexOf(streamsHeader));
  });

  it('stops at the first failing statement and exits 1', async () => {
    const out = capture(process.stdout);
    const code = await run(['node', 'sluice', 'repl', '--server', url, '-e', 'DESCRIBE NOPE; SHOW STREAMS;']);
    expect(code).toBe(1);
    expect(out.text()).toContain("Could not find STREAM/TABLE 'NOPE' in the Metastore");
    expect(out.text()).not.toContain(streamsHeader);
  });

  it('runs a file, with session variables and JSON output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-repl-'));
    const file = join(dir, 'script.sql');
    const variableReference = '$' + '{topic}';
    writeFileSync(
      file,
      [
        "DEFINE topic = 'from_file';",
        `CREATE STREAM FROM_FILE (A INT) WITH (KAFKA_TOPIC='${variableReference}', VALUE_FORMAT='JSON', PARTITIONS=1);`,
        'OUTPUT JSON',
        'SHOW VARIABLES;',
      ].join('\n'),
    );
    const out = capture(process.stdout);
    expect(await run(['node', 'sluice', 'repl', '--server', url, '-f', file])).toBe(0);
    const text = out.text();
    expect(text).toContain(' Stream created');
    expect(text).toContain('"@type": "variables"');
    expect(text).toContain('"name": "topic"');
    const topics = await new HttpClient(url).ksql('SHOW TOPICS;');
    expect(topics.ok && JSON.stringify(topics.entities)).toContain('"from_file"');
  });

  it('keeps SET properties for the session, and refuses what the server refuses', async () => {
    const out = capture(process.stdout);
    const sql = [
      "SET 'auto.offset.reset'='latest';",
      "CREATE STREAM LATE (A INT) WITH (KAFKA_TOPIC='late', VALUE_FORMAT='JSON', PARTITIONS=1);",
      'INSERT INTO LATE (A) VALUES (1);',
      "UNSET 'auto.offset.reset';",
      'SELECT * FROM LATE EMIT CHANGES LIMIT 1;',
      "SET 'ksql.service.id'='other';",
      'SHOW STREAMS;',
    ].join('\n');
    expect(await run(['node', 'sluice', 'repl', '--server', url, '-e', sql])).toBe(1);
    const text = out.text();
    expect(text).toContain(
      "Successfully changed local property 'auto.offset.reset' to 'latest'. Use the UNSET command to revert your change.\n",
    );
    expect(text).toContain("Successfully unset local property 'auto.offset.reset' (value was 'latest').\n");
    // Back to the server's earliest: the row inserted before the query is read.
    expect(text).toContain('|1         |\nQuery terminated\n');
    expect(text).toMatch(/ksql\.service\.id/);
    expect(text).not.toContain(streamsHeader);
  });

  it('takes session variables from --define', async () => {
    const out = capture(process.stdout);
    const sql =
      `CREATE STREAM DEFINED (A INT) WITH (KAFKA_TOPIC='$` +
      `{topic}', VALUE_FORMAT='JSON', PARTITIONS=1); SHOW STREAMS;`;
    expect(
      await run([
        'node',
        'sluice',
        'repl',
        '--server',
        url,
        '-d',
        'topic=via_define',
        '-d',
        'x=1',
        '-e',
        sql,
      ]),
    ).toBe(0);
    expect(out.text()).toContain(' DEFINED     | via_define  |');
  });

  it('rejects a --define without a name', async () => {
    const err = capture(process.stderr);
    expect(await run(['node', 'sluice', 'repl', '--server', url, '-d', '=1', '-e', 'SHOW STREAMS;'])).toBe(1);
    expect(err.text()).toBe("sluice repl: --define takes name=value, got '=1'\n");
  });

  it('prints the error of a query the server refuses and exits 1', async () => {
    const out = capture(process.stdout);
    expect(
      await run(['node', 'sluice', 'repl', '--server', url, '-e', 'SELECT * FROM MISSING EMIT CHANGES;']),
    ).toBe(1);
    expect(out.text()).toContain('Source `MISSING` does not exist.');
    expect(out.text()).not.toContain('Query terminated');
  });

  it('says clearly when the server cannot be reached', async () => {
    const err = capture(process.stderr);
    capture(process.stdout);
    expect(
      await run(['node', 'sluice', 'repl', '--server', 'http://127.0.0.1:1', '-e', 'SHOW STREAMS;']),
    ).toBe(1);
    expect(err.text()).toMatch(/^Could not reach the Sluice server at http:\/\/127\.0\.0\.1:1: /);
  });
});

/** Resolves once the output holds `text` (after `from`), however long that takes. */
function waitForOutput(output: { text: () => string }, text: string, from = 0): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      const at = output.text().indexOf(text, from);
      if (at >= 0) resolve(at + text.length);
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('the interactive shell', () => {
  it('buffers lines, streams rows, and closes a query on Ctrl-C without leaving', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const seen = { text: () => chunks.join('') };
    const client = new HttpClient(url);
    const closeQuery = vi.spyOn(client, 'closeQuery');
    const session = new ShellSession({ client, output });
    const shell = startShell({ session, input, output, terminal: false, historyPath: '' });

    input.write('CREATE STREAM CLICKS (ID INT KEY, PAGE VARCHAR)\n');
    let at = await waitForOutput(seen, '... ');
    input.write("  WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
    at = await waitForOutput(seen, ' Stream created', at);
    input.write("INSERT INTO CLICKS (ID, PAGE) VALUES (7, 'home');\n");
    at = await waitForOutput(seen, ' Inserted 1 row', at);

    input.write('SELECT * FROM CLICKS EMIT CHANGES;\n');
    at = await waitForOutput(seen, '|7         |home      |\n', at);
    expect(session.queryRunning).toBe(true);
    shell.server.emit('SIGINT');
    at = await waitForOutput(seen, `Query terminated\n${PROMPT}`, at);
    expect(session.queryRunning).toBe(false);
    expect(closeQuery).toHaveBeenCalledOnce();
    expect(closeQuery.mock.calls[0]?.[0]).toMatch(/^transient_CLICKS_/);

    input.write("SET 'auto.offset.reset'='latest';\n");
    at = await waitForOutput(
      seen,
      "Successfully changed local property 'auto.offset.reset' to 'latest'.",
      at,
    );
    input.write('SHOW STREAMS;\n');
    at = await waitForOutput(seen, ' CLICKS ', at);
    input.write('exit\n');
    await shell.closed;
  });
});

describe('piped input', () => {
  it('runs every piped statement before the shell ends', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const session = new ShellSession({ client: new HttpClient(url), output });
    const shell = startShell({ session, input, output, terminal: false, historyPath: '' });
    input.end(
      "CREATE STREAM PIPED (A INT) WITH (KAFKA_TOPIC='piped', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
        'INSERT INTO PIPED (A) VALUES (5);\nSELECT * FROM PIPED EMIT CHANGES LIMIT 1;\nSHOW STREAMS;\n',
    );
    await shell.closed;
    const text = chunks.join('');
    expect(text).toContain(' Stream created');
    expect(text).toContain('|5         |\nQuery terminated\n');
    expect(text).toContain(' PIPED ');
  });
});
