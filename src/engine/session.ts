import { z } from 'zod';

/** Answer values kept from a guide: text (already masked), numbers, yes/no, or null for "I don't know". */
export const AnswerValue = z.union([z.string().max(600), z.number(), z.boolean(), z.null()]);

/**
 * The current layout of a user's conversation state. Bump `SESSION_VERSION` and add a migration when it changes.
 * Version 3 keeps guides left half-way with their own answers and trail (`paused`); version 2 kept one such
 * guide's place (`resume`), version 1 stored positions as objects.
 */
export const SESSION_VERSION = 3 as const;

const Position = z.object({ flow: z.string().max(40), step: z.string().max(60), item: z.number().int().min(0).max(99).optional() });
type Position = z.infer<typeof Position>;
const Trail = z.array(z.string().max(60)).max(30);
const Answers = z.record(z.string().max(48), AnswerValue);

/** Most guides kept half-way at once besides the open one: leaving a third drops the one left longest ago. */
export const MAX_PAUSED = 2;

/**
 * A guide left half-way through (for the menu, or for another guide a message or a button opened): where the user
 * was, the steps they came by (for "back") and their answers, so that continuing it loses nothing.
 */
/** Answer fields that came from the user's own description (see LinkCheckStep.describe): their questions are passed over. */
const Prefilled = z.array(z.string().max(48)).max(12);
const PausedGuide = z.object({ at: Position, trail: Trail.default([]), ans: Answers.default({}), pre: Prefilled.optional() });
export type PausedGuide = z.infer<typeof PausedGuide>;

/**
 * A user's conversation state, as the engine works with it (stored as version 3: see encodeSession and
 * packPosition). Kept small on purpose: a user in the middle of a guide
 * should cost well under 512 bytes of Redis memory.
 */
export const SessionSchema = z.object({
  v: z.literal(SESSION_VERSION),
  /** Short id of this conversation; changes on reset so old buttons become stale. */
  sid: z.string().min(1).max(12),
  /** Increments on every change; buttons carry it so a button from an older message is recognised. */
  turn: z.number().int().nonnegative(),
  /** Japanese unless the user chose English (or their platform said so); stored only when English. */
  lang: z.enum(['ja', 'en']).default('ja'),
  /** Where the user is: a guide and a step, or nowhere (the menu). */
  at: Position.optional(),
  /** Steps visited in the current guide, for "back" (newest last, bounded). */
  trail: Trail.default([]),
  /** Answers given in the current guide, by field name. */
  ans: Answers.default({}),
  /** Guides left half-way through, newest first, each guide at most once: opening one again continues it. */
  paused: z.array(PausedGuide).max(MAX_PAUSED).default([]),
  /** Set once the user chose a language (/lang or its buttons); until then the advisor follows the language they write in. */
  langChosen: z.literal(true).optional(),
  /**
   * Answers of the current guide that came from the user's own description rather than from its questions (see
   * LinkCheckStep.describe): the questions for them are passed over.
   */
  pre: Prefilled.optional(),
  /** Set while a /forget confirmation is pending. */
  confirmForget: z.boolean().optional(),
});
export type Session = z.infer<typeof SessionSchema>;

/**
 * Migrations from older layouts, keyed by the version they read. Each returns the next version's
 * shape; `decodeSession` applies them in order before validating.
 */
export const SESSION_MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 1 differs only in how positions are stored (objects), which decodeSession reads either way.
  1: (old) => ({ ...old, v: 2 }),
  // Version 2 kept one guide left half-way, as its place only (`resume`). Its answers were still the session's
  // `ans` while no guide was open (the menu has none of its own), so they go with it; with another guide open they
  // were that guide's, and the paused guide's had been lost already. Its trail was not kept ("back" from where it
  // continues led to the menu, as it still does for these).
  2: (old) => {
    const { resume, ...rest } = old;
    if (resume === undefined) return { ...rest, v: 3 };
    if (old.at !== undefined) return { ...rest, v: 3, paused: [{ at: resume }] };
    const { ans, ...others } = rest;
    return { ...others, v: 3, paused: [{ at: resume, ...(ans === undefined ? {} : { ans }) }] };
  },
};

/**
 * A position as stored: "flow/step", or "flow/step/item" inside a checklist. Guide and step ids are lower-case
 * letters, digits and hyphens (flow-schema.ts), so "/" never occurs in them. Against the object form
 * ({"flow":…,"step":…}) this saves 18 bytes a position, which is what keeps a typical state in a smaller
 * allocation: about 230 instead of 264 bytes of Redis memory for the session key.
 */
function packPosition(p: Position): string {
  return p.item === undefined ? `${p.flow}/${p.step}` : `${p.flow}/${p.step}/${p.item}`;
}

/** The stored position back as an object; anything else is left for the schema to refuse. */
function unpackPosition(stored: unknown): unknown {
  if (typeof stored !== 'string') return stored;
  const parts = stored.split('/');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) return stored;
  const [flow, step, item] = parts;
  if (item === undefined) return { flow, step };
  return /^\d{1,2}$/.test(item) ? { flow, step, item: Number(item) } : stored;
}

/** Result of reading stored state: the session, and whether stored state had to be thrown away. */
export interface DecodedSession {
  session: Session | null;
  /** True when something was stored but could not be read or migrated: the user is told politely. */
  discarded: boolean;
}

/** Parses, migrates and validates stored state. Never throws: unreadable state is reported as discarded. */
export function decodeSession(raw: string | null): DecodedSession {
  if (raw === null) return { session: null, discarded: false };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { session: null, discarded: true };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { session: null, discarded: true };
  let obj = value as Record<string, unknown>;
  for (let guard = 0; guard < 20 && typeof obj.v === 'number' && obj.v < SESSION_VERSION; guard++) {
    const migrate = SESSION_MIGRATIONS[obj.v];
    if (!migrate) return { session: null, discarded: true };
    try {
      obj = migrate(obj);
    } catch {
      return { session: null, discarded: true };
    }
  }
  if (obj.at !== undefined) obj = { ...obj, at: unpackPosition(obj.at) };
  if (Array.isArray(obj.paused)) {
    obj = { ...obj, paused: obj.paused.map((p: unknown) => (typeof p === 'object' && p !== null ? { ...p, at: unpackPosition((p as { at?: unknown }).at) } : p)) };
  }
  const parsed = SessionSchema.safeParse(obj);
  return parsed.success ? { session: parsed.data, discarded: false } : { session: null, discarded: true };
}

/**
 * Serialises a session for the store (drops empty optional parts and the default language, and packs positions,
 * to stay small).
 */
export function encodeSession(session: Session): string {
  const { trail, ans, lang, at, paused, ...rest } = session;
  const out: Record<string, unknown> = { ...rest };
  if (at) out.at = packPosition(at);
  if (lang !== 'ja') out.lang = lang;
  if (trail.length) out.trail = trail;
  if (Object.keys(ans).length) out.ans = ans;
  if (paused.length) {
    out.paused = paused.map((p) => {
      const stored: Record<string, unknown> = { at: packPosition(p.at) };
      if (p.trail.length) stored.trail = p.trail;
      if (Object.keys(p.ans).length) stored.ans = p.ans;
      if (p.pre?.length) stored.pre = p.pre;
      return stored;
    });
  }
  return JSON.stringify(out);
}

/**
 * A copy of a session that shares nothing mutable with it (the step works on a copy so that its input is
 * never changed). By hand rather than structuredClone: the shape is known and flat (answer values are
 * primitives), and this runs on every message.
 */
export function copySession(session: Session): Session {
  const copy: Session = {
    ...session,
    trail: [...session.trail],
    ans: { ...session.ans },
    paused: session.paused.map((p) => ({ at: { ...p.at }, trail: [...p.trail], ans: { ...p.ans }, ...(p.pre ? { pre: [...p.pre] } : {}) })),
  };
  if (session.at) copy.at = { ...session.at };
  if (session.pre) copy.pre = [...session.pre];
  return copy;
}

/** A fresh session for a user, language from the platform's language code (Japanese unless clearly not). */
export function newSession(receivedAt: number, languageCode?: string): Session {
  const lang = languageCode && !/^ja\b/i.test(languageCode) ? 'en' : 'ja';
  return { v: SESSION_VERSION, sid: (receivedAt % 2176782336).toString(36), turn: 0, lang, trail: [], ans: {}, paused: [] };
}
