/**
 * `sluice repl`: the shell against a running server. With -e or -f the statements run and
 * the process exits (1 when one failed); otherwise the interactive shell starts.
 */
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { HttpClient, type SluiceClient } from './http-client.js';
import type { OutputFormat } from './render.js';
import { runScript, ShellSession, startShell } from './shell.js';

export interface ReplFlags {
  readonly server: string;
  readonly execute?: string;
  readonly file?: string;
  readonly output?: string;
  /** `name=value` session variables. */
  readonly define?: readonly string[];
  readonly history?: string;
}

export interface ReplIo {
  readonly input: Readable;
  readonly output: Writable;
  readonly errors: Writable;
  /** The Sluice version, for the banner. */
  readonly version: string;
  /** Talks to this client instead of HTTP to flags.server (an in-process engine, tests). */
  readonly client?: SluiceClient;
}

function formatOf(text: string | undefined): OutputFormat | undefined {
  if (text === undefined) return 'TABULAR';
  const upper = text.toUpperCase();
  return upper === 'JSON' || upper === 'TABULAR' ? upper : undefined;
}

/** Runs `sluice repl`; returns the exit code. */
export async function runRepl(flags: ReplFlags, io: ReplIo): Promise<number> {
  const format = formatOf(flags.output);
  if (format === undefined) {
    io.errors.write(`sluice repl: --output must be JSON or TABULAR, got '${flags.output}'\n`);
    return 1;
  }
  const variables: Record<string, string> = {};
  for (const definition of flags.define ?? []) {
    const eq = definition.indexOf('=');
    const name = eq < 0 ? '' : definition.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      io.errors.write(`sluice repl: --define takes name=value, got '${definition}'\n`);
      return 1;
    }
    variables[name] = definition.slice(eq + 1);
  }
  const client = io.client ?? new HttpClient(flags.server);
  const session = new ShellSession({ client, output: io.output, format, variables });

  if (flags.execute !== undefined || flags.file !== undefined) {
    let text = flags.execute ?? '';
    if (flags.file !== undefined) {
      try {
        text = await readFile(flags.file, 'utf8');
      } catch (err) {
        io.errors.write(`sluice repl: cannot read ${flags.file}: ${(err as Error).message}\n`);
        return 1;
      }
    }
    return runScript(session, text, io.errors);
  }

  try {
    const info = await client.info();
    io.output.write(
      `Sluice ${io.version}, server v${info.version} located at ${client.url}\n` +
        `Server Status: ${info.serverStatus ?? 'unknown'}\n\n` +
        "Type 'help' for the shell's commands, EXIT or Ctrl-D to leave.\n\n",
    );
  } catch (err) {
    io.errors.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const shell = startShell({
    session,
    input: io.input,
    output: io.output,
    handleSignals: io.input === process.stdin,
    ...(flags.history === undefined ? {} : { historyPath: flags.history }),
  });
  await shell.closed;
  return 0;
}
