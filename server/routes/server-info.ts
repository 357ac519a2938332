/**
 * The routes clients and operators probe: GET / (a redirect to /info), GET /info (the ksql
 * CLI's version check), GET /healthcheck, and the liveness/readiness probes /chc/live and
 * /chc/ready, which answer before authentication.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Log } from '../../engine/log/log.js';
import { MediaType } from '../media-types.js';
import { jsonText } from '../rest-json.js';
import type { ServerContext } from '../server-context.js';

/** Kafka is healthy when it lists its topics in time. */
async function kafkaIsHealthy(log: Log, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([log.listTopics().then(() => true), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function registerServerInfoRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/', async (_request, reply) => reply.code(307).header('location', '/info').send());

  app.get('/info', async (_request, reply) =>
    reply.type(MediaType.JSON).send(
      jsonText({
        KsqlServerInfo: {
          version: context.info.version,
          kafkaClusterId: context.info.kafkaClusterId,
          ksqlServiceId: context.info.ksqlServiceId,
          serverStatus: 'RUNNING',
        },
      }),
    ),
  );

  // Always 200, as ksqlDB answers: the verdict is in the body.
  app.get('/healthcheck', async (_request, reply) => {
    const kafka = await kafkaIsHealthy(context.engine.log, context.healthCheckTimeoutMs);
    return reply.type(MediaType.JSON).send(
      jsonText({
        isHealthy: kafka,
        details: {
          metastore: { isHealthy: true },
          kafka: { isHealthy: kafka },
          commandRunner: { isHealthy: true },
        },
        serverState: 'READY',
      }),
    );
  });

  const probe = async (_request: unknown, reply: FastifyReply) => reply.type(MediaType.JSON).send('{}');
  app.get('/chc/live', probe);
  app.get('/chc/ready', probe);
}
