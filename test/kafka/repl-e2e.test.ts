/**
 * The shell as a person uses it: a real `sluice repl` process, typed at through stdin, against
 * a real server on a real broker.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/main.js';
import { bundleCli, CliProcess } from '../support/cli-process.js';
import { describeKafka, uniqueName } from '../support/kafka.js';

describeKafka('sluice repl on a real server and broker', (bootstrapServers) => {
  let server: RunningServer;
  let cli: { entry: string; remove: () => void };
  let shell: CliProcess | undefined;

  beforeAll(async () => {
    cli = await bundleCli();
    server = await startServer({
      bootstrapServers,
      port: 0,
      host: '127.0.0.1',
      config: { 'ksql.service.id': `${uniqueName('repl').replaceAll('-', '_')}_` },
    });
  });

  afterAll(async () => {
    shell?.kill();
    await server?.close();
    cli?.remove();
  });

  it('creates, inserts, aggregates, pull-queries, streams a push query stopped with Ctrl-C, and keeps answering', async () => {
    const name = uniqueName('views').replaceAll('-', '_').toUpperCase();
    shell = new CliProcess(cli.entry, ['repl', '--server', server.url, '--history', '']);
    let at = await shell.waitFor('Server Status: RUNNING');

    // A statement over several lines runs once its `;` arrives.
    shell.type(`CREATE STREAM ${name} (user STRING KEY, page STRING)\n`);
    shell.type(`  WITH (kafka_topic='${name}', partitions=1, value_format='JSON');\n`);
    at = await shell.waitFor('Stream created', at);

    shell.type(`INSERT INTO ${name} (user, page) VALUES ('ann', '/home');\n`);
    shell.type(`INSERT INTO ${name} (user, page) VALUES ('bob', '/cart');\n`);
    shell.type(`INSERT INTO ${name} (user, page) VALUES ('ann', '/pay');\n`);
    shell.type("SET 'auto.offset.reset'='earliest';\n");
    at = await shell.waitFor("Successfully changed local property 'auto.offset.reset' to 'earliest'", at);

    shell.type(`CREATE TABLE ${name}_COUNTS AS SELECT user, COUNT(*) AS views FROM ${name} GROUP BY user;\n`);
    at = await shell.waitFor(`Created query with ID CTAS_${name}_COUNTS_`, at);

    shell.type(`SELECT user, page FROM ${name} EMIT CHANGES;\n`);
    at = await shell.waitFor(/\|USER\s*\|PAGE\s*\|/, at);
    at = await shell.waitFor(/\|ann\s*\|\/home\s*\|/, at);
    at = await shell.waitFor(/\|bob\s*\|\/cart\s*\|/, at);
    at = await shell.waitFor(/\|ann\s*\|\/pay\s*\|/, at);
    shell.child.kill('SIGINT');
    at = await shell.waitFor('Query terminated', at);

    // The shell is still there, and the aggregation has been running on the server (its changelog: ann 1, bob 1, ann 2).
    shell.type('SHOW QUERIES;\n');
    at = await shell.waitFor(`CTAS_${name}_COUNTS_`, at);
    shell.type(`SELECT user, views FROM ${name}_COUNTS EMIT CHANGES LIMIT 3;\n`);
    at = await shell.waitFor(/\|ann\s*\|2\s*\|/, at);
    at = await shell.waitFor('Query terminated', at);

    // A pull query shows the aggregated row.
    shell.type(`SELECT user, views FROM ${name}_COUNTS WHERE user = 'ann';\n`);
    at = await shell.waitFor(/\|USER\s*\|VIEWS\s*\|/, at);
    at = await shell.waitFor(/\|ann\s*\|2\s*\|/, at);
    at = await shell.waitFor('Query terminated', at);

    shell.type('EXIT\n');
    expect(await shell.exited).toBe(0);
  }, 180_000);
});
