/**
 * The command topic: the catalog as a log. Every statement that changes the catalog or starts
 * a persistent query is appended here before it takes effect, and every engine sharing the
 * service id applies the log in order, its own commands included. On start an engine replays
 * the topic from the beginning, so the catalog and the persistent queries come back after a
 * restart, and several servers with one service id end up with the same catalog.
 *
 * The record key is the command id (`` stream/`ORDERS`/create ``), the value a JSON
 * `Command`; a command's offset is its sequence number, from which query ids are numbered.
 */
import { StatementError } from '../errors.js';
import type { Log, LogReader } from '../log/log.js';

export const COMMAND_TOPIC_FORMAT_VERSION = 1;

/** A command as stored in the topic. */
export interface Command {
  /** One statement, with the session variables of its request already substituted. */
  readonly statement: string;
  /** The property overrides the statement ran with (session and request), as strings. */
  readonly streamsProperties: Readonly<Record<string, string>>;
  readonly version: number;
}

export interface CommandStatus {
  readonly status: 'QUEUED' | 'EXECUTING' | 'SUCCESS' | 'ERROR';
  readonly message: string;
  readonly queryId?: string;
}

/** Applies one command; `replaying` is true while the topic is read at start. */
export type CommandApplier<R> = (command: Command, sequence: number, replaying: boolean) => Promise<R>;

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

const POLL_TIMEOUT_MS = 200;
const RETRY_MS = 1_000;
/** Outcomes nobody waits for yet are kept this long (by count): a submitter claims its own soon after appending. */
const UNCLAIMED_OUTCOMES = 1_000;

export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

export function encodeCommand(command: Command): Buffer {
  return Buffer.from(JSON.stringify(command));
}

export function decodeCommand(value: Buffer | null): Command | undefined {
  if (value === null) return undefined;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as Partial<Command>;
    if (typeof parsed.statement !== 'string') return undefined;
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.streamsProperties ?? {})) properties[k] = String(v);
    return { statement: parsed.statement, streamsProperties: properties, version: parsed.version ?? 1 };
  } catch {
    return undefined;
  }
}

export class CommandTopic<R> {
  readonly topic: string;
  /** The sequence number of the last command applied; -1 before the first. */
  private appliedSequence = -1;
  private reader: LogReader | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly outcomes = new Map<number, Outcome<R>>();
  private waiters: Array<() => void> = [];
  private readonly statuses = new Map<string, CommandStatus>();

  constructor(
    private readonly log: Log,
    serviceId: string,
    private readonly apply: CommandApplier<R>,
    private readonly statusOf: (result: R) => CommandStatus,
  ) {
    this.topic = commandTopicName(serviceId);
    this.groupId = `_sluice-${serviceId}-command-reader-${process.pid}-${Math.floor(Math.random() * 2 ** 40)}`;
  }

  private readonly groupId: string;

  get sequence(): number {
    return this.appliedSequence;
  }

  /** The status of every command applied, by command id (the last command of each id wins). */
  commandStatuses(): ReadonlyMap<string, CommandStatus> {
    return this.statuses;
  }

  /**
   * Creates the topic if need be (one partition, kept forever), replays it to its current end,
   * then follows it in the background.
   */
  async start(): Promise<void> {
    await this.log.ensureTopic(this.topic, {
      partitions: 1,
      config: { cleanupPolicy: 'delete', retentionMs: -1 },
    });
    this.reader = this.openReader();
    const end = (await this.log.endOffsets(this.topic)).find((p) => p.partition === 0)?.offset ?? 0n;
    while (BigInt(this.appliedSequence + 1) < end) {
      if ((await this.pollOnce(true)) === 0 && this.stopping) return;
    }
    this.loop = this.follow();
  }

  /** Appends a command, waits until this engine applied it, and returns what applying it gave. */
  async submit(
    commandId: string,
    command: Command,
    timeoutMs: number,
  ): Promise<{ sequence: number; result: R }> {
    const [appended] = await this.log.append(this.topic, [
      { key: Buffer.from(commandId), value: encodeCommand(command), partition: 0 },
    ]);
    const sequence = Number(appended!.offset);
    if (!(await this.waitFor(sequence, timeoutMs))) {
      throw new CommandTimeoutError(
        `Timed out while waiting for the command to be executed. command sequence number: ${sequence}`,
      );
    }
    const outcome = this.outcomes.get(sequence);
    this.outcomes.delete(sequence);
    if (outcome === undefined) throw new StatementError(`The outcome of command ${sequence} is unknown.`);
    if (!outcome.ok) throw outcome.error;
    return { sequence, result: outcome.value };
  }

  /** Resolves true once the command `sequence` has been applied, false after `timeoutMs`. */
  async waitFor(sequence: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.appliedSequence < sequence) {
      const left = deadline - Date.now();
      if (left <= 0 || this.stopping) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
    return true;
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const wake of this.waiters.splice(0)) wake();
    await this.loop?.catch(() => {});
    await this.reader?.close();
  }

  private openReader(): LogReader {
    // A group of its own that never commits: every engine reads the whole log.
    return this.log.openReader({ groupId: this.groupId, topics: [this.topic], autoOffsetReset: 'earliest' });
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.pollOnce(false);
      } catch {
        if (this.stopping) return;
        // The reader resumes after the last applied command: nothing is applied twice.
        await this.reader?.close().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        if (this.stopping) return;
        this.reader = this.openReader();
      }
    }
  }

  private async pollOnce(replaying: boolean): Promise<number> {
    const reader = this.reader;
    if (reader === undefined) return 0;
    const records = await reader.poll({ timeoutMs: POLL_TIMEOUT_MS });
    for (const record of records) {
      const sequence = Number(record.offset);
      if (sequence <= this.appliedSequence) continue;
      const commandId = record.key?.toString('utf8') ?? '';
      const command = decodeCommand(record.value);
      let outcome: Outcome<R>;
      if (command === undefined) {
        outcome = { ok: false, error: new StatementError(`Command ${sequence} cannot be read.`) };
      } else {
        try {
          outcome = { ok: true, value: await this.apply(command, sequence, replaying) };
        } catch (error) {
          outcome = { ok: false, error };
        }
      }
      this.statuses.set(
        commandId,
        outcome.ok
          ? this.statusOf(outcome.value)
          : {
              status: 'ERROR',
              message: outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
            },
      );
      if (!replaying) {
        this.outcomes.set(sequence, outcome);
        if (this.outcomes.size > UNCLAIMED_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value!);
      }
      this.appliedSequence = sequence;
      for (const wake of this.waiters.splice(0)) wake();
    }
    return records.length;
  }
}

/** A command was appended but not applied in time (ksqlDB's 503 / 50301). */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
}
