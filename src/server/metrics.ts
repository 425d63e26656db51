import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InboundEvent } from '../engine/inbound-event.ts';
import type { StepOutcome } from '../engine/step.ts';

/**
 * The Prometheus metrics of one server process, all prefixed `mamori_`. Channels and the advisor
 * report into it; `/metrics` serves it.
 */
export class MamoriMetrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: 'mamori_updates_total', help: 'Inbound events by channel and kind.', labelNames: ['channel', 'kind'] as const, registers: [this.registry] });
  readonly webhookSeconds = new Histogram({
    name: 'mamori_webhook_duration_seconds',
    help: 'Time to answer a webhook delivery, by channel and HTTP status.',
    labelNames: ['channel', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly replies = new Counter({ name: 'mamori_replies_total', help: 'Replies sent to a platform, by channel and result (sent, failed).', labelNames: ['channel', 'result'] as const, registers: [this.registry] });
  readonly guideStarts = new Counter({ name: 'mamori_guide_starts_total', help: 'Guides started, by guide.', labelNames: ['guide'] as const, registers: [this.registry] });
  readonly guideCompletions = new Counter({ name: 'mamori_guide_completions_total', help: 'Guides finished (a summary reached), by guide.', labelNames: ['guide'] as const, registers: [this.registry] });
  readonly verdicts = new Counter({ name: 'mamori_verdicts_total', help: 'Verdict cards shown, by risk level.', labelNames: ['level'] as const, registers: [this.registry] });
  readonly linkChecks = new Counter({ name: 'mamori_link_checks_total', help: 'Links checked, by verdict.', labelNames: ['verdict'] as const, registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'mamori_duplicates_dropped_total', help: 'Redelivered events dropped, by channel.', labelNames: ['channel'] as const, registers: [this.registry] });
  readonly storeErrors = new Counter({ name: 'mamori_store_errors_total', help: 'Session store operations that failed (unreachable or timed out).', registers: [this.registry] });
  readonly rateLimited = new Counter({
    name: 'mamori_rate_limited_total',
    help: 'Events or requests refused over a rate limit, by channel and limit (user: the per-user limit; address: the web chat limit per client address).',
    labelNames: ['channel', 'limit'] as const,
    registers: [this.registry],
  });
  readonly handlerErrors = new Counter({ name: 'mamori_handler_errors_total', help: 'Events whose handling failed with a fault, by error code.', labelNames: ['code'] as const, registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'mamori_' });
  }

  /** Records what one handled event did (called by the advisor for every channel). */
  recordOutcome(outcome: StepOutcome): void {
    if (outcome.guideStarted) this.guideStarts.inc({ guide: outcome.guideStarted });
    if (outcome.guideCompleted) this.guideCompletions.inc({ guide: outcome.guideCompleted });
    for (const level of outcome.verdicts) this.verdicts.inc({ level });
    for (const verdict of outcome.linkVerdicts) this.linkChecks.inc({ verdict });
  }

  recordEvent(event: Pick<InboundEvent, 'channel' | 'kind'>): void {
    this.updates.inc({ channel: event.channel, kind: event.kind });
  }
}
