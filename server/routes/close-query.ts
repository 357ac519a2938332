/** POST /close-query: ends a push query a client is reading; an unknown id is a 400, as in ksqlDB. */
import type { FastifyInstance } from 'fastify';
import { serverMessages } from '../messages.js';
import { type CloseQueryArgsBody, closeQueryArgsSchema } from '../request-bodies.js';
import { RestError } from '../rest-errors.js';
import type { ServerContext } from '../server-context.js';

export function registerCloseQueryRoute(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: CloseQueryArgsBody }>(
    '/close-query',
    { schema: { body: closeQueryArgsSchema } },
    async (request, reply) => {
      const { queryId } = request.body;
      if (!(await context.queries.close(queryId)))
        throw RestError.badRequest(serverMessages.noSuchQuery(queryId));
      return reply.code(200).send();
    },
  );
}
