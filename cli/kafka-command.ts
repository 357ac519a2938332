import type { Command } from 'commander';
import { BrokerSetupError, LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';

interface KafkaFlags {
  port?: string;
  controllerPort?: string;
  dataDir?: string;
}

function brokerFrom(flags: KafkaFlags): LocalKafkaBroker {
  const overrides: { port?: number; controllerPort?: number; dir?: string } = {};
  if (flags.port !== undefined) overrides.port = portFlag(flags.port, '--port');
  if (flags.controllerPort !== undefined)
    overrides.controllerPort = portFlag(flags.controllerPort, '--controller-port');
  if (flags.dataDir !== undefined) overrides.dir = flags.dataDir;
  return new LocalKafkaBroker(localBrokerConfig(overrides));
}

function portFlag(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0 || n > 65_535)
    throw new BrokerSetupError(`${flag} must be a port number, got '${text}'`);
  return n;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** `sluice kafka start|stop|status`: the local development broker. Exit codes: 0 ok, 1 error, 3 not running. */
export function registerKafkaCommand(program: Command): void {
  const kafka = program
    .command('kafka')
    .description('the local Apache Kafka broker (KRaft, single node) used for development and tests');
  const withFlags = (cmd: Command) =>
    cmd
      .option('--port <n>', 'client port (env SLUICE_KAFKA_PORT)', undefined)
      .option(
        '--controller-port <n>',
        'KRaft controller port (env SLUICE_KAFKA_CONTROLLER_PORT; default port + 1)',
      )
      .option('--data-dir <dir>', "the broker's folder: data, logs, pid (env SLUICE_KAFKA_DIR)");

  withFlags(
    kafka
      .command('start')
      .description('fetch (once), format (once) and start the broker; wait until it serves'),
  ).action(async (flags: KafkaFlags) => {
    process.exitCode = await guarded(async () => {
      const broker = brokerFrom(flags);
      const began = Date.now();
      const { alreadyRunning, pid } = await broker.start(say);
      if (alreadyRunning)
        say(`Kafka is already running at ${broker.bootstrapServers} (pid ${pid}); nothing to do`);
      else
        say(
          `Kafka is ready at ${broker.bootstrapServers} (pid ${pid}) after ${((Date.now() - began) / 1000).toFixed(1)}s; log: ${broker.logFile}`,
        );
      return 0;
    });
  });

  withFlags(kafka.command('stop').description('stop the broker cleanly')).action(
    async (flags: KafkaFlags) => {
      process.exitCode = await guarded(async () => {
        const broker = brokerFrom(flags);
        say(
          (await broker.stop())
            ? `Kafka at ${broker.bootstrapServers} stopped`
            : `Kafka at ${broker.bootstrapServers} was not running`,
        );
        return 0;
      });
    },
  );

  withFlags(kafka.command('status').description('report whether the broker runs and serves')).action(
    async (flags: KafkaFlags) => {
      process.exitCode = await guarded(async () => {
        const broker = brokerFrom(flags);
        const status = await broker.status();
        switch (status.state) {
          case 'running':
            say(`running: Kafka at ${broker.bootstrapServers} (pid ${status.pid}); log: ${broker.logFile}`);
            return 0;
          case 'starting':
            say(
              `starting: pid ${status.pid} runs but does not serve ${broker.bootstrapServers} yet; log: ${broker.logFile}`,
            );
            return 3;
          case 'stopped':
            say(`stopped: no broker at ${broker.bootstrapServers}`);
            return 3;
          case 'dead':
            say(`dead: the broker (pid ${status.pid}) is gone without being stopped; see ${broker.logFile}`);
            return 1;
          case 'foreign':
            say(`foreign: a Kafka broker that this checkout did not start serves ${broker.bootstrapServers}`);
            return 0;
        }
      });
    },
  );
}

async function guarded(action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sluice kafka: ${message}\n`);
    return 1;
  }
}
