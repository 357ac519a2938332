/**
 * POST /ksql: runs the statements of a request in order and answers with ksqlDB's entities.
 * Every statement is parsed before any runs; SELECT and PRINT belong to /query and are
 * refused then. The first failing statement ends the request, and its error carries the
 * entities of the statements before it, which did run.
 */
import type { FastifyInstance } from 'fastify';
import type { KsqlEntity } from '../../engine/entities.js';
import { awaitCommandSequence } from '../command-sequence.js';
import { MediaType } from '../media-types.js';
import { serverMessages } from '../messages.js';
import { type KsqlRequestBody, ksqlRequestSchema } from '../request-bodies.js';
import { type PlannedStatement, planStatements, RequestSession } from '../request-session.js';
import { RestError, statementFailure } from '../rest-errors.js';
import { jsonText } from '../rest-json.js';
import type { ServerContext } from '../server-context.js';
import { rejectDeniedOverrides } from '../statements.js';

function plan(ksql: string, sessionVariables: KsqlRequestBody['sessionVariables']): PlannedStatement[] {
  try {
    return planStatements(ksql, sessionVariables);
  } catch (err) {
    throw statementFailure(err, ksql, 'withStatement');
  }
}

export function registerKsqlRoute(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: KsqlRequestBody }>(
    '/ksql',
    { schema: { body: ksqlRequestSchema } },
    async (request, reply) => {
      const { ksql, streamsProperties = {}, sessionVariables, commandSequenceNumber } = request.body;
      rejectDeniedOverrides(streamsProperties, context.deniedOverrides);
      if (ksql.trim() === '') throw RestError.badRequest(serverMessages.ksqlFieldEmpty());
      const statements = plan(ksql, sessionVariables);
      if (statements.length === 0) throw RestError.badRequest(serverMessages.ksqlFieldEmpty());
      for (const { statement, text } of statements) {
        if (statement.kind === 'Query' || statement.kind === 'PrintTopic')
          throw RestError.queryEndpoint(text);
      }
      await awaitCommandSequence(context, commandSequenceNumber);
      const session = new RequestSession(streamsProperties, sessionVariables);
      const entities: KsqlEntity[] = [];
      for (const planned of statements) {
        const local = session.apply(planned);
        if (local !== undefined) {
          entities.push(...local.entities);
          continue;
        }
        rejectDeniedOverrides(session.properties, context.deniedOverrides);
        try {
          for (const result of await context.engine.execute(planned.text, session.properties)) {
            entities.push(result.entity);
            context.statuses.record(result.entity);
          }
        } catch (err) {
          const failure = statementFailure(err, planned.text, 'withStatement', entities);
          if (failure.status >= 500) request.log.error({ err }, 'statement failed');
          throw failure;
        }
      }
      return reply.type(MediaType.JSON).send(jsonText(entities));
    },
  );
}
