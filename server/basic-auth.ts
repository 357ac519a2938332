/**
 * HTTP Basic authentication against a fixed user/password map, as ksqlDB's
 * `authentication.method=BASIC` does with a JAAS realm. A missing or wrong credential is a
 * 401 with ksqlDB's error entity. Without TLS the password crosses the network in clear,
 * so use it behind a TLS-terminating proxy until the server serves TLS itself.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RestError } from './rest-errors.js';

export interface BasicAuthOptions {
  /** user name -> password */
  readonly users: Readonly<Record<string, string>>;
  /** The realm named in the WWW-Authenticate challenge. */
  readonly realm?: string;
}

/** Paths probes reach without credentials, as ksqlDB routes them before authentication. */
const OPEN_PATHS = ['/chc/live', '/chc/ready'];

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function credentialsOf(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function basicAuthHook(options: BasicAuthOptions) {
  // Compared as digests so the comparison takes the same time whatever the lengths.
  const users = new Map(Object.entries(options.users).map(([user, password]) => [user, digest(password)]));
  const challenge = `Basic realm="${(options.realm ?? 'Sluice').replaceAll('"', '')}"`;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (OPEN_PATHS.includes(request.url.split('?')[0] ?? '')) return;
    const credentials = credentialsOf(request.headers.authorization);
    const expected = credentials === undefined ? undefined : users.get(credentials.user);
    if (
      credentials !== undefined &&
      expected !== undefined &&
      timingSafeEqual(expected, digest(credentials.password))
    )
      return;
    reply.header('www-authenticate', challenge);
    throw RestError.unauthorized();
  };
}
