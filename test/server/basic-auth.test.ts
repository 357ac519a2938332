import { afterAll, describe, expect, it } from 'vitest';
import { json, testServer } from './support.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('basic authentication', () => {
  const server = testServer({ basicAuth: { users: { ann: 's3cret', bob: 'pa:ss' }, realm: 'KsqlServer' } });
  afterAll(async () => server.close());

  const unauthorized = { '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' };

  it.each([
    ['no credentials', undefined],
    ['a wrong password', basic('ann', 'guess')],
    ['an unknown user', basic('eve', 's3cret')],
    ['another scheme', 'Bearer abc'],
    ['garbage', 'Basic !!!'],
  ])('refuses %s with 401 and a challenge', async (_name, authorization) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/ksql',
      payload: { ksql: 'SHOW STREAMS;' },
      headers: authorization === undefined ? {} : { authorization },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="KsqlServer"');
    expect(json(response)).toEqual(unauthorized);
  });

  it('lets a known user in, including a password with a colon', async () => {
    for (const authorization of [basic('ann', 's3cret'), basic('bob', 'pa:ss')]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/ksql',
        payload: { ksql: 'SHOW STREAMS;' },
        headers: { authorization },
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('guards /info and /query-stream too, but not the probes', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/info' })).statusCode).toBe(401);
    expect(
      (await server.app.inject({ method: 'POST', url: '/query-stream', payload: { sql: 'SELECT 1;' } }))
        .statusCode,
    ).toBe(401);
    expect((await server.app.inject({ method: 'GET', url: '/chc/live' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/chc/ready' })).statusCode).toBe(200);
  });
});
