/**
 * A byte stream over an async iterator of text chunks, which fastify pipes to a streaming
 * response. Unlike `Readable.from`, destroying it (the client went away) runs `onClose` at
 * once rather than after the iterator's pending `next()` settles: a push query waiting for
 * its next record must be closed now, so its consumer leaves the group.
 */
import { Readable } from 'node:stream';

export interface ChunkStreamOptions {
  /** Runs once, when the stream has ended or been destroyed. */
  readonly onClose: () => Promise<void>;
  /**
   * Written whenever no chunk came for `intervalMs`. ksqlDB's /query writes a bare newline so
   * idle connections stay open through proxies and a vanished client is noticed.
   */
  readonly keepAlive?: { readonly chunk: string; readonly intervalMs: number };
}

const IDLE = Symbol('idle');

export class ChunkStream extends Readable {
  private pending: Promise<IteratorResult<string>> | undefined;
  private pumping = false;

  constructor(
    private readonly chunks: AsyncIterator<string>,
    private readonly options: ChunkStreamOptions,
  ) {
    super();
  }

  override _read(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.pending === undefined) {
          this.pending = this.chunks.next();
          // Marks a rejection as handled even when the stream is gone by the time it comes.
          this.pending.catch(() => {});
        }
        const next = await this.nextOrIdle(this.pending);
        if (this.destroyed) return;
        if (next === IDLE) {
          if (!this.push(this.options.keepAlive?.chunk)) return;
          continue;
        }
        this.pending = undefined;
        if (next.done) {
          this.push(null);
          return;
        }
        if (!this.push(next.value)) return;
      }
    } catch (err) {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.pumping = false;
    }
  }

  private nextOrIdle(
    pending: Promise<IteratorResult<string>>,
  ): Promise<IteratorResult<string> | typeof IDLE> {
    const keepAlive = this.options.keepAlive;
    if (keepAlive === undefined) return pending;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<typeof IDLE>((resolve) => {
      timer = setTimeout(() => resolve(IDLE), keepAlive.intervalMs);
    });
    return Promise.race([pending, idle]).finally(() => clearTimeout(timer));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.options.onClose().then(
      () => callback(error),
      (closeError: unknown) => callback(error ?? (closeError instanceof Error ? closeError : null)),
    );
  }
}
