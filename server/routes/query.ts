/**
 * POST /query: the endpoint the ksql CLI streams SELECT through. It answers with ksqlDB's
 * StreamedRow array over chunked HTTP/1.1 (or the delimited form, when asked for), writing a
 * bare newline while idle, as ksqlDB does. PRINT answers the topic's records as text lines.
 */
import type { FastifyInstance } from 'fastify';
import { awaitCommandSequence } from '../command-sequence.js';
import { MediaType, negotiate } from '../media-types.js';
import { serverMessages } from '../messages.js';
import { delimited, streamedRows } from '../query-framing.js';
import { type KsqlRequestBody, ksqlRequestSchema } from '../request-bodies.js';
import { RestError } from '../rest-errors.js';
import type { ServerContext } from '../server-context.js';
import { rejectDeniedOverrides, statementKind, withSessionVariables } from '../statements.js';
import { sendPrintedTopic, sendPushQuery, startPushQuery } from '../stream-reply.js';

const PRODUCES = [MediaType.JSON, MediaType.KSQL_V1_JSON, MediaType.DELIMITED] as const;

export function registerQueryRoute(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: KsqlRequestBody }>(
    '/query',
    { schema: { body: ksqlRequestSchema } },
    async (request, reply) => {
      const mediaType = negotiate(request.headers.accept, PRODUCES);
      if (mediaType === undefined) throw RestError.notAcceptable(request.headers.accept ?? '');
      const { ksql, streamsProperties = {}, sessionVariables, commandSequenceNumber } = request.body;
      if (ksql.trim() === '') throw RestError.badRequest(serverMessages.ksqlFieldEmpty());
      rejectDeniedOverrides(streamsProperties, context.deniedOverrides);
      await awaitCommandSequence(context, commandSequenceNumber);
      const text = withSessionVariables(ksql, sessionVariables);
      const kind = statementKind(text);
      if (kind === 'PrintTopic') {
        const print = context.engine.print?.bind(context.engine);
        if (print === undefined) throw RestError.badStatement(serverMessages.printNotSupported(), text);
        const printed = await startPushQuery(context, request.log, text, 'raw', () => print(text));
        return sendPrintedTopic(reply, context, printed);
      }
      if (kind !== undefined && kind !== 'Query') throw RestError.badRequest(serverMessages.notAQuery(kind));
      const query = await startPushQuery(context, request.log, text, 'raw', () =>
        context.engine.query(text, streamsProperties),
      );
      return mediaType === MediaType.DELIMITED
        ? sendPushQuery(reply, context, query, delimited, mediaType)
        : sendPushQuery(reply, context, query, streamedRows, mediaType, '\n');
    },
  );
}
