import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { run } from '../../cli/main.js';
import { probeKafka } from '../../kafka/kafka-probe.js';
import { LocalKafkaBroker, localBrokerConfig } from '../../kafka/local-broker.js';

// A second broker on its own ports and folder, so the lifecycle runs beside the shared test broker.
const PORT = 29_092;
const dir = mkdtempSync(join(tmpdir(), 'sluice-broker-'));
const unavailable = inject('kafkaUnavailable');
const skip = unavailable !== null && process.env.CI !== 'true';

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const savedExitCode = process.exitCode;
  try {
    process.exitCode = undefined;
    const code = await run(['node', 'sluice', 'kafka', ...args, '--port', String(PORT), '--data-dir', dir]);
    return { code, out: lines.join('') };
  } finally {
    process.stdout.write = write;
    process.exitCode = savedExitCode;
  }
}

describe.skipIf(skip)(`sluice kafka start|status|stop (local broker on port ${PORT})`, () => {
  const broker = new LocalKafkaBroker(localBrokerConfig({ port: PORT, dir }));

  afterAll(async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs the broker fixture', () => {
    // Under CI a missing broker is a failure, not a skip.
    expect(unavailable).toBeNull();
  });

  for (const round of [1, 2]) {
    it(`starts, reports, and stops (round ${round})`, async () => {
      const started = await cli('start');
      expect(started.code).toBe(0);
      expect(started.out).toMatch(new RegExp(`Kafka is ready at localhost:${PORT}`));
      expect(await probeKafka('localhost', PORT)).toBe(true);

      const again = await cli('start');
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/already running/);

      const running = await cli('status');
      expect(running.code).toBe(0);
      expect(running.out).toMatch(/^running:/);

      const stopped = await cli('stop');
      expect(stopped.code).toBe(0);
      expect(stopped.out).toMatch(/stopped/);
      expect(await probeKafka('localhost', PORT)).toBe(false);

      const after = await cli('status');
      expect(after.code).toBe(3);
      expect(after.out).toMatch(/^stopped:/);
    }, 180_000);
  }

  it('detects a killed broker, then starts again over its data', async () => {
    await broker.start();
    const pid = Number(readFileSync(join(dir, 'broker.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !alive(pid));

    const status = await cli('status');
    expect(status.code).toBe(1);
    expect(status.out).toMatch(new RegExp(`^dead: the broker \\(pid ${pid}\\)`));

    const restarted = await cli('start');
    expect(restarted.code).toBe(0);
    expect(await probeKafka('localhost', PORT)).toBe(true);
  }, 180_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
}
