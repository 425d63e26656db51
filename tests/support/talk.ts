import { buttonEvent, textEvent, type EventOrigin } from '../../src/engine/make-event.ts';
import { buttonsOf } from '../../src/engine/reply.ts';
import { decodeSession, encodeSession, type Session } from '../../src/engine/session.ts';
import { step, type AdvisorContext, type LinkFinding, type StepResult } from '../../src/engine/step.ts';

/**
 * Drives the pure step like a channel would: one message or button press after another, the state round-tripped
 * through its stored form between turns (as a real store keeps it). `origin(n)` is the origin of the n-th event.
 */
export class Talk {
  session: Session | null = null;
  last!: StepResult;
  n = 0;
  readonly ctx: AdvisorContext;
  readonly origin: (n: number) => EventOrigin;
  constructor(ctx: AdvisorContext, origin: (n: number) => EventOrigin) {
    this.ctx = ctx;
    this.origin = origin;
  }

  run(result: StepResult): StepResult {
    this.session = result.session ? decodeSession(encodeSession(result.session)).session : null;
    this.last = result;
    return result;
  }
  say(text: string, links: LinkFinding[] = []): StepResult {
    return this.run(step(this.ctx, this.session, { event: textEvent(this.origin(++this.n), text), links }));
  }
  /** Presses the button of the last answer with this label (throws, naming the buttons there are, when none has it). */
  press(label: string): StepResult {
    const b = buttonsOf(this.last.replies).find((x) => x.label === label);
    if (!b) throw new Error(`no button ${label}: ${this.labels().join(', ')}`);
    return this.pressRaw(b.payload);
  }
  pressRaw(payload: string): StepResult {
    return this.run(step(this.ctx, this.session, { event: buttonEvent(this.origin(++this.n), payload) }));
  }
  labels(): string[] {
    return buttonsOf(this.last.replies).map((b) => b.label);
  }
}
