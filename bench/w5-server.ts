/** The Sluice REST server for W5, run as a child process (see child.ts). */
import { startServer } from '../server/main.js';
import { serveChild } from './child.js';

await serveChild<{ bootstrapServers: string; serviceId: string }, { url: string }>(
  async ({ bootstrapServers, serviceId }) => {
    const server = await startServer({
      bootstrapServers,
      port: 0,
      host: '127.0.0.1',
      config: { 'ksql.service.id': serviceId, 'ksql.max.push.queries': 2_000 },
    });
    return { ready: { url: server.url }, stop: () => server.close() };
  },
);
