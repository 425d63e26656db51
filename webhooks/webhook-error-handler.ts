import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { WEBHOOK_ERROR_CODES } from './process-event.ts';
import type { WebhookMetricHook } from './webhook-metrics.ts';

/**
 * The error handler both webhook plugins install: a body Fastify refused (not JSON, over the body limit) is the
 * sender's fault and gets its 4xx with a short reason, counted as rejected; anything else is our fault, logged
 * once with MAMORI_HANDLER_FAILED and answered 500 (the platform redelivers). Never the body in the log.
 */
export function webhookErrorHandler(channel: 'telegram' | 'line', onMetric: WebhookMetricHook) {
  return (err: FastifyError | (Error & { statusCode?: number; code?: string }), req: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      onMetric('webhook_rejected', { channel, reason: status === 413 ? 'too-large' : 'malformed' });
      req.log.info({ code: err.code, status }, `${channel} webhook: bad request body`);
      return reply.code(status).send({ error: status === 413 ? 'payload too large' : 'bad request' });
    }
    req.log.error({ code: WEBHOOK_ERROR_CODES.handlerFailed, err }, `${channel} webhook failed`);
    return reply.code(500).send({ error: 'internal error' });
  };
}
