import { LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';

/**
 * Plain `sluice`: a Kafka to talk to (SLUICE_BOOTSTRAP_SERVERS, or the local broker, fetched
 * and started on first use), a Sluice server in this process on SLUICE_PORT (default 8088, or
 * a free port when that one is taken), and the REPL against it. Leaving the REPL stops the
 * server; the local broker keeps running for the next session (`sluice kafka stop` ends it).
 */
export async function startLocal(version: string): Promise<number> {
  let bootstrap = process.env.SLUICE_BOOTSTRAP_SERVERS;
  if (!bootstrap) {
    const broker = new LocalKafkaBroker(localBrokerConfig());
    const { alreadyRunning } = await broker.start((line) => process.stdout.write(`${line}\n`));
    bootstrap = broker.bootstrapServers;
    process.stdout.write(
      alreadyRunning
        ? `Kafka already running at ${bootstrap}\n`
        : `Kafka ready at ${bootstrap} (stop it with: npx sluice kafka stop)\n`,
    );
  }
  const { startServer } = await import('../server/main.js');
  const port = Number(process.env.SLUICE_PORT ?? 8088);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ bootstrapServers: bootstrap, port, host: '127.0.0.1' });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    server = await startServer({ bootstrapServers: bootstrap, port: 0, host: '127.0.0.1' });
  }
  process.stdout.write(`Sluice server at ${server.url}\n`);
  try {
    const { runRepl } = await import('../repl/main.js');
    return await runRepl(
      { server: server.url },
      { input: process.stdin, output: process.stdout, errors: process.stderr, version },
    );
  } finally {
    await server.close();
  }
}
