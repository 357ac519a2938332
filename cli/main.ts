import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { projectRoot } from '../kafka/project-paths.js';
import type { ReplFlags } from '../repl/main.js';
import { registerKafkaCommand } from './kafka-command.js';

/** The package version, read from package.json so `--version` never drifts from the release. */
export function sluiceVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description("A streaming SQL engine for Apache Kafka, speaking ksqlDB's SQL and REST API.")
    .version(sluiceVersion(), '-V, --version', 'print the Sluice version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('server')
    .description('run the REST server (ksqlDB wire-compatible)')
    .option('--config <file>', 'a properties file')
    .option('--port <n>', 'HTTP port', '8088')
    .option('--tls-key <file>', 'serve HTTPS: the PEM private key')
    .option('--tls-cert <file>', 'serve HTTPS: the PEM certificate (chain)')
    .action(async (flags: { port: string; config?: string; tlsKey?: string; tlsCert?: string }) => {
      const { ServerCommandError, serveUntilSignalled } = await import('../server/main.js');
      try {
        process.exitCode = await serveUntilSignalled(flags);
      } catch (err) {
        if (!(err instanceof ServerCommandError)) throw err;
        process.stderr.write(`sluice server: ${err.message}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('repl')
    .description('the interactive shell against a running server')
    .option('--server <url>', 'the server to talk to', 'http://localhost:8088')
    .option('-e, --execute <sql>', 'run these statements and exit')
    .option('-f, --file <path>', 'run the statements of a file and exit')
    .option(
      '-d, --define <name=value>',
      'a session variable (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--output <format>', 'JSON or TABULAR', 'TABULAR')
    .option('--history <path>', 'where the history persists (default ~/.sluice_history)')
    .action(async (flags: ReplFlags) => {
      const { runRepl } = await import('../repl/main.js');
      process.exitCode = await runRepl(flags, {
        input: process.stdin,
        output: process.stdout,
        errors: process.stderr,
        version: sluiceVersion(),
      });
    });

  program
    .command('test')
    .description("run test files in ksqlDB's QTT JSON format")
    .argument('<paths...>', 'test files or folders')
    .option('--json', 'print a JSON summary as the last line of stdout')
    .option('--filter <text>', 'only cases whose name contains the text')
    .action(async (paths: string[], opts: { json?: boolean; filter?: string }) => {
      const { runTestCommand } = await import('../testkit/cli.js');
      process.exitCode = await runTestCommand(paths, opts);
    });

  registerKafkaCommand(program);

  // Plain `sluice`: the local engine with the local broker, then the REPL.
  program.action(async () => {
    const { startLocal } = await import('./local.js');
    process.exitCode = await startLocal(sluiceVersion());
  });
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`sluice: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
