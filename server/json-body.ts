/**
 * Request bodies are JSON whatever their Content-Type says, as in ksqlDB (clients send
 * `application/json`, `application/vnd.ksql.v1+json` or nothing at all). A body that is not
 * JSON is a 40000 bad request naming the parser's complaint.
 */
import type { FastifyInstance } from 'fastify';
import { serverMessages } from './messages.js';
import { RestError } from './rest-errors.js';

/** Drops keys that would reach an object's prototype when a body is later merged or copied. */
function withoutPrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value)
    return undefined;
  return value;
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw RestError.badRequest(serverMessages.invalidJson('the body is empty'));
  try {
    return JSON.parse(text, withoutPrototypeKeys);
  } catch (err) {
    throw RestError.badRequest(serverMessages.invalidJson(err instanceof Error ? err.message : String(err)));
  }
}

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
