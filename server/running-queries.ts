/**
 * The push queries clients are reading, by id: /close-query ends one, shutting the server
 * down ends them all.
 */
import type { PushQuery } from '../engine/runtime/push-query.js';

/** Why a push query's rows ended, which decides its final message. */
export type QueryEnd = 'limit' | 'closed';

export class RunningQuery {
  private closedByServer = false;

  constructor(readonly query: PushQuery) {}

  get id(): string {
    return this.query.id;
  }

  /** Ends the query on the server's side (close-query, shutdown, the client went away). */
  async close(): Promise<void> {
    this.closedByServer = true;
    await this.query.close();
  }

  /**
   * A push query's rows end on their own only when its LIMIT is reached; otherwise the
   * server closed it. (The Engine's PushQuery does not say which; see server/README.md.)
   */
  get end(): QueryEnd {
    if (this.closedByServer) return 'closed';
    if (this.query.pull === 'stream') return this.query.limitReached?.() === true ? 'limit' : 'closed';
    return 'limit';
  }

  /** A pull query over a table: its rows end with the response, without a final message. */
  get completes(): boolean {
    return this.query.pull === 'table';
  }
}

export class RunningQueries {
  private readonly byId = new Map<string, RunningQuery>();
  private starting = 0;

  /**
   * Holds a place for a query about to start, so concurrent requests cannot overshoot the
   * limit; false when `limit` queries are running or starting. `release()` gives it back.
   */
  reserve(limit: number): boolean {
    if (this.byId.size + this.starting >= limit) return false;
    this.starting++;
    return true;
  }

  release(): void {
    this.starting--;
  }

  add(query: PushQuery): RunningQuery {
    const running = new RunningQuery(query);
    this.byId.set(running.id, running);
    return running;
  }

  /** Closes and forgets the query; false when there is no query with that id. */
  async close(id: string): Promise<boolean> {
    const running = this.byId.get(id);
    if (running === undefined) return false;
    this.byId.delete(id);
    await running.close();
    return true;
  }

  /** Forgets a query whose rows have ended. */
  remove(id: string): void {
    this.byId.delete(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.byId.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.byId.keys()];
    await Promise.all(all.map((id) => this.close(id)));
  }
}
