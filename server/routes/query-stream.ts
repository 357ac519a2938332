/**
 * POST /query-stream: ksqlDB's streaming query API over HTTP/1.1. The Accept header picks
 * the framing: newline-delimited (the default), one JSON array, or the StreamedRow array the
 * Java client asks for. The metadata carries the query id that /close-query takes.
 */
import type { FastifyInstance } from 'fastify';
import { MediaType, negotiate } from '../media-types.js';
import { serverMessages } from '../messages.js';
import { delimited, jsonArray, type QueryFraming, streamedRows } from '../query-framing.js';
import { type QueryStreamArgsBody, queryStreamArgsSchema } from '../request-bodies.js';
import { RestError } from '../rest-errors.js';
import type { ServerContext } from '../server-context.js';
import { rejectDeniedOverrides, withSessionVariables } from '../statements.js';
import { sendPushQuery, startPushQuery } from '../stream-reply.js';

const PRODUCES = [MediaType.DELIMITED, MediaType.JSON, MediaType.KSQL_V1_JSON] as const;

const FRAMINGS: Readonly<Record<(typeof PRODUCES)[number], QueryFraming>> = {
  [MediaType.DELIMITED]: delimited,
  [MediaType.JSON]: jsonArray,
  [MediaType.KSQL_V1_JSON]: streamedRows,
};

export function registerQueryStreamRoute(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: QueryStreamArgsBody }>(
    '/query-stream',
    { schema: { body: queryStreamArgsSchema } },
    async (request, reply) => {
      const mediaType = negotiate(request.headers.accept, PRODUCES);
      if (mediaType === undefined) throw RestError.notAcceptable(request.headers.accept ?? '');
      const { sql, properties = {}, sessionVariables } = request.body;
      if (sql.trim() === '') throw RestError.badRequest(serverMessages.sqlFieldEmpty());
      rejectDeniedOverrides(properties, context.deniedOverrides);
      const text = withSessionVariables(sql, sessionVariables);
      const query = await startPushQuery(context, request.log, text, 'withStatement', () =>
        context.engine.query(text, properties),
      );
      return sendPushQuery(reply, context, query, FRAMINGS[mediaType], mediaType);
    },
  );
}
