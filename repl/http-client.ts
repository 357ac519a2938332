/**
 * The REPL's view of a Sluice server: ksqlDB's REST API (/ksql, /query-stream, /close-query,
 * /info) over Node's built-in fetch. The shell only talks to a `SluiceClient`, so an
 * in-process client can stand in for this one.
 */

/** One entity of a /ksql answer; `@type` says which. */
export interface Entity {
  readonly '@type': string;
  readonly [field: string]: unknown;
}

/** ksqlDB's error body (`generic_error` / `statement_error`). */
export interface ErrorEntity extends Entity {
  readonly error_code: number;
  readonly message: string;
}

export type KsqlResult =
  | { readonly ok: true; readonly entities: readonly Entity[] }
  | { readonly ok: false; readonly error: ErrorEntity };

/** What every request carries from the session: SET properties and DEFINE variables. */
export interface RequestSession {
  readonly properties?: Readonly<Record<string, string>>;
  readonly variables?: Readonly<Record<string, string>>;
}

export interface QueryHeader {
  readonly queryId: string | undefined;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

export type QueryOutcome =
  /** The server ended the stream (a LIMIT was reached, or the query completed). */
  | { readonly kind: 'ended'; readonly queryId: string | undefined }
  /** The caller aborted it; the query was closed on the server. */
  | { readonly kind: 'closed'; readonly queryId: string | undefined }
  | { readonly kind: 'error'; readonly error: ErrorEntity };

export interface QueryCallbacks {
  readonly onHeader: (header: QueryHeader) => void;
  readonly onRow: (row: readonly unknown[]) => void;
}

export interface ServerInfo {
  readonly version: string;
  readonly kafkaClusterId?: string;
  readonly ksqlServiceId?: string;
  readonly serverStatus?: string;
}

export interface SluiceClient {
  readonly url: string;
  ksql(text: string, session?: RequestSession): Promise<KsqlResult>;
  streamQuery(
    sql: string,
    callbacks: QueryCallbacks,
    signal?: AbortSignal,
    session?: RequestSession,
  ): Promise<QueryOutcome>;
  closeQuery(queryId: string): Promise<void>;
  /** PRINT over /query: each text line as it arrives, until the topic ends or `signal` aborts. */
  printTopic?(
    text: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
    session?: RequestSession,
  ): Promise<QueryOutcome>;
  /** Whether the server lets a session override the property; the error says why not. */
  checkProperty(name: string): Promise<ErrorEntity | undefined>;
  info(): Promise<ServerInfo>;
}

/** The server could not be reached at all (refused, DNS, reset before an answer). */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
  constructor(url: string, reason: string) {
    super(`Could not reach the Sluice server at ${url}: ${reason}`);
  }
}

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' && !cause.message.includes(code)
        ? `${code} ${cause.message}`
        : cause.message;
    }
    return err.message;
  }
  return String(err);
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

function isErrorEntity(value: unknown): value is ErrorEntity {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { error_code?: unknown }).error_code === 'number'
  );
}

/** An answer that is not ksqlDB's error shape, named by its status and body. */
function errorOf(status: number, body: string): ErrorEntity {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isErrorEntity(parsed)) return parsed;
  } catch {
    // Not JSON: reported as text below.
  }
  return {
    '@type': 'generic_error',
    error_code: status * 100,
    message: `The server answered ${status}${body.trim() === '' ? '' : `: ${body.trim()}`}`,
  };
}

export class HttpClient implements SluiceClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  private async post(path: string, body: unknown, accept: string, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify(body),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ServerUnreachableError(this.url, reasonOf(err));
    }
  }

  async ksql(text: string, session: RequestSession = {}): Promise<KsqlResult> {
    const res = await this.post(
      '/ksql',
      { ksql: text, streamsProperties: session.properties ?? {}, sessionVariables: session.variables ?? {} },
      'application/json',
    );
    const body = await res.text();
    if (!res.ok) return { ok: false, error: errorOf(res.status, body) };
    const parsed: unknown = JSON.parse(body);
    if (!Array.isArray(parsed)) return { ok: false, error: errorOf(res.status, body) };
    return { ok: true, entities: parsed as Entity[] };
  }

  async streamQuery(
    sql: string,
    callbacks: QueryCallbacks,
    signal?: AbortSignal,
    session: RequestSession = {},
  ): Promise<QueryOutcome> {
    let queryId: string | undefined;
    let res: Response;
    try {
      res = await this.post(
        '/query-stream',
        { sql, properties: session.properties ?? {}, sessionVariables: session.variables ?? {} },
        DELIMITED,
        signal,
      );
    } catch (err) {
      if (isAbort(err)) return { kind: 'closed', queryId };
      throw err;
    }
    if (!res.ok || res.body === null) return { kind: 'error', error: errorOf(res.status, await res.text()) };

    const decoder = new TextDecoder();
    let pending = '';
    let error: ErrorEntity | undefined;
    const onLine = (line: string) => {
      if (line.trim() === '') return;
      const value: unknown = JSON.parse(line);
      if (Array.isArray(value)) callbacks.onRow(value);
      else if (isErrorEntity(value)) error = value;
      else if (typeof value === 'object' && value !== null && 'columnNames' in value) {
        const header = value as { queryId?: unknown; columnNames?: unknown; columnTypes?: unknown };
        queryId = typeof header.queryId === 'string' ? header.queryId : undefined;
        callbacks.onHeader({
          queryId,
          columnNames: Array.isArray(header.columnNames) ? header.columnNames.map(String) : [],
          columnTypes: Array.isArray(header.columnTypes) ? header.columnTypes.map(String) : [],
        });
      }
    };
    try {
      for await (const chunk of res.body) {
        pending += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          onLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
      }
      onLine(pending + decoder.decode());
    } catch (err) {
      if (!isAbort(err) && !signal?.aborted) throw new ServerUnreachableError(this.url, reasonOf(err));
      if (queryId !== undefined) await this.closeQuery(queryId).catch(() => undefined);
      return { kind: 'closed', queryId };
    }
    if (error !== undefined) return { kind: 'error', error };
    return { kind: 'ended', queryId };
  }

  async printTopic(
    text: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
    session: RequestSession = {},
  ): Promise<QueryOutcome> {
    let res: Response;
    try {
      res = await this.post(
        '/query',
        {
          ksql: text,
          streamsProperties: session.properties ?? {},
          sessionVariables: session.variables ?? {},
        },
        'application/json',
        signal,
      );
    } catch (err) {
      if (isAbort(err)) return { kind: 'closed', queryId: undefined };
      throw err;
    }
    if (!res.ok || res.body === null) return { kind: 'error', error: errorOf(res.status, await res.text()) };
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of res.body) {
        pending += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const line = pending.slice(0, newline);
          if (line.trim() !== '') onLine(line);
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
      }
      if (pending.trim() !== '') onLine(pending);
    } catch (err) {
      if (!isAbort(err) && !signal?.aborted) throw new ServerUnreachableError(this.url, reasonOf(err));
      return { kind: 'closed', queryId: undefined };
    }
    return { kind: 'ended', queryId: undefined };
  }

  /** Closes a push query; an id the server no longer knows (it ended already) is not an error. */
  async closeQuery(queryId: string): Promise<void> {
    const res = await this.post('/close-query', { queryId }, 'application/json');
    await res.text();
  }

  private async get(path: string): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, { headers: { accept: 'application/json' } });
    } catch (err) {
      throw new ServerUnreachableError(this.url, reasonOf(err));
    }
  }

  async checkProperty(name: string): Promise<ErrorEntity | undefined> {
    const res = await this.get(`/is_valid_property/${encodeURIComponent(name)}`);
    const body = await res.text();
    return res.ok ? undefined : errorOf(res.status, body);
  }

  async info(): Promise<ServerInfo> {
    const res = await this.get('/info');
    const body = await res.text();
    if (!res.ok) throw new Error(errorOf(res.status, body).message);
    const parsed = JSON.parse(body) as { KsqlServerInfo?: ServerInfo };
    if (parsed.KsqlServerInfo === undefined) throw new Error(`Unexpected /info answer: ${body}`);
    return parsed.KsqlServerInfo;
  }
}
