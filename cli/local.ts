import { LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';

/**
 * Plain `sluice`: make sure there is a Kafka to talk to (SLUICE_BOOTSTRAP_SERVERS, or the
 * local broker, fetched and started on first use), then hand over to the REPL.
 */
export async function startLocal(): Promise<number> {
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
  process.stdout.write(
    `Kafka: ${bootstrap}\nThe Sluice REPL is not yet available in this version; the broker stays up for your clients.\n`,
  );
  return 0;
}
