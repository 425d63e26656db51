import type { FastifyInstance } from 'fastify';
import type { MamoriMetrics } from './metrics.ts';
import { secretCheck } from './secret-check.ts';

/** `GET /metrics` in Prometheus text format; with a token, only for `Authorization: Bearer <token>`. */
export async function metricsPlugin(app: FastifyInstance, opts: { metrics: MamoriMetrics; token?: string }): Promise<void> {
  const authorized = opts.token ? secretCheck(`Bearer ${opts.token}`) : null;
  app.get('/metrics', async (req, reply) => {
    if (authorized && !authorized(req.headers.authorization)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', reason: 'metrics need a bearer token' });
    }
    return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
}
