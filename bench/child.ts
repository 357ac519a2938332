/**
 * Servers under test run in a child Node process, so the load generator and the clients of the
 * benchmark do not share their event loop and their CPU time is the server's own. The child
 * sends `{ ready: ... }` once listening, answers `stats` with its CPU time and memory, and
 * exits on `stop`. See `serveChild` for the child's side.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildStats {
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface BenchChild<T> {
  readonly ready: T;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

type FromChild<T> = { ready: T } | { stats: ChildStats } | { error: string };

/** Starts `script` (a module beside this one, e.g. `./p6-server.js`) with JSON `config`. */
export async function startChild<T>(script: string, config: unknown): Promise<BenchChild<T>> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL(script, import.meta.url)),
    [JSON.stringify(config)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = () =>
    new Promise<FromChild<T>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as FromChild<T>);
      });
    });
  const first = await next();
  if ('error' in first) throw new Error(`${script}: ${first.error}`);
  if (!('ready' in first)) throw new Error(`${script} did not report ready`);
  return {
    ready: first.ready,
    async stats() {
      const reply = next();
      child.send('stats');
      const m = await reply;
      if (!('stats' in m)) throw new Error(`${script} did not report stats`);
      return m.stats;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child's side: runs `start`, reports what it returns, serves `stats` and `stop`. */
export async function serveChild<C, T>(start: (config: C) => Promise<{ ready: T; stop(): Promise<void> }>) {
  const config = JSON.parse(process.argv[2] ?? '{}') as C;
  const send = (m: FromChild<T>) => process.send!(m);
  let running: { ready: T; stop(): Promise<void> };
  try {
    running = await start(config);
  } catch (err) {
    send({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  }
  process.on('message', async (m) => {
    if (m === 'stats') {
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      send({
        stats: { cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      });
    } else if (m === 'stop') {
      await running.stop().catch(() => {});
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ ready: running.ready });
}
