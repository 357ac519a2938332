/** The HTTP floor (P6), run as a child process: fastify with `/hello` and a `Map`-lookup route. */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { serveChild } from './child.js';

await serveChild<{ keys: number }, { port: number }>(async ({ keys }) => {
  const app = Fastify({ logger: false });
  const rows = new Map<string, { auction: number; count: number; max: number }>();
  for (let i = 0; i < keys; i++) rows.set(String(1000 + i), { auction: 1000 + i, count: i % 17, max: i * 3 });
  app.get('/hello', async () => ({ hello: 'world' }));
  app.get<{ Params: { key: string } }>('/map/:key', async (request, reply) => {
    const row = rows.get(request.params.key);
    if (row === undefined) return reply.code(404).send({ error: 'not found' });
    return row;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { ready: { port: (app.server.address() as AddressInfo).port }, stop: () => app.close() };
});
