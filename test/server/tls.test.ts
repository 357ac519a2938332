import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import { buildServer } from '../../server/app.js';
import { ServerCommandError, tlsOf } from '../../server/main.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
const keyPath = join(dir, 'key.pem');
const certPath = join(dir, 'cert.pem');
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ],
  { stdio: 'ignore' },
);

const engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
const app = buildServer({ engine, tls: tlsOf({ tlsKey: keyPath, tlsCert: certPath })! });
let port = 0;

beforeAll(async () => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  await engine.close();
});

function get(path: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', ...(ca === undefined ? {} : { ca }) },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the server over TLS', () => {
  it('answers HTTPS with the configured certificate', async () => {
    const info = await get('/info', readFileSync(certPath));
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body).KsqlServerInfo.version).toBe('0.29.0');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(get('/info')).rejects.toThrow(/self.signed|certificate/i);
  });

  it('needs both --tls-key and --tls-cert, and files it can read', () => {
    expect(tlsOf({})).toBeUndefined();
    expect(() => tlsOf({ tlsKey: keyPath })).toThrow(ServerCommandError);
    expect(() => tlsOf({ tlsKey: join(dir, 'missing.pem'), tlsCert: certPath })).toThrow(
      /cannot read the TLS key/,
    );
  });
});
