/**
 * The shell: statements typed (or given with -e / -f) run against a `SluiceClient`. Lines
 * accumulate until a statement is complete; consecutive non-query statements go to /ksql in
 * one request, SELECT to /query-stream with rows printed as they arrive; SET/UNSET and
 * DEFINE/UNDEFINE stay in the session and travel with every request. Ctrl-C while a query
 * runs closes it and returns to the prompt.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import repl, { type REPLServer } from 'node:repl';
import type { Readable, Writable } from 'node:stream';
import { completionsAfter, endsWithCompleteStatement, splitStatements } from '../parser/index.js';
import type { Entity, ErrorEntity, SluiceClient } from './http-client.js';
import { type OutputFormat, RowPrinter, renderEntities, renderError } from './render.js';

export const PROMPT = 'sluice> ';

/** A command of the shell itself; like the ksql CLI's, it may omit the `;`. */
type ShellCommand =
  | { kind: 'exit' }
  | { kind: 'output'; format: OutputFormat | undefined }
  | { kind: 'help' }
  | { kind: 'runScript'; path: string }
  | { kind: 'spool'; path: string | undefined };

const RUN_SCRIPT = /^\s*RUN\s+SCRIPT\s+(?:'((?:[^']|'')*)'|(\S+?))\s*;?\s*$/is;
const SPOOL = /^\s*SPOOL\s+(?:'((?:[^']|'')*)'|(\S+?))\s*;?\s*$/is;

function shellCommandOf(text: string): ShellCommand | undefined {
  const script = RUN_SCRIPT.exec(text);
  if (script) return { kind: 'runScript', path: script[1]?.replace(/''/g, "'") ?? script[2] ?? '' };
  const spool = SPOOL.exec(text);
  if (spool) {
    const path = spool[1]?.replace(/''/g, "'") ?? spool[2] ?? '';
    return { kind: 'spool', path: spool[1] === undefined && path.toUpperCase() === 'OFF' ? undefined : path };
  }
  const words = text.trim().replace(/;$/, '').trim().split(/\s+/);
  const [first = '', second, third] = words.map((w) => w.toUpperCase());
  if ((first === 'EXIT' || first === 'QUIT') && second === undefined) return { kind: 'exit' };
  if (first === 'HELP' && second === undefined) return { kind: 'help' };
  if (first === 'OUTPUT' && third === undefined) {
    if (second === undefined) return { kind: 'output', format: undefined };
    if (second === 'JSON' || second === 'TABULAR') return { kind: 'output', format: second };
  }
  return undefined;
}

/** Whether a buffer of typed lines is ready to run: blank, a shell command, or ending in a whole statement. */
export function isCompleteInput(text: string): boolean {
  return text.trim() === '' || shellCommandOf(text) !== undefined || endsWithCompleteStatement(text);
}

/** Collects typed lines until they hold complete input, then hands the text over. */
export class StatementBuffer {
  private lines: string[] = [];

  /** Adds a line; returns the buffered text when it is complete (and empties the buffer). */
  push(line: string): string | undefined {
    this.lines.push(line);
    const text = this.lines.join('\n');
    if (!isCompleteInput(text)) return undefined;
    this.lines = [];
    return text;
  }

  /** Empties the buffer, returning what it held. */
  drain(): string {
    const text = this.lines.join('\n');
    this.lines = [];
    return text;
  }

  get pending(): boolean {
    return this.lines.length > 0;
  }
}

const STRING = `'((?:[^']|'')*)'`;
const unquote = (s: string) => s.replace(/''/g, "'");

type Statement =
  | { kind: 'query'; text: string }
  | { kind: 'print'; text: string }
  | { kind: 'set'; name: string; value: string }
  | { kind: 'unset'; name: string }
  | { kind: 'define'; name: string; value: string }
  | { kind: 'undefine'; name: string }
  | { kind: 'other'; text: string };

function withoutLeadingComments(text: string): string {
  let rest = text.trimStart();
  for (;;) {
    if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      rest = end < 0 ? '' : rest.slice(end + 1).trimStart();
    } else if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/');
      rest = end < 0 ? '' : rest.slice(end + 2).trimStart();
    } else return rest;
  }
}

const SET = new RegExp(`^SET\\s+${STRING}\\s*=\\s*${STRING}\\s*;?\\s*$`, 'is');
const UNSET = new RegExp(`^UNSET\\s+${STRING}\\s*;?\\s*$`, 'is');
const DEFINE = new RegExp(`^DEFINE\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*${STRING}\\s*;?\\s*$`, 'is');
const UNDEFINE = /^UNDEFINE\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/is;

/** What the shell does with one statement; a SET or DEFINE it cannot read goes to the server as written. */
function classify(text: string): Statement {
  const body = withoutLeadingComments(text);
  const first = /^[A-Za-z]+/.exec(body)?.[0].toUpperCase();
  if (first === 'SELECT') return { kind: 'query', text };
  if (first === 'PRINT') return { kind: 'print', text };
  const set = SET.exec(body);
  if (set) return { kind: 'set', name: unquote(set[1] ?? ''), value: unquote(set[2] ?? '') };
  const unset = UNSET.exec(body);
  if (unset) return { kind: 'unset', name: unquote(unset[1] ?? '') };
  const define = DEFINE.exec(body);
  if (define) return { kind: 'define', name: define[1] ?? '', value: unquote(define[2] ?? '') };
  const undefine = UNDEFINE.exec(body);
  if (undefine) return { kind: 'undefine', name: undefine[1] ?? '' };
  return { kind: 'other', text };
}

const HELP = `Statements end with ';' and may span several lines; they run against the server.
  SELECT ... EMIT CHANGES;       a push query: rows print as they arrive, Ctrl-C stops it
  SET 'name'='value'; UNSET      session properties, sent with every request
  DEFINE name = 'value'; UNDEFINE   session variables for \${name}
  PRINT 'topic' [FROM BEGINNING]; a topic's records as they arrive, Ctrl-C stops it
  RUN SCRIPT 'file.sql'          run the statements of a file
  SPOOL file | SPOOL OFF         copy what you type and what is printed to a file
  OUTPUT [JSON|TABULAR]          show or change the output format
  EXIT | QUIT                    leave (Ctrl-D too)
`;

export interface SessionOptions {
  readonly client: SluiceClient;
  readonly output: Writable;
  readonly format?: OutputFormat;
  readonly variables?: Readonly<Record<string, string>>;
}

/** What one shell has set for itself, and the statements it runs. */
export class ShellSession {
  readonly client: SluiceClient;
  format: OutputFormat;
  readonly properties: Record<string, string> = {};
  readonly variables: Record<string, string>;
  private readonly output: Writable;
  private running: AbortController | undefined;
  /** Set by EXIT/QUIT. */
  exitRequested = false;
  /** Where SPOOL copies input and output, while on. */
  private spool: { path: string; fd: number } | undefined;
  /** The streams and tables last seen, for completion. */
  sourceNames: readonly string[] = [];

  constructor(options: SessionOptions) {
    this.client = options.client;
    this.output = options.output;
    this.format = options.format ?? 'TABULAR';
    this.variables = { ...options.variables };
  }

  write(text: string): void {
    this.output.write(text);
    if (this.spool !== undefined) writeSync(this.spool.fd, text);
  }

  /** Asks the server for its streams and tables (for completion); the old names stay when it cannot answer. */
  async refreshSourceNames(): Promise<void> {
    try {
      const result = await this.client.ksql('SHOW STREAMS; SHOW TABLES;', this.session());
      if (!result.ok) return;
      const names: string[] = [];
      for (const entity of result.entities) {
        for (const list of [entity.streams, entity.tables]) {
          if (!Array.isArray(list)) continue;
          for (const source of list) {
            const name = (source as { name?: unknown }).name;
            if (typeof name === 'string') names.push(name);
          }
        }
      }
      this.sourceNames = names.sort();
    } catch {
      // The server is away: completion offers the names it knew.
    }
  }

  /** Ends SPOOL, if on. */
  stopSpool(): void {
    if (this.spool === undefined) return;
    closeSync(this.spool.fd);
    this.spool = undefined;
  }

  /** Closes the running push query, if any; true when there was one. */
  interrupt(): boolean {
    if (this.running === undefined || this.running.signal.aborted) return false;
    this.running.abort();
    return true;
  }

  get queryRunning(): boolean {
    return this.running !== undefined;
  }

  private session() {
    return { properties: this.properties, variables: this.variables };
  }

  /** Runs complete input (statements or a shell command); false when something failed. */
  async run(text: string): Promise<boolean> {
    if (text.trim() === '') return true;
    if (this.spool !== undefined) writeSync(this.spool.fd, `${PROMPT}${text.trim()}\n`);
    const command = shellCommandOf(text);
    if (command !== undefined) return this.runCommand(command);
    const statements = splitStatements(text).map((s) => classify(s.text));
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return true;
      const texts = batch;
      batch = [];
      return this.runKsql(texts.join('\n'));
    };
    for (const statement of statements) {
      if (statement.kind === 'other') {
        batch.push(statement.text);
        continue;
      }
      if (!(await flush())) return false;
      if (!(await this.runOne(statement))) return false;
    }
    return flush();
  }

  private async runCommand(command: ShellCommand): Promise<boolean> {
    switch (command.kind) {
      case 'runScript': {
        let script: string;
        try {
          script = await readFile(command.path, 'utf8');
        } catch (err) {
          this.write(`Cannot read the script ${command.path}: ${(err as Error).message}\n`);
          return false;
        }
        return (await runLines(this, script)) === 0;
      }
      case 'spool':
        if (command.path === undefined) {
          if (this.spool === undefined) this.write('Spooling is not on.\n');
          else {
            const path = this.spool.path;
            this.stopSpool();
            this.write(`Spool ${path} closed.\n`);
          }
          return true;
        }
        this.stopSpool();
        try {
          this.spool = { path: command.path, fd: openSync(command.path, 'a') };
        } catch (err) {
          this.write(`Cannot spool to ${command.path}: ${(err as Error).message}\n`);
          return false;
        }
        this.write(`Session will be spooled to ${command.path}\n`);
        return true;
      case 'exit':
        this.exitRequested = true;
        return true;
      case 'help':
        this.write(HELP);
        return true;
      case 'output':
        if (command.format === undefined) this.write(`Output format: ${this.format}\n`);
        else this.format = command.format;
        return true;
    }
  }

  private async runOne(statement: Exclude<Statement, { kind: 'other' }>): Promise<boolean> {
    switch (statement.kind) {
      case 'query':
        return this.runQuery(statement.text);
      case 'print':
        return this.runPrint(statement.text);
      case 'set': {
        const refused = await this.client.checkProperty(statement.name);
        if (refused !== undefined) return this.fail(refused);
        this.properties[statement.name] = statement.value;
        this.write(
          `Successfully changed local property '${statement.name}' to '${statement.value}'. ` +
            'Use the UNSET command to revert your change.\n',
        );
        return true;
      }
      case 'unset': {
        const old = this.properties[statement.name];
        if (old === undefined) {
          this.write(`Local property '${statement.name}' is not set.\n`);
          return true;
        }
        delete this.properties[statement.name];
        this.write(`Successfully unset local property '${statement.name}' (value was '${old}').\n`);
        return true;
      }
      case 'define':
        this.variables[statement.name] = statement.value;
        return true;
      case 'undefine':
        delete this.variables[statement.name];
        return true;
    }
  }

  private fail(error: ErrorEntity): false {
    const before = Array.isArray(error.entities) ? (error.entities as Entity[]) : [];
    if (before.length > 0) this.write(renderEntities(before, this.format));
    this.write(renderError(error, this.format));
    return false;
  }

  private async runKsql(text: string): Promise<boolean> {
    const result = await this.client.ksql(text, this.session());
    if (!result.ok) return this.fail(result.error);
    if (result.entities.length > 0) this.write(renderEntities(result.entities, this.format));
    return true;
  }

  private async runPrint(text: string): Promise<boolean> {
    if (this.client.printTopic === undefined) {
      this.write('PRINT is not supported by this client.\n');
      return false;
    }
    const controller = new AbortController();
    this.running = controller;
    try {
      const outcome = await this.client.printTopic(
        text,
        (line) => this.write(`${line}\n`),
        controller.signal,
        this.session(),
      );
      if (outcome.kind === 'error') return this.fail(outcome.error);
      this.write('Topic printing ceased\n');
      return true;
    } finally {
      this.running = undefined;
    }
  }

  private async runQuery(sql: string): Promise<boolean> {
    const controller = new AbortController();
    this.running = controller;
    let printer: RowPrinter | undefined;
    const json = this.format === 'JSON';
    try {
      const outcome = await this.client.streamQuery(
        sql,
        {
          onHeader: (header) => {
            printer = new RowPrinter(header.columnNames);
            this.write(json ? `${JSON.stringify(header)}\n` : printer.header());
          },
          onRow: (row) => {
            this.write(json ? `${JSON.stringify(row)}\n` : (printer ?? new RowPrinter([])).row(row));
          },
        },
        controller.signal,
        this.session(),
      );
      if (outcome.kind === 'error') return this.fail(outcome.error);
      this.write('Query terminated\n');
      return true;
    } finally {
      this.running = undefined;
    }
  }
}

/** Runs the lines of a script as if typed; stops at the first failure. Returns the exit code. */
async function runLines(session: ShellSession, text: string): Promise<number> {
  // Line by line, as if typed, so shell commands (OUTPUT JSON, EXIT) may omit their `;`.
  const buffer = new StatementBuffer();
  for (const line of text.split(/\r?\n/)) {
    const input = buffer.push(line);
    if (input !== undefined && !(await session.run(input))) return 1;
    if (session.exitRequested) return 0;
  }
  // The last statement may omit its `;`.
  const rest = buffer.push('');
  if (rest === undefined) return (await session.run(buffer.drain())) ? 0 : 1;
  return (await session.run(rest)) ? 0 : 1;
}

/** Runs statements without a prompt (-e / -f); stops at the first failure. Returns the exit code. */
export async function runScript(session: ShellSession, text: string, errors: Writable): Promise<number> {
  try {
    return await runLines(session, text);
  } catch (err) {
    errors.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * Tab completion: the keywords the grammar allows after the text before the word being
 * typed, in the case the user types in, and the names of streams and tables where a name may
 * come.
 */
export function completeLine(line: string, sourceNames: readonly string[] = []): [string[], string] {
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(line)?.[0] ?? '';
  const { keywords, name } = completionsAfter(line.slice(0, line.length - word.length));
  const upper = word.toUpperCase();
  const lower = word !== '' && word === word.toLowerCase();
  const hits = keywords.filter((k) => k.startsWith(upper)).map((k) => (lower ? k.toLowerCase() : k));
  if (name) for (const source of sourceNames) if (source.toUpperCase().startsWith(upper)) hits.push(source);
  return [hits, word];
}

export function defaultHistoryPath(): string {
  return join(homedir(), '.sluice_history');
}

export interface ShellOptions {
  readonly session: ShellSession;
  readonly input: Readable;
  readonly output: Writable;
  /** Whether input is a terminal (line editing, history, Ctrl-C as a key). Default: input.isTTY. */
  readonly terminal?: boolean;
  /** Where history persists; '' keeps none. Default ~/.sluice_history. */
  readonly historyPath?: string;
  /** Whether SIGINT sent to the process (Ctrl-C when input is not a terminal) stops the running query. */
  readonly handleSignals?: boolean;
}

export interface RunningShell {
  readonly server: REPLServer;
  /** Settles when the shell ends (EXIT, QUIT, Ctrl-D, end of input). */
  readonly closed: Promise<void>;
}

/** The interactive shell on node:repl. */
export function startShell(options: ShellOptions): RunningShell {
  const { session } = options;
  const terminal = options.terminal ?? Boolean((options.input as { isTTY?: boolean }).isTTY);
  let queue: Promise<unknown> = Promise.resolve();
  const server = repl.start({
    prompt: PROMPT,
    input: options.input,
    output: options.output,
    terminal,
    ignoreUndefined: true,
    completer: (line: string) => completeLine(line, session.sourceNames),
    eval: (cmd, _context, _file, callback) => {
      if (!isCompleteInput(cmd)) {
        callback(new repl.Recoverable(new Error('incomplete statement')), undefined);
        return;
      }
      const turn = queue.then(async () => {
        // While a query runs, Ctrl-C closes it instead of clearing the line.
        const sigintListeners = server.listeners('SIGINT') as ((...args: unknown[]) => void)[];
        server.removeAllListeners('SIGINT');
        server.on('SIGINT', () => {
          if (session.interrupt()) options.output.write('\n');
        });
        try {
          await session.run(cmd);
        } catch (err) {
          session.write(`${err instanceof Error ? err.message : String(err)}\n`);
        } finally {
          server.removeAllListeners('SIGINT');
          for (const listener of sigintListeners) server.on('SIGINT', listener);
        }
        if (session.exitRequested) server.close();
        else void session.refreshSourceNames();
      });
      queue = turn;
      turn.then(
        // After EXIT there is no prompt to show again.
        () => (session.exitRequested ? undefined : callback(null, undefined)),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), undefined),
      );
    },
  });
  // Without a terminal, Ctrl-C arrives as a signal, not a key: it stops the running query,
  // or, with none running, ends the shell.
  const onSignal = () => {
    if (!session.interrupt()) server.close();
  };
  if (!terminal && options.handleSignals === true) process.on('SIGINT', onSignal);
  // Input may end while statements piped in before it still run: the shell ends after them.
  const closed = new Promise<void>((resolve) => server.once('exit', () => resolve())).then(async () => {
    await queue.catch(() => undefined);
    process.off('SIGINT', onSignal);
    session.stopSpool();
  });
  void session.refreshSourceNames();
  const historyPath = options.historyPath ?? defaultHistoryPath();
  if (historyPath !== '' && terminal)
    server.setupHistory(historyPath, (err) => {
      if (err) options.output.write(`History is not kept: ${err.message}\n`);
    });
  return { server, closed };
}
