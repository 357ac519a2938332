/**
 * ksqlDB's URL functions. URLs are split with RFC 3986's regular expression, which is what
 * Java's URI accepts for the parts these functions read; text that is not a URL is an error.
 * Parameter encoding follows Java's URLEncoder (application/x-www-form-urlencoded, UTF-8).
 */
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig, strict } from './function-definition.js';

const URL_CATEGORY = 'URL';

interface UrlParts {
  readonly scheme: string | null;
  readonly userInfo: string | null;
  readonly host: string | null;
  readonly port: number | null;
  readonly path: string;
  readonly query: string | null;
  readonly fragment: string | null;
}

const URI = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

function invalidUrl(text: string): Error {
  return new Error(`URL input has invalid syntax: ${text}`);
}

/** Java's URI decoding of a component: %XX sequences as UTF-8, `+` kept. */
function decodeComponent(text: string, url: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidUrl(url);
  }
}

function parseUrl(text: string): UrlParts {
  if (/[\s"<>\\^`{|}]/.test(text)) throw invalidUrl(text);
  const m = URI.exec(text);
  if (m === null) throw invalidUrl(text);
  const [, scheme, authority, path = '', query, fragment] = m;
  let userInfo: string | null = null;
  let host: string | null = null;
  let port: number | null = null;
  if (authority !== undefined) {
    let hostPort = authority;
    const at = hostPort.lastIndexOf('@');
    if (at >= 0) {
      userInfo = hostPort.slice(0, at);
      hostPort = hostPort.slice(at + 1);
    }
    const portMatch = /^(.*):(\d*)$/.exec(hostPort);
    if (portMatch !== null && !hostPort.endsWith(']')) {
      hostPort = portMatch[1] ?? '';
      port = portMatch[2] ? Number(portMatch[2]) : null;
    }
    host = hostPort === '' ? null : hostPort;
  }
  // Like Java's URI getters, path, query and fragment come back decoded.
  return {
    scheme: scheme ?? null,
    userInfo,
    host,
    port,
    path: decodeComponent(path, text),
    query: query === undefined ? null : decodeComponent(query, text),
    fragment: fragment === undefined ? null : decodeComponent(fragment, text),
  };
}

function part(read: (url: UrlParts) => SqlValue) {
  return strict(([u]) => read(parseUrl(u as string)));
}

/** Java's URLEncoder.encode(s, UTF-8): unreserved are letters, digits and `.-*_`; space is `+`. */
export function encodeUrlParam(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

export function decodeUrlParam(s: string): string {
  return decodeURIComponent(s.replaceAll('+', ' '));
}

function queryParameter(query: string | null, name: string): string | null {
  if (query === null) return null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return null;
}

export const urlFunctions: readonly FunctionDefinition[] = [
  scalar('URL_ENCODE_PARAM', URL_CATEGORY, 'Encodes text for use as a URL query parameter.', [
    sig(
      'STRING input',
      'STRING',
      strict(([s]) => encodeUrlParam(s as string)),
    ),
  ]),
  scalar('URL_DECODE_PARAM', URL_CATEGORY, 'Decodes a URL query parameter.', [
    sig(
      'STRING input',
      'STRING',
      strict(([s]) => decodeUrlParam(s as string)),
    ),
  ]),
  scalar('URL_EXTRACT_FRAGMENT', URL_CATEGORY, 'The fragment of a URL.', [
    sig(
      'STRING input',
      'STRING',
      part((u) => u.fragment),
    ),
  ]),
  scalar('URL_EXTRACT_HOST', URL_CATEGORY, 'The host of a URL.', [
    sig(
      'STRING input',
      'STRING',
      part((u) => u.host),
    ),
  ]),
  scalar('URL_EXTRACT_PARAMETER', URL_CATEGORY, 'The value of a query parameter of a URL.', [
    sig(
      'STRING input, STRING paramToFind',
      'STRING',
      strict(([u, name]) => queryParameter(parseUrl(u as string).query, name as string)),
    ),
  ]),
  scalar('URL_EXTRACT_PATH', URL_CATEGORY, 'The path of a URL.', [
    sig(
      'STRING input',
      'STRING',
      part((u) => u.path),
    ),
  ]),
  scalar('URL_EXTRACT_PORT', URL_CATEGORY, 'The port of a URL, or null.', [
    sig(
      'STRING input',
      'INT',
      part((u) => u.port),
    ),
  ]),
  scalar('URL_EXTRACT_PROTOCOL', URL_CATEGORY, 'The protocol (scheme) of a URL, or null.', [
    sig(
      'STRING input',
      'STRING',
      part((u) => u.scheme),
    ),
  ]),
  scalar('URL_EXTRACT_QUERY', URL_CATEGORY, 'The query of a URL, decoded.', [
    sig(
      'STRING input',
      'STRING',
      part((u) => u.query),
    ),
  ]),
];
