import type { CaseResult } from './runner.js';

/** Where progress goes: stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * One progress line while cases run. On a terminal it is redrawn in place, at most ten times
 * a second; elsewhere (CI logs, pipes) a plain line is written at most every `quietIntervalMs`,
 * so logs stay short.
 */
export class ProgressLine {
  private passed = 0;
  private failed = 0;
  private skipped = 0;
  private lastDrawn = 0;
  private drawnOnTerminal = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly quietIntervalMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {
    this.lastDrawn = now();
  }

  caseDone(result: CaseResult, done: number, total: number): void {
    if (result.status === 'passed') this.passed++;
    else if (result.status === 'failed') this.failed++;
    else this.skipped++;
    const now = this.now();
    const interval = this.stream.isTTY ? 100 : this.quietIntervalMs;
    if (now - this.lastDrawn < interval && done < total) return;
    this.lastDrawn = now;
    const counts = `[${done}/${total}] ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`;
    if (this.stream.isTTY) {
      const width = Math.max(20, (this.stream.columns ?? 100) - 1);
      this.stream.write(`\r\x1b[2K${`${counts}  ${result.name}`.slice(0, width)}`);
      this.drawnOnTerminal = true;
    } else if (done < total) {
      this.stream.write(`${counts}\n`);
    }
  }

  /** Clears the redrawn line so the summary starts on a clean line. */
  finish(): void {
    if (this.drawnOnTerminal) this.stream.write('\r\x1b[2K');
  }
}
