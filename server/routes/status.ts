/** GET /status and GET /status/:type/:entity/:action: the outcome of the commands /ksql ran. */
import type { FastifyInstance } from 'fastify';
import { MediaType } from '../media-types.js';
import { serverMessages } from '../messages.js';
import { RestError } from '../rest-errors.js';
import { jsonText } from '../rest-json.js';
import type { ServerContext } from '../server-context.js';

export function registerStatusRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/status', async (_request, reply) =>
    reply.type(MediaType.JSON).send(jsonText({ commandStatuses: context.statuses.all() })),
  );

  app.get<{ Params: { type: string; entity: string; action: string } }>(
    '/status/:type/:entity/:action',
    async (request, reply) => {
      const { type, entity, action } = request.params;
      const status = context.statuses.get(type, entity, action);
      if (status === undefined) throw RestError.notFound(serverMessages.commandNotFound());
      return reply.type(MediaType.JSON).send(jsonText(status));
    },
  );
}
