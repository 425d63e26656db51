import type { MamoriMetrics } from '../src/server/metrics.ts';

/** Counters and timings the webhook plugins produce. Labels are small fixed sets (never user data). */
export type WebhookMetricName =
  /** One platform update or event received (labels: channel, kind). */
  | 'webhook_update'
  /** A delivery refused before processing (labels: channel, reason: secret | signature | malformed). */
  | 'webhook_rejected'
  /** A redelivered event dropped (labels: channel). */
  | 'webhook_duplicate'
  /** A delivery answered 503 so the platform redelivers (labels: channel, reason: store | budget | in-flight | send). */
  | 'webhook_unavailable'
  /** A fault while handling an event, answered with an apology (labels: channel, code). */
  | 'webhook_fault'
  /** A message sent through the platform API (labels: channel, method). */
  | 'reply_sent'
  /** A send that failed (labels: channel, method, reason). */
  | 'reply_failed'
  /** Messages put in the send queue because the platform asked us to wait (labels: channel). */
  | 'reply_queued'
  /** A 429 answer from the platform (labels: channel, action: retried | queued | dropped). */
  | 'rate_limited'
  /** A LINE push sent because the reply failed (labels: result: sent | failed). */
  | 'line_push_fallback'
  /** Seconds taken to answer one delivery (labels: channel, status; value = seconds). */
  | 'webhook_seconds';

/**
 * Hook through which the webhook plugins report what they do, so metrics can be wired without touching
 * them. `value` is 1 for counters unless given.
 */
export type WebhookMetricHook = (name: WebhookMetricName, labels: Readonly<Record<string, string>>, value?: number) => void;

/** The default hook: records nothing. */
export const noWebhookMetrics: WebhookMetricHook = () => {};

/**
 * Maps webhook metrics onto the process's Prometheus metrics. Inbound events, duplicates and store
 * errors are already counted by the advisor's observer (src/runtime.ts), so only what the channels
 * alone know is mapped here.
 */
export function webhookMetricsFor(metrics: MamoriMetrics): WebhookMetricHook {
  return (name, labels, value = 1) => {
    switch (name) {
      case 'reply_sent':
        metrics.replies.inc({ channel: labels.channel ?? 'unknown', result: 'sent' }, value);
        return;
      case 'reply_failed':
        metrics.replies.inc({ channel: labels.channel ?? 'unknown', result: 'failed' }, value);
        return;
      case 'webhook_fault':
        metrics.handlerErrors.inc({ code: labels.code ?? 'unknown' }, value);
        return;
      case 'webhook_seconds':
        metrics.webhookSeconds.observe({ channel: labels.channel ?? 'unknown', status: labels.status ?? '' }, value);
        return;
      case 'webhook_update':
      case 'webhook_rejected':
      case 'webhook_duplicate':
      case 'webhook_unavailable':
      case 'reply_queued':
      case 'rate_limited':
      case 'line_push_fallback':
        return;
      default:
        name satisfies never;
    }
  };
}
