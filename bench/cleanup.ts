/**
 * Things a workload leaves behind for the rest of the run (shared topics) and that the runner
 * removes at its end, whatever happened.
 */
const cleanups: (() => Promise<void>)[] = [];

export function onRunEnd(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** Runs every registered cleanup, newest first; a failing one does not stop the others. */
export async function runCleanups(log: (line: string) => void): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop()!;
    try {
      await cleanup();
    } catch (err) {
      log(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
