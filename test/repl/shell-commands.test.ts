import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import { HttpClient } from '../../repl/http-client.js';
import { completeLine, runScript, ShellSession } from '../../repl/shell.js';
import { buildServer } from '../../server/app.js';

let engine: Engine;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  engine = new Engine({ log: new MemoryLog({ clock: () => 0 }), registry: builtinFunctions });
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

function session(): { session: ShellSession; text: () => string } {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString()));
  return {
    session: new ShellSession({ client: new HttpClient(url), output }),
    text: () => chunks.join(''),
  };
}

describe('shell commands', () => {
  it('PRINTs a topic through /query until its LIMIT', async () => {
    const { session: shell, text } = session();
    const script = [
      "CREATE STREAM printed (id INT KEY, v STRING) WITH (kafka_topic='printed', partitions=1, value_format='JSON');",
      "INSERT INTO printed (id, v) VALUES (1, 'one');",
      "INSERT INTO printed (id, v) VALUES (2, 'two');",
      "PRINT 'printed' FROM BEGINNING LIMIT 2;",
    ].join('\n');
    expect(await runScript(shell, script, new PassThrough())).toBe(0);
    expect(text()).toContain(
      [
        'Key format: KAFKA_INT',
        'Value format: JSON',
        'rowtime: 1970/01/01 00:00:00.000 Z, key: 1, value: {"V":"one"}, partition: 0',
        'rowtime: 1970/01/01 00:00:00.000 Z, key: 2, value: {"V":"two"}, partition: 0',
        'Topic printing ceased',
      ].join('\n'),
    );
  });

  it('answers PRINT of an unknown topic with the server error', async () => {
    const { session: shell, text } = session();
    expect(await runScript(shell, "PRINT 'nowhere';", new PassThrough())).toBe(1);
    expect(text()).toContain("Could not find topic 'nowhere'");
  });

  it('runs a script with RUN SCRIPT and copies the session to a file with SPOOL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-shell-'));
    const script = join(dir, 'setup.sql');
    const spool = join(dir, 'session.log');
    writeFileSync(
      script,
      "CREATE STREAM scripted (id INT KEY, v STRING)\n  WITH (kafka_topic='scripted', partitions=1, value_format='JSON');\nSHOW STREAMS;\n",
    );
    const { session: shell, text } = session();
    const typed = [`SPOOL '${spool}'`, `RUN SCRIPT '${script}';`, 'SPOOL OFF', 'SHOW TYPES;'].join('\n');
    expect(await runScript(shell, typed, new PassThrough())).toBe(0);
    expect(text()).toContain(`Session will be spooled to ${spool}`);
    expect(text()).toContain(' Stream created');
    expect(text()).toContain(' SCRIPTED    | scripted');
    const spooled = readFileSync(spool, 'utf8');
    expect(spooled).toContain(`sluice> RUN SCRIPT '${script}';`);
    expect(spooled).toContain('sluice> SHOW STREAMS;');
    expect(spooled).toContain(' SCRIPTED    | scripted');
    expect(spooled).toContain('sluice> SPOOL OFF');
    expect(text()).toContain(`Spool ${spool} closed.`);
    expect(spooled).not.toContain('SHOW TYPES');
  });

  it('stops a RUN SCRIPT at its first failing statement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-shell-'));
    const script = join(dir, 'bad.sql');
    writeFileSync(script, 'DESCRIBE nothing_here;\nSHOW STREAMS;\n');
    const { session: shell, text } = session();
    expect(await runScript(shell, `RUN SCRIPT '${script}'`, new PassThrough())).toBe(1);
    expect(text()).toContain('NOTHING_HERE');
    expect(text()).not.toContain('Stream Name');
    expect(await runScript(shell, `RUN SCRIPT '${join(dir, 'missing.sql')}'`, new PassThrough())).toBe(1);
    expect(text()).toContain('Cannot read the script');
  });

  it('completes the names of streams and tables where a name may come, and keywords elsewhere', async () => {
    const { session: shell } = session();
    await runScript(
      shell,
      "CREATE STREAM completion_source (id INT KEY) WITH (kafka_topic='completion_source', partitions=1, value_format='JSON');",
      new PassThrough(),
    );
    await shell.refreshSourceNames();
    expect(shell.sourceNames).toContain('COMPLETION_SOURCE');
    expect(completeLine('DESCRIBE COMPL', shell.sourceNames)).toEqual([['COMPLETION_SOURCE'], 'COMPL']);
    expect(completeLine('SELECT * FROM comp', shell.sourceNames)[0]).toContain('COMPLETION_SOURCE');
    expect(completeLine('sho', shell.sourceNames)).toEqual([['show'], 'sho']);
  });
});
