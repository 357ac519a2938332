import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/main.js';

function capture(stream: NodeJS.WriteStream): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join('') };
}

describe('sluice CLI', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints the version from package.json', async () => {
    const out = capture(process.stdout);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await run(['node', 'sluice', '--version'])).toBe(0);
    expect(out.text().trim()).toBe(pkg.version);
  });

  it('lists the subcommands in --help', async () => {
    const out = capture(process.stdout);
    expect(await run(['node', 'sluice', '--help'])).toBe(0);
    for (const sub of ['server', 'repl', 'test', 'kafka'])
      expect(out.text()).toMatch(new RegExp(`\\n\\s+${sub}\\b`));
  });

  it('rejects a bad repl output format with a one-line error', async () => {
    const err = capture(process.stderr);
    expect(await run(['node', 'sluice', 'repl', '--output', 'xml', '-e', 'SHOW STREAMS;'])).toBe(1);
    expect(err.text()).toBe("sluice repl: --output must be JSON or TABULAR, got 'xml'\n");
  });

  it('rejects a bad server port with a one-line error', async () => {
    const err = capture(process.stderr);
    expect(await run(['node', 'sluice', 'server', '--port', 'abc'])).toBe(1);
    expect(err.text()).toBe("sluice server: --port must be a port number, got 'abc'\n");
  });

  it('rejects an unknown subcommand with a non-zero exit', async () => {
    capture(process.stderr);
    expect(await run(['node', 'sluice', 'frobnicate'])).not.toBe(0);
  });

  it('rejects a bad port with a one-line error', async () => {
    const err = capture(process.stderr);
    expect(await run(['node', 'sluice', 'kafka', 'status', '--port', 'abc'])).toBe(1);
    expect(err.text()).toBe("sluice kafka: --port must be a port number, got 'abc'\n");
  });
});
