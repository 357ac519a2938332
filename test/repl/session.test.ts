import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type {
  ErrorEntity,
  KsqlResult,
  QueryCallbacks,
  QueryOutcome,
  RequestSession,
  ServerInfo,
  SluiceClient,
} from '../../repl/http-client.js';
import { ShellSession } from '../../repl/shell.js';

/** A client that records what the shell sends and answers every statement with one status. */
class RecordingClient implements SluiceClient {
  readonly url = 'http://recording';
  readonly sent: { endpoint: string; text: string; session: RequestSession }[] = [];

  async ksql(text: string, session: RequestSession = {}): Promise<KsqlResult> {
    this.sent.push({ endpoint: '/ksql', text, session: structuredClone(session) });
    return {
      ok: true,
      entities: [{ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS', message: 'done' } }],
    };
  }

  async streamQuery(
    sql: string,
    callbacks: QueryCallbacks,
    _signal?: AbortSignal,
    session: RequestSession = {},
  ): Promise<QueryOutcome> {
    this.sent.push({ endpoint: '/query-stream', text: sql, session: structuredClone(session) });
    callbacks.onHeader({ queryId: 'q1', columnNames: ['A'], columnTypes: ['INTEGER'] });
    callbacks.onRow([1]);
    return { kind: 'ended', queryId: 'q1' };
  }

  async closeQuery(): Promise<void> {}

  async checkProperty(name: string): Promise<ErrorEntity | undefined> {
    return name === 'denied'
      ? { '@type': 'generic_error', error_code: 40000, message: `Cannot override property '${name}'` }
      : undefined;
  }

  async info(): Promise<ServerInfo> {
    return { version: '0.29.0' };
  }
}

function sessionOn(client: SluiceClient): { session: ShellSession; text: () => string } {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { session: new ShellSession({ client, output }), text: () => chunks.join('') };
}

describe('the shell session', () => {
  it('sends SET properties and DEFINE variables with every request', async () => {
    const client = new RecordingClient();
    const { session } = sessionOn(client);
    expect(
      await session.run(
        "SET 'auto.offset.reset'='earliest';\nDEFINE topic = 'it''s';\nSHOW STREAMS;\nSELECT * FROM S EMIT CHANGES;",
      ),
    ).toBe(true);
    const expected = { properties: { 'auto.offset.reset': 'earliest' }, variables: { topic: "it's" } };
    expect(client.sent).toEqual([
      { endpoint: '/ksql', text: 'SHOW STREAMS;', session: expected },
      { endpoint: '/query-stream', text: 'SELECT * FROM S EMIT CHANGES;', session: expected },
    ]);
    expect(await session.run("UNSET 'auto.offset.reset'; UNDEFINE topic; SHOW TABLES;")).toBe(true);
    expect(client.sent[2]).toEqual({
      endpoint: '/ksql',
      text: 'SHOW TABLES;',
      session: { properties: {}, variables: {} },
    });
  });

  it('batches consecutive statements into one /ksql request, split by queries', async () => {
    const client = new RecordingClient();
    const { session } = sessionOn(client);
    await session.run('SHOW STREAMS; SHOW TABLES; SELECT * FROM S EMIT CHANGES; SHOW QUERIES;');
    expect(client.sent.map((s) => [s.endpoint, s.text])).toEqual([
      ['/ksql', 'SHOW STREAMS;\nSHOW TABLES;'],
      ['/query-stream', 'SELECT * FROM S EMIT CHANGES;'],
      ['/ksql', 'SHOW QUERIES;'],
    ]);
  });

  it('refuses a SET the server refuses, and sends nothing after it', async () => {
    const client = new RecordingClient();
    const { session, text } = sessionOn(client);
    expect(await session.run("SET 'denied'='x'; SHOW STREAMS;")).toBe(false);
    expect(text()).toBe("Cannot override property 'denied'\n");
    expect(client.sent).toEqual([]);
    expect(session.properties).toEqual({});
  });

  it('switches the output format and reports it', async () => {
    const client = new RecordingClient();
    const { session, text } = sessionOn(client);
    await session.run('OUTPUT JSON');
    await session.run('OUTPUT');
    expect(text()).toBe('Output format: JSON\n');
    await session.run('SHOW STREAMS;');
    expect(JSON.parse(text().slice('Output format: JSON\n'.length))).toEqual([
      { '@type': 'currentStatus', commandStatus: { status: 'SUCCESS', message: 'done' } },
    ]);
  });
});
