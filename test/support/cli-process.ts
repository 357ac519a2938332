/**
 * The `sluice` command as a child process, for tests that drive it as a user would. The CLI
 * is bundled from the sources first (dist/ may be stale), next to package.json's depth so
 * the CLI finds it as it does from dist/.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles cli/main.ts into a fresh directory under .cache and returns the entry script. */
export async function bundleCli(): Promise<{ entry: string; remove: () => void }> {
  const dir = join(ROOT, '.cache', `cli-${process.pid}-${Math.floor(Math.random() * 1e9)}`);
  mkdirSync(dir, { recursive: true });
  await build({
    input: join(ROOT, 'cli/main.ts'),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:/.test(id),
    output: { dir, format: 'esm' },
    logLevel: 'silent',
  });
  const entry = join(dir, 'sluice.mjs');
  writeFileSync(
    entry,
    "const { run } = await import('./main.js');\nprocess.exitCode = await run(process.argv);\n",
  );
  return { entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running `sluice` process whose output is collected as it arrives. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  private out = '';
  private listeners: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    const collect = (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
      for (const wake of this.listeners.splice(0)) wake();
    };
    this.child.stdout.on('data', collect);
    this.child.stderr.on('data', collect);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const wake of this.listeners.splice(0)) wake();
    });
  }

  /** Everything the process wrote (stdout and stderr) so far. */
  get output(): string {
    return this.out;
  }

  type(text: string): void {
    this.child.stdin.write(text);
  }

  /**
   * Waits until the output after `from` contains `expected`; returns the index after it. Fails
   * with the output so far when the process exits or `timeoutMs` passes first.
   */
  async waitFor(expected: string | RegExp, from = 0, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.out.slice(from);
      if (typeof expected === 'string') {
        const at = rest.indexOf(expected);
        if (at >= 0) return from + at + expected.length;
      } else {
        const match = expected.exec(rest);
        if (match) return from + match.index + match[0].length;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.child.exitCode !== null) {
        throw new Error(`'${String(expected)}' did not appear; the output after ${from}:\n${rest}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1_000));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.listeners.push(done);
      });
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
