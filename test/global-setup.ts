import type { TestProject } from 'vitest/node';
import { LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** bootstrap.servers of the broker the Kafka tests use, or null when there is none. */
    kafkaBootstrap: string | null;
    /** Why there is no broker, when kafkaBootstrap is null. */
    kafkaUnavailable: string | null;
  }
}

/**
 * Gives the Kafka tests a real broker: SLUICE_BOOTSTRAP_SERVERS when set, else the project's
 * local broker, started here if it is not running (and stopped again afterwards if this run
 * started it). Without Java or Maven the Kafka tests see the reason and skip, or fail under CI.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.SLUICE_BOOTSTRAP_SERVERS;
  if (external) {
    project.provide('kafkaBootstrap', external);
    project.provide('kafkaUnavailable', null);
    return undefined;
  }
  const broker = new LocalKafkaBroker(localBrokerConfig());
  try {
    const { alreadyRunning } = await broker.start((line) => process.stderr.write(`[kafka] ${line}\n`));
    project.provide('kafkaBootstrap', broker.bootstrapServers);
    project.provide('kafkaUnavailable', null);
    return alreadyRunning ? undefined : async () => void (await broker.stop());
  } catch (err) {
    project.provide('kafkaBootstrap', null);
    project.provide('kafkaUnavailable', err instanceof Error ? err.message : String(err));
    return undefined;
  }
}
