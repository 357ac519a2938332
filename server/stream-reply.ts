import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { PrintedTopic } from '../engine/runtime/print-topic.js';
import type { PushQuery } from '../engine/runtime/push-query.js';
import { ChunkStream } from './chunk-stream.js';
import type { MediaTypeName } from './media-types.js';
import { serverMessages } from './messages.js';
import { type QueryFraming, queryChunks } from './query-framing.js';
import { RestError, type StatementMessageStyle, statementFailure } from './rest-errors.js';
import { RunningQuery } from './running-queries.js';
import type { ServerContext } from './server-context.js';

/**
 * Starts a push query within the server's limit (each one holds a Kafka consumer, so a client
 * cannot open them without bound; refused beyond `ksql.max.push.queries`, as ksqlDB) and
 * turns a failure to start into the REST error ksqlDB answers.
 */
export async function startPushQuery<T = PushQuery>(
  context: ServerContext,
  log: FastifyBaseLogger,
  statementText: string,
  style: StatementMessageStyle,
  start: () => Promise<T>,
): Promise<T> {
  if (!context.queries.reserve(context.maxPushQueries)) {
    throw RestError.badStatement(
      serverMessages.tooManyPushQueries(context.queries.size, context.maxPushQueries),
      statementText,
    );
  }
  try {
    return await start();
  } catch (err) {
    const failure = statementFailure(err, statementText, style);
    if (failure.status >= 500) log.error({ err }, 'query failed to start');
    throw failure;
  } finally {
    context.queries.release();
  }
}

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
): FastifyReply | Promise<FastifyReply> {
  if (query.pull === 'table') return sendTableRows(reply, query, framing, mediaType);
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

/**
 * A pull query over a table has all its rows at once: one response body, written in one go
 * (a chunked body of small writes would wait on the client's delayed ACKs).
 */
async function sendTableRows(
  reply: FastifyReply,
  query: PushQuery,
  framing: QueryFraming,
  mediaType: MediaTypeName,
): Promise<FastifyReply> {
  let body = '';
  for await (const chunk of queryChunks(new RunningQuery(query), framing, (err) =>
    reply.log.error({ err, queryId: query.id }, 'pull query failed'),
  ))
    body += chunk;
  return reply.type(mediaType).send(body);
}

/**
 * Streams PRINT's lines (`Key format: ...`, then one line per record), a bare newline while
 * idle; the client going away closes the topic reader.
 */
export function sendPrintedTopic(
  reply: FastifyReply,
  context: ServerContext,
  printed: PrintedTopic,
): FastifyReply {
  async function* lines(): AsyncGenerator<string> {
    for await (const line of printed) yield `${line}\n`;
  }
  const stream = new ChunkStream(lines(), {
    onClose: () => printed.close(),
    keepAlive: { chunk: '\n', intervalMs: context.keepAliveIntervalMs },
  });
  return reply.type('text/plain; charset=utf-8').send(stream);
}
