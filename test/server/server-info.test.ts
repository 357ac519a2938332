import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from '../../engine/log/log.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import { buildServer } from '../../server/app.js';
import { json, type TestServer, testServer } from './support.js';

describe('server information routes', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('GET /info answers a ServerInfo whose version the ksql CLI accepts', async () => {
    server = testServer({ kafkaClusterId: 'cluster-1', serviceId: 'sluice_' });
    const response = await server.app.inject({ method: 'GET', url: '/info' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      KsqlServerInfo: {
        version: '0.29.0',
        kafkaClusterId: 'cluster-1',
        ksqlServiceId: 'sluice_',
        serverStatus: 'RUNNING',
      },
    });
    // The CLI's check: v?(\d+)\.(\d+)\..* and at least 0.10.
    const [, major, minor] = /^v?(\d+)\.(\d+)\..*/.exec('0.29.0') ?? [];
    expect(Number(major) > 0 || Number(minor) >= 10).toBe(true);
  });

  it('GET / redirects to /info', async () => {
    server = testServer();
    const response = await server.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(307);
    expect(response.headers.location).toBe('/info');
  });

  it('GET /healthcheck reports Kafka healthy when the log answers', async () => {
    server = testServer();
    const response = await server.app.inject({ method: 'GET', url: '/healthcheck' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      isHealthy: true,
      details: {
        metastore: { isHealthy: true },
        kafka: { isHealthy: true },
        commandRunner: { isHealthy: true },
      },
      serverState: 'READY',
    });
  });

  it('GET /healthcheck still answers 200 when Kafka does not, with the verdict inside', async () => {
    server = testServer();
    const log = new MemoryLog();
    const brokenLog: Log = Object.assign(Object.create(log) as Log, {
      listTopics: async () => {
        throw new Error('broker unreachable');
      },
    });
    const engine = server.engine;
    const app = buildServer({
      engine: {
        execute: (t, p) => engine.execute(t, p),
        query: (t, p) => engine.query(t, p),
        log: brokenLog,
      },
    });
    const response = await app.inject({ method: 'GET', url: '/healthcheck' });
    await app.close();
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ isHealthy: false, details: { kafka: { isHealthy: false } } });
  });

  it('GET /chc/live and /chc/ready answer an empty object', async () => {
    server = testServer();
    for (const url of ['/chc/live', '/chc/ready']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(json(response)).toEqual({});
    }
  });

  it('GET /is_valid_property says true for an overridable property and 400 for a protected one', async () => {
    server = testServer({ deniedPropertyOverrides: ['ksql.streams.num.stream.threads'] });
    const ok = await server.app.inject({ method: 'GET', url: '/is_valid_property/auto.offset.reset' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toBe(true);
    for (const name of ['ksql.service.id', 'ksql.streams.num.stream.threads']) {
      const denied = await server.app.inject({ method: 'GET', url: `/is_valid_property/${name}` });
      expect(denied.statusCode).toBe(400);
      expect(json(denied)).toEqual({
        '@type': 'generic_error',
        error_code: 40000,
        message: `One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]`,
      });
    }
  });

  it('takes a JSON body whatever its Content-Type says', async () => {
    server = testServer();
    for (const contentType of [
      'application/vnd.ksql.v1+json',
      'text/plain',
      'application/x-www-form-urlencoded',
    ]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/ksql',
        headers: { 'content-type': contentType },
        payload: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('GET /clusterStatus names this one host, alive', async () => {
    server = testServer();
    const response = await server.app.inject({
      method: 'GET',
      url: '/clusterStatus',
      headers: { host: 'sluice:8088' },
    });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      clusterStatus: {
        'sluice:8088': {
          hostAlive: true,
          lastStatusUpdateMs: expect.any(Number),
          activeStandbyPerQuery: {},
          hostStoreLags: { stateStoreLags: {}, updateTimeMs: expect.any(Number) },
        },
      },
    });
  });
});
