import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Advisor, Handled } from '../engine/advisor.ts';
import { userKeyOf, type InboundEvent } from '../engine/inbound-event.ts';
import type { Language, Locales } from '../engine/locales.ts';
import { textEvent, buttonEvent, type EventOrigin } from '../engine/make-event.ts';
import { decodeSession } from '../engine/session.ts';
import { StoreUnavailableError } from '../engine/session-store.ts';
import { loadWebAssets, type WebAsset, type WebAssets } from './web-assets.ts';
import {
  MessageBody,
  StartBody,
  StringsQuery,
  WEB_BODY_LIMIT,
  WEB_ERRORS,
  type WebChatAnswer,
  type WebChatError,
  type WebErrorCode,
  type WebStrings,
} from './web-chat-api.ts';
import { webStringsOf } from './web-strings.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/** What the web chat needs from the runtime and the configuration. */
export interface WebChatPluginOptions {
  /** The same advisor (and so the same session store) as the other channels. */
  advisor: Advisor;
  locales: Locales;
  /** API requests per client IP per minute (WEB_RATE_LIMIT), counted in the session store. */
  rateLimitPerMinute: number;
  /** How long one message may take before the API answers 503 (WEBHOOK_TIME_BUDGET_MS, as for the webhooks). */
  timeBudgetMs: number;
  /** Lifetime of the session cookie (SESSION_TTL). */
  sessionTtlSeconds: number;
  /**
   * Key that signs the session cookie (HMAC-SHA256). Unset: a random key per process, so cookies stop
   * being valid when the process restarts and are not accepted by another instance. Several instances
   * behind one address need the same configured secret.
   */
  cookieSecret?: string | Buffer;
  /** Page files (tests pass their own); read from web/ by default. */
  assets?: WebAssets;
  /** Called for every request refused with 429 by the per-address limit (metrics). */
  onAddressLimited?: () => void;
}

/** Name of the session cookie; it holds a random id, signed. */
export const WEB_SESSION_COOKIE = 'mamori_web';
const COOKIE_PATH = '/api/chat';
const SESSION_ID = /^[A-Za-z0-9_-]{24}$/;
const MINUTE_MS = 60_000;

class WebChatFailure extends Error {
  readonly webCode: WebErrorCode;
  readonly retryAfter?: number;
  constructor(webCode: WebErrorCode, reason: string, retryAfter?: number) {
    super(reason);
    this.webCode = webCode;
    this.retryAfter = retryAfter;
  }
}

function sendError(reply: FastifyReply, code: WebErrorCode, reason: string, extra: Partial<WebChatError> = {}, retryAfter?: number): FastifyReply {
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  const body: WebChatError = { error: code, reason, ...extra };
  return reply.code(WEB_ERRORS[code]).header('cache-control', 'no-store').send(body);
}

function parseOrFail<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new WebChatFailure('bad-request', `invalid body${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unexpected shape'}`);
}

function sendAsset(req: FastifyRequest, reply: FastifyReply, a: WebAsset, cacheControl: string): FastifyReply {
  reply.header('etag', a.etag).header('cache-control', cacheControl).type(a.contentType);
  if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
  return reply.send(a.body);
}

/** What a user typed, as the advisor received it (masked), to show in the transcript. */
function echoOf(event: InboundEvent): string | undefined {
  if (event.kind === 'text') return event.text;
  if (event.kind === 'command') return `/${event.command}${event.args ? ` ${event.args}` : ''}`;
  return undefined;
}

/**
 * The web chat: the page at `/` (Japanese, `/?lang=en` in English), its script and style sheet, and a
 * small JSON API under `/api/chat` on the same advisor and session store as LINE and Telegram. The
 * session is a random id in a signed, HttpOnly, SameSite=Strict cookie; the user key is `web:<id>`.
 * Encapsulated: the cookie parser, the security headers, the body limit and the error shape apply
 * here only.
 */
export async function webChatPlugin(app: FastifyInstance, opts: WebChatPluginOptions): Promise<void> {
  const { advisor, locales } = opts;
  const store = advisor.store;
  const assets = opts.assets ?? loadWebAssets(locales);
  await app.register(fastifyCookie, { secret: opts.cookieSecret ?? randomBytes(32), algorithm: 'sha256', hook: 'onRequest' });

  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });

  // ------------------------------------------------------------------ the page and its files
  app.get('/', async (req, reply) => {
    const lang: Language = (req.query as Record<string, unknown>).lang === 'en' ? 'en' : 'ja';
    return sendAsset(req, reply, assets.pages[lang], 'no-cache');
  });
  const versioned = (a: WebAsset) => async (req: FastifyRequest, reply: FastifyReply) => {
    const v = (req.query as Record<string, unknown>).v;
    return sendAsset(req, reply, a, v === a.version ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  app.get('/chat.js', versioned(assets.script));
  app.get('/chat.css', versioned(assets.style));

  // ------------------------------------------------------------------ the API
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (req, reply) => {
        const site = req.headers['sec-fetch-site'];
        if (site === 'cross-site' || site === 'same-site') return sendError(reply, 'cross-site', 'requests from other sites are refused');
        const now = Date.now();
        const count = await store.hit(`webip:${req.ip}`, 'api', 60);
        if (count > opts.rateLimitPerMinute) {
          opts.onAddressLimited?.();
          const retryAfter = Math.max(1, Math.ceil(((Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS - now) / 1000));
          return sendError(reply, 'rate-limited', `more than ${opts.rateLimitPerMinute} requests a minute from this address`, {}, retryAfter);
        }
        if (req.method === 'POST') {
          const type = req.headers['content-type'];
          if (typeof type !== 'string' || !/^application\/json\s*(;|$)/i.test(type)) {
            return sendError(reply, 'unsupported-media-type', 'send the body as application/json');
          }
        }
      });

      api.setNotFoundHandler((req, reply) => sendError(reply, 'not-found', `no such API route: ${req.method} ${req.url.split('?')[0]}`));

      api.setErrorHandler((err: FastifyError, req, reply) => {
        if (err instanceof WebChatFailure) return sendError(reply, err.webCode, err.message, {}, err.retryAfter);
        if (err instanceof StoreUnavailableError) {
          req.log.warn({ code: err.code }, 'web chat: session store unavailable');
          return sendError(reply, 'unavailable', 'the session store cannot be reached', {}, 5);
        }
        switch (err.code) {
          case 'FST_ERR_CTP_BODY_TOO_LARGE':
            return sendError(reply, 'too-large', `the body is larger than ${WEB_BODY_LIMIT} bytes`);
          case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
            return sendError(reply, 'unsupported-media-type', 'send the body as application/json');
          case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          case 'FST_ERR_CTP_INVALID_JSON_BODY':
            return sendError(reply, 'bad-json', 'the body is not valid JSON');
        }
        if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return sendError(reply, 'bad-json', 'the body is not valid JSON');
        if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, 'bad-request', 'the request was not understood');
        req.log.error({ err, code: (err as { code?: string }).code }, 'web chat: unexpected error');
        return sendError(reply, 'fault', 'unexpected error');
      });

      const cookieOptions = {
        path: COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict' as const,
        secure: 'auto' as const,
        signed: true,
        maxAge: opts.sessionTtlSeconds,
      };

      /** The session id from the signed cookie, or why there is none. */
      const sessionOf = (req: FastifyRequest): { id: string } | { problem: 'no-session' | 'invalid-session' } => {
        const raw = req.cookies[WEB_SESSION_COOKIE];
        if (!raw) return { problem: 'no-session' };
        const unsigned = req.unsignCookie(raw);
        if (!unsigned.valid || !SESSION_ID.test(unsigned.value)) return { problem: 'invalid-session' };
        return { id: unsigned.value };
      };

      const originOf = (id: string, eventId?: string, languageCode?: string): EventOrigin => ({
        channel: 'web',
        userId: id,
        chatType: 'private',
        receivedAt: Date.now(),
        ...(eventId ? { eventId: `web-${eventId}` } : {}),
        ...(languageCode ? { languageCode } : {}),
      });

      /**
       * Runs one event through the advisor and turns the outcome into an answer, all within one time budget:
       * handling the event, confirming it (which runs a /forget: one SCAN per 1,000 keys) and reading the
       * stored state back. A slow session store therefore cannot hold the request open longer than the budget.
       */
      const answer = async (
        req: FastifyRequest,
        reply: FastifyReply,
        event: InboundEvent,
        fallbackLang: Language,
        extra: Partial<WebChatAnswer> = {},
        deadline = Date.now() + opts.timeBudgetMs,
      ) => {
        const userKey = userKeyOf(event);
        let handled: Handled;
        try {
          // A late answer is still confirmed, so a /forget that finishes late still deletes everything.
          handled = await beforeDeadline(advisor.handle(event, { log: req.log }), deadline, opts.timeBudgetMs, req, (h) => (h.status === 'reply' ? h.delivered() : undefined));
        } catch (err) {
          if (err instanceof WebChatFailure || err instanceof StoreUnavailableError) throw err;
          req.log.error({ err, code: (err as { code?: string }).code }, 'web chat: the advisor failed');
          const menu = await beforeDeadline(advisor.menuAfterFault(event), deadline, opts.timeBudgetMs, req).catch(() => []);
          return sendError(reply, 'fault', 'the advisor failed on this message', { replies: menu });
        }
        switch (handled.status) {
          case 'reply': {
            // Over the per-user limit: the page keeps its buttons and waits (it has its own words for it), rather
            // than getting the chat platforms' notice, a reply without buttons that would take the current ones away.
            if (handled.limitedFor !== undefined) return sendError(reply, 'rate-limited', 'too many messages in this conversation; wait a little', {}, handled.limitedFor);
            const confirmed = handled.delivered().then(() => store.load(userKey));
            const stored = await beforeDeadline(confirmed, deadline, opts.timeBudgetMs, req);
            const forgotten = stored.state === null;
            // The cookie lives as long as the stored conversation: renewed on every answer, cleared after /forget.
            if (forgotten) reply.clearCookie(WEB_SESSION_COOKIE, { path: COOKIE_PATH });
            else reply.setCookie(WEB_SESSION_COOKIE, event.userId, cookieOptions);
            const lang = decodeSession(stored.state).session?.lang ?? fallbackLang;
            const body: WebChatAnswer = { replies: handled.replies, lang, ...extra, ...(forgotten ? { forgotten: true } : {}) };
            return reply.header('cache-control', 'no-store').send(body);
          }
          case 'duplicate': {
            const body: WebChatAnswer = { replies: [], lang: fallbackLang, duplicate: true };
            return reply.header('cache-control', 'no-store').send(body);
          }
          case 'in-flight':
            return sendError(reply, 'in-flight', 'this message is still being answered', {}, 2);
          case 'limited':
            return sendError(reply, 'rate-limited', 'too many messages in this conversation; wait a little', {}, handled.retryAfter);
          default:
            handled satisfies never;
            throw new Error('unreachable');
        }
      };

      api.get('/strings', async (req, reply) => {
        const { lang } = parseOrFail(StringsQuery, req.query);
        const body: WebStrings = { lang, strings: webStringsOf(locales, lang) };
        return reply.header('cache-control', 'no-cache').send(body);
      });

      api.post('/start', { bodyLimit: WEB_BODY_LIMIT }, async (req, reply) => {
        const body = parseOrFail(StartBody, req.body);
        const lang: Language = body.lang ?? 'ja';
        const session = sessionOf(req);
        // A known conversation gets its menu (with "continue" when a guide was left half-way); anything
        // else — no cookie, a cookie we did not sign, or a conversation that expired — starts afresh.
        // The budget covers this read too: a slow store cannot stretch the answer past it.
        const deadline = Date.now() + opts.timeBudgetMs;
        const known =
          'id' in session && (await beforeDeadline(store.load(userKeyOf({ channel: 'web', userId: session.id })), deadline, opts.timeBudgetMs, req)).state !== null;
        const id = known ? (session as { id: string }).id : randomBytes(18).toString('base64url');
        const event = textEvent(originOf(id, undefined, lang), known ? '/menu' : '/start');
        return answer(req, reply, event, lang, known ? {} : { fresh: true }, deadline);
      });

      api.post('/message', { bodyLimit: WEB_BODY_LIMIT }, async (req, reply) => {
        const session = sessionOf(req);
        if ('problem' in session) {
          return sendError(
            reply,
            session.problem,
            session.problem === 'no-session' ? 'no session cookie: call POST /api/chat/start first' : 'the session cookie is not valid (forged, or signed by another key)',
          );
        }
        const body = parseOrFail(MessageBody, req.body);
        const origin = originOf(session.id, body.id);
        if ('button' in body) return answer(req, reply, buttonEvent(origin, body.button), 'ja');
        if ('lang' in body) return answer(req, reply, textEvent(origin, `/lang ${body.lang}`), body.lang);
        const event = textEvent(origin, body.text);
        return answer(req, reply, event, 'ja', { echo: echoOf(event) });
      });
    },
    { prefix: '/api/chat' },
  );
}

/** What the timer of beforeDeadline resolves to. */
const LATE = Symbol('late');

/**
 * Waits for `work` until `deadline` (ms since the epoch). When time runs out the API answers 503 (timeout)
 * and the work goes on by itself: `late` then runs on its result, and a late failure is logged.
 */
async function beforeDeadline<T>(work: Promise<T>, deadline: number, budgetMs: number, req: FastifyRequest, late?: (result: T) => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, deadline - Date.now()));
  });
  try {
    const first = await Promise.race([work, timeout]);
    if (first !== LATE) return first as T;
  } finally {
    clearTimeout(timer);
  }
  work
    .then((result) => late?.(result))
    .catch((err: unknown) => req.log.warn({ err }, 'web chat: work that ran past the time budget failed or could not be confirmed'));
  throw new WebChatFailure('timeout', `no answer within ${budgetMs} ms`, 2);
}
