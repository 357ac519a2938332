/**
 * GET /clusterStatus: ksqlDB's per-host view of the cluster. Sluice runs as one node, so the
 * answer names this host only: alive, with no standby tasks and no store lags to report.
 */
import type { FastifyInstance } from 'fastify';
import { MediaType } from '../media-types.js';
import { jsonText } from '../rest-json.js';

export function registerClusterStatusRoute(app: FastifyInstance): void {
  app.get('/clusterStatus', async (request, reply) => {
    const now = Date.now();
    return reply.type(MediaType.JSON).send(
      jsonText({
        clusterStatus: {
          [request.host]: {
            hostAlive: true,
            lastStatusUpdateMs: now,
            activeStandbyPerQuery: {},
            hostStoreLags: { stateStoreLags: {}, updateTimeMs: now },
          },
        },
      }),
    );
  });
}
