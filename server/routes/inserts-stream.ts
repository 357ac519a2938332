/**
 * POST /inserts-stream: rows written into a stream as they arrive. The body is
 * newline-delimited JSON: first `{"target": "STREAM", "properties": {}}`, then one object per
 * row. The 200 headers go out at once; each row is acknowledged in order with
 * `{"status":"ok","seq":n}`, and the first row that cannot be inserted gets
 * `{"status":"error","seq":n,"error_code":40000,"message":…}` and ends the response, as in
 * ksqlDB. `Accept: application/json` gives the acknowledgements as one JSON array.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type JsonNode, parseJson } from '../../engine/catalog/value-json.js';
import { MediaType, negotiate } from '../media-types.js';
import { ErrorCode, isUserError } from '../rest-errors.js';
import type { ServerContext } from '../server-context.js';

const PRODUCES = [MediaType.DELIMITED, MediaType.JSON] as const;

interface RowWriter {
  readonly stream: string;
  insert(row: JsonNode): Promise<void>;
}

type Ack =
  | { status: 'ok'; seq: number }
  | { status: 'error'; seq: number; error_code: number; message: string };

async function* linesOf(body: Readable): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of body) {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  if (pending.trim() !== '') yield pending;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function registerInsertsStreamRoute(app: FastifyInstance, context: ServerContext): void {
  // A scope of its own: here the body is read as it arrives, not parsed whole before the handler.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.post('/inserts-stream', async (request, reply) => {
      const engine = context.engine;
      const asArray = negotiate(request.headers.accept, PRODUCES) === MediaType.JSON;
      const out = new PassThrough();
      let acks = 0;
      const send = (ack: Ack) => {
        const text = JSON.stringify(ack);
        out.write(asArray ? `${acks === 0 ? '' : ','}${text}` : `${text}\n`);
        acks++;
      };
      if (asArray) out.write('[');
      const body = request.body as Readable;
      void (async () => {
        let writer: RowWriter | undefined;
        let seq = 0;
        try {
          for await (const line of linesOf(body)) {
            if (line.trim() === '') continue;
            let node: JsonNode;
            try {
              node = parseJson(line);
            } catch (err) {
              send({
                status: 'error',
                seq,
                error_code: ErrorCode.BAD_REQUEST,
                message: `Invalid JSON in request: ${messageOf(err)}`,
              });
              return;
            }
            if (writer === undefined) {
              const target = (node as { target?: unknown } | null)?.target;
              if (typeof target !== 'string') {
                send({
                  status: 'error',
                  seq,
                  error_code: ErrorCode.BAD_REQUEST,
                  message: 'Invalid JSON in request: "target" must be a string',
                });
                return;
              }
              if (engine.rowWriter === undefined) {
                send({
                  status: 'error',
                  seq,
                  error_code: ErrorCode.BAD_REQUEST,
                  message: 'Inserts are not supported by this server.',
                });
                return;
              }
              try {
                writer = engine.rowWriter(target);
              } catch (err) {
                send({ status: 'error', seq, error_code: ErrorCode.BAD_REQUEST, message: messageOf(err) });
                return;
              }
              continue;
            }
            try {
              await writer.insert(node);
              send({ status: 'ok', seq });
            } catch (err) {
              const user = isUserError(err);
              if (!user) request.log.error({ err }, 'insert failed');
              send({
                status: 'error',
                seq,
                error_code: user ? ErrorCode.BAD_REQUEST : ErrorCode.SERVER_ERROR,
                message: user ? messageOf(err) : `Failed to insert the row: ${messageOf(err)}`,
              });
              return;
            }
            seq++;
          }
        } catch (err) {
          request.log.warn({ err }, 'inserts stream ended early');
        } finally {
          if (asArray) out.write(']');
          out.end();
          body.resume();
        }
      })();
      return reply.type(asArray ? MediaType.JSON : MediaType.DELIMITED).send(out);
    });
  });
}
