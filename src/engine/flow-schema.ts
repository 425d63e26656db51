import { z } from 'zod';
import { foldForMatching } from '../text/normalize-text.ts';

/** Ids of flows and steps: short, lowercase, used inside button payloads. */
const Id = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'ids are lowercase letters, digits and hyphens, at most 40');
/** A key into locales/*.json. */
const TextKey = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'text keys look like "guide.step.text"');
/** A field in the session's answers. */
const Field = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/);
/**
 * A routing keyword, matched in free text after NFKC, kana and case folding: one word, or several joined
 * with "+" that must all appear, in any order (「コード+何度も」). The match scoring the most folded characters
 * in all wins (see routeByKeyword in step.ts).
 */
const Keyword = z.string().min(1).max(40);

/** The folded words of a routing keyword: one, or several when joined with "+" (see Keyword). */
export function keywordParts(keyword: string): string[] {
  return keyword.split('+').map(foldForMatching);
}
const Scalar = z.union([z.string().max(100), z.number(), z.boolean(), z.null()]);

/** Kinds of typed answer a question accepts; each has a validator and parser in the engine. */
export const QUESTION_INPUTS = ['text', 'yen', 'count', 'percent', 'years', 'date', 'url'] as const;

/** Link verdict groups a link-check step routes on (see src/listing). */
export const LINK_ROUTES = ['fake', 'listing', 'official', 'shortlink', 'marketplace', 'unknown'] as const;

/** What a summary step shows besides its text. */
export const SUMMARY_SHOWS = ['none', 'seller-risk', 'evidence', 'quiz-score'] as const;

const MessageStep = z.strictObject({
  type: z.literal('message'),
  text: TextKey,
  next: Id,
  /** Label of the "continue" button (default nav.next). */
  button: TextKey.optional(),
});

/** A button of a choice (or a link check): its label and where it leads. */
const Option = z.strictObject({
  label: TextKey,
  next: Id,
  /** Answers to record when this option is chosen (e.g. `{ "fulfilment": "seller" }`). */
  set: z.record(Field, Scalar).optional(),
  /** Points added to the quiz score when chosen. */
  score: z.number().int().min(0).max(10).optional(),
  /**
   * Words that choose this option when typed instead of pressed (「中国から発送みたいです」 → the overseas option),
   * matched as routing keywords are (see Keyword). Typed text that matches an option is its answer, never a
   * detour to another guide. When several options match, the one whose keyword covers the most characters wins;
   * a tie chooses none.
   */
  keywords: z.array(Keyword).max(30).optional(),
  /**
   * Asks every question from here on, including those the user's description already answered (see
   * LinkCheckStep.describe): for "that is not what I meant".
   */
  answerAll: z.literal(true).optional(),
});

const ChoiceStep = z.strictObject({
  type: z.literal('choice'),
  text: TextKey,
  options: z.array(Option).min(1).max(10),
});

const QuestionStep = z.strictObject({
  type: z.literal('question'),
  text: TextKey,
  field: Field,
  input: z.enum(QUESTION_INPUTS),
  next: Id,
  /** When present, a button with this label answers "I don't know / skip" (stored as null). */
  skip: TextKey.optional(),
});

const ChecklistStep = z.strictObject({
  type: z.literal('checklist'),
  /** Shown once before the first item. */
  text: TextKey,
  items: z.array(z.strictObject({ text: TextKey })).min(1).max(20),
  next: Id,
});

const LinkCheckStep = z.strictObject({
  type: z.literal('link-check'),
  text: TextKey,
  /** Where to go for each kind of link. */
  routes: z.strictObject(Object.fromEntries(LINK_ROUTES.map((r) => [r, Id])) as Record<(typeof LINK_ROUTES)[number], typeof Id>),
  /**
   * Buttons shown with the request for a link, for people who have none to paste (a phone call, a message
   * without a link): pressed, or typed as their label or number, they lead on like a choice's options.
   */
  options: z.array(Option).min(1).max(3).optional(),
  /**
   * Where a message with no link goes when it describes a listing instead (「2万円のゲーム機が3千円で、評価が2件」):
   * the facts it states plainly are taken as the answers to the guide's questions for them (see
   * src/listing/describe-seller.ts), those questions are passed over, and this step says what was understood.
   */
  describe: Id.optional(),
});

const SummaryStep = z.strictObject({
  type: z.literal('summary'),
  text: TextKey,
  show: z.enum(SUMMARY_SHOWS).default('none'),
  /**
   * For `evidence`: the lines of the summary, each a label and the answer field it shows. `dated`: the answer says
   * when, and a day it names relative to today (「きのう」, 「先週の月曜日」) is followed by its date.
   */
  fields: z.array(z.strictObject({ label: TextKey, field: Field, dated: z.boolean().optional() })).max(20).optional(),
});

/** One step of a guide. The `type` decides how the engine shows it and what input it accepts. */
export const FlowStepSchema = z.discriminatedUnion('type', [MessageStep, ChoiceStep, QuestionStep, ChecklistStep, LinkCheckStep, SummaryStep]);
export type FlowStep = z.infer<typeof FlowStepSchema>;
export type FlowOption = z.infer<typeof Option>;

/** A guide: a named graph of steps, loaded from flows/<id>.json and validated at start-up. */
export const FlowSchema = z.strictObject({
  id: Id,
  /** Order on the menu. */
  order: z.number().int().min(0).max(99),
  /** Menu button label and the slash command that opens the flow. */
  title: TextKey,
  command: z.string().regex(/^[a-z]{1,32}$/),
  /** Words that route free text to this guide's start (see Keyword). */
  keywords: z.array(Keyword).max(120),
  /**
   * Words that route free text straight to one step of this guide rather than its start, for messages that
   * already say which case they are about (「荷物が届きません」 opens the not-delivered advice). "Back" from that
   * step leads to the guide's start, where the other cases are.
   */
  shortcuts: z.array(z.strictObject({ step: Id, keywords: z.array(Keyword).min(1).max(160) })).max(20).optional(),
  start: Id,
  steps: z.record(Id, FlowStepSchema),
});
export type Flow = z.infer<typeof FlowSchema>;
