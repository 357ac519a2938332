/**
 * POST /ksql: runs the statements of a request in order and answers with one ksqlDB entity
 * per statement. SELECT and PRINT belong to /query and are refused before anything runs;
 * the first failing statement ends the request, and its error carries the entities of the
 * statements before it, which did run.
 */
import type { FastifyInstance } from 'fastify';
import type { KsqlEntity } from '../../engine/entities.js';
import { MediaType } from '../media-types.js';
import { serverMessages } from '../messages.js';
import { type KsqlRequestBody, ksqlRequestSchema } from '../request-bodies.js';
import { RestError, statementFailure } from '../rest-errors.js';
import { jsonText } from '../rest-json.js';
import type { ServerContext } from '../server-context.js';
import { rejectDeniedOverrides, statementKind, statementTexts, withSessionVariables } from '../statements.js';

export function registerKsqlRoute(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: KsqlRequestBody }>(
    '/ksql',
    { schema: { body: ksqlRequestSchema } },
    async (request, reply) => {
      const { ksql, streamsProperties = {}, sessionVariables } = request.body;
      rejectDeniedOverrides(streamsProperties, context.deniedOverrides);
      const texts = statementTexts(ksql).map((text) => withSessionVariables(text, sessionVariables));
      if (texts.length === 0) throw RestError.badRequest(serverMessages.ksqlFieldEmpty());
      for (const text of texts) {
        const kind = statementKind(text);
        if (kind === 'Query' || kind === 'PrintTopic') throw RestError.queryEndpoint(text);
      }
      const entities: KsqlEntity[] = [];
      for (const text of texts) {
        try {
          for (const result of await context.engine.execute(text, streamsProperties)) {
            entities.push(result.entity);
            context.statuses.record(result.entity);
          }
        } catch (err) {
          const failure = statementFailure(err, text, 'withStatement', entities);
          if (failure.status >= 500) request.log.error({ err }, 'statement failed');
          throw failure;
        }
      }
      return reply.type(MediaType.JSON).send(jsonText(entities));
    },
  );
}
