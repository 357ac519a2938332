import type { FastifyReply } from 'fastify';
import type { PushQuery } from '../engine/runtime/push-query.js';
import { ChunkStream } from './chunk-stream.js';
import type { MediaTypeName } from './media-types.js';
import { type QueryFraming, queryChunks } from './query-framing.js';
import type { ServerContext } from './server-context.js';

/**
 * Streams a started push query as the response, chunked. The query ends at its LIMIT, on
 * /close-query, when the server shuts down, or when the client disconnects: fastify then
 * destroys the stream, which closes the query so its consumer leaves the group.
 */
export function sendPushQuery(
  reply: FastifyReply,
  context: ServerContext,
  query: PushQuery,
  framing: QueryFraming,
  mediaType: MediaTypeName,
  keepAlive?: string,
): FastifyReply {
  const running = context.queries.add(query);
  const chunks = queryChunks(running, framing, (err) =>
    reply.log.error({ err, queryId: running.id }, 'push query failed'),
  );
  const stream = new ChunkStream(chunks, {
    onClose: async () => {
      context.queries.remove(running.id);
      await running.close();
    },
    ...(keepAlive === undefined
      ? {}
      : { keepAlive: { chunk: keepAlive, intervalMs: context.keepAliveIntervalMs } }),
  });
  return reply.type(mediaType).send(stream);
}
