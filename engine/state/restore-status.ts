/**
 * What the engine knows of state being restored: per owner (a persistent query, or a
 * materialized table) and store, the records restored of the total to restore. Persistent
 * queries report while they rebuild a store from its changelog topic; materialized tables
 * while they read their topic up to the end it had when they opened (all of it when the
 * state file is new, what the file does not yet cover when it is resumed).
 *
 * Each report updates the status DESCRIBE ... EXTENDED shows; a line goes to the server log
 * when a restore starts, every `lineEvery` records, and when it ends.
 */
import type { RestoreProgress } from './changelog-restore.js';

export interface RestoreStatus {
  /** The query id, or `table <name>` for a materialized table. */
  readonly owner: string;
  readonly store: string;
  readonly restored: number;
  readonly total: number;
  readonly done: boolean;
}

export class RestoreStatusBoard {
  private readonly statuses = new Map<string, RestoreStatus>();
  private readonly lastLine = new Map<string, number>();

  constructor(
    private readonly say: ((line: string) => void) | undefined,
    private readonly lineEvery = 10_000,
  ) {}

  /** A callback for one store's restore. */
  reporter(owner: string, store: string): (progress: RestoreProgress) => void {
    return (progress) => this.report(owner, store, progress);
  }

  report(owner: string, store: string, progress: RestoreProgress): void {
    const id = `${owner}\u0000${store}`;
    const done = progress.restored >= progress.total;
    this.statuses.set(id, { owner, store, restored: progress.restored, total: progress.total, done });
    const last = this.lastLine.get(id);
    const due = done
      ? last !== Number.POSITIVE_INFINITY
      : last === undefined || last === Number.POSITIVE_INFINITY || progress.restored - last >= this.lineEvery;
    if (!due) return;
    this.lastLine.set(id, done ? Number.POSITIVE_INFINITY : progress.restored);
    this.say?.(lineOf(owner, store, progress, done));
  }

  /** Every store's last status, in the order restores started. */
  all(): RestoreStatus[] {
    return [...this.statuses.values()];
  }

  /** The statuses of one owner's stores. */
  of(owner: string): RestoreStatus[] {
    return this.all().filter((s) => s.owner === owner);
  }

  /** Forgets an owner (its query was terminated, its table dropped). */
  forget(owner: string): void {
    for (const [id, status] of this.statuses) {
      if (status.owner !== owner) continue;
      this.statuses.delete(id);
      this.lastLine.delete(id);
    }
  }
}

function lineOf(owner: string, store: string, progress: RestoreProgress, done: boolean): string {
  const what = `${owner} store ${store}`;
  if (done) return `restored ${what}: ${progress.restored} of ${progress.total} records`;
  if (progress.restored === 0) return `restoring ${what}: ${progress.total} records to restore`;
  return `restoring ${what}: ${progress.restored} of ${progress.total} records`;
}

/** The status as DESCRIBE ... EXTENDED shows it in `statistics`. */
export function restoreStatistics(statuses: readonly RestoreStatus[]): string {
  return statuses
    .map(
      (s) =>
        `state-restore ${s.owner} ${s.store}: ${s.restored}/${s.total} records${s.done ? ' (restored)' : ' (restoring)'}`,
    )
    .join('\n');
}
