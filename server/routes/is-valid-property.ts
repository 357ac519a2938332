/**
 * GET /is_valid_property/:property: whether a client may override the property. The ksql
 * CLI asks before every SET, and refuses the SET on an error.
 */
import type { FastifyInstance } from 'fastify';
import { MediaType } from '../media-types.js';
import type { ServerContext } from '../server-context.js';
import { rejectDeniedOverrides } from '../statements.js';

export function registerIsValidPropertyRoute(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Params: { property: string } }>('/is_valid_property/:property', async (request, reply) => {
    rejectDeniedOverrides({ [request.params.property]: '' }, context.deniedOverrides);
    return reply.type(MediaType.JSON).send('true');
  });
}
