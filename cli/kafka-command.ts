import type { Command } from 'commander';

export function registerKafkaCommand(program: Command): void {
  program.command('kafka').description('the local Apache Kafka broker used for development');
}
