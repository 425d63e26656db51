import { decodePayload, encodePayload, shortcutAction, shortcutOfAction } from './button-payload.ts';
import { keywordParts, LINK_ROUTES, type Flow, type FlowOption, type FlowStep } from './flow-schema.ts';
import { COMMANDS, type Command, type InboundEvent } from './inbound-event.ts';
import { translate, type Language, type Locales } from './locales.ts';
import { parseAnswer } from './parse-answer.ts';
import type { Reply, ReplyButton, VerdictLevel } from './reply.ts';
import { copySession, MAX_PAUSED, newSession, type PausedGuide, type Session } from './session.ts';
import { foldForMatching, cleanText } from '../text/normalize-text.ts';
import { dayNamedIn } from '../text/relative-day.ts';
import { writtenLanguage } from '../text/written-language.ts';

/** What the listing checker found about one URL in the user's message (see src/listing). */
export interface LinkFinding {
  url: string;
  host: string;
  verdict: string;
  reasons: readonly string[];
  asin?: string;
  sellerId?: string;
  pageKind?: string;
  canonicalUrl?: string;
  expandedTo?: string;
  /** The link as it was written in the message (schemeless, full-width…), when the checker gives it. */
  input?: string;
  /** For a wrapper or redirect: the check of the address inside (which may wrap another). */
  wrapped?: { url: string; verdict: string; wrapped?: LinkFinding['wrapped'] };
}

/** A seller-risk result (see src/listing/assess-seller-risk.ts). */
export interface SellerAssessment {
  level: 'high' | 'medium' | 'low' | 'unknown';
  score: number;
  reasons: readonly string[];
}

/** The validated guides, by id and in menu order. */
export interface FlowSet {
  byId: ReadonlyMap<string, Flow>;
  ordered: readonly Flow[];
}

/** Everything the step needs besides the session and the event: pure data and pure functions only. */
export interface AdvisorContext {
  flows: FlowSet;
  locales: Locales;
  assessSeller: (signals: Record<string, unknown>) => SellerAssessment;
  /**
   * Reads a description of a listing as answers to the listing check's questions (src/listing/describe-seller.ts),
   * for link-check steps with `describe`; without it such steps only take links.
   */
  describeSeller?: (text: string, receivedAt: number) => Readonly<Record<string, string | number | boolean>>;
}

export interface StepInput {
  event: InboundEvent;
  /** Links found in a text event, already classified (and expanded) at the edge. */
  links?: readonly LinkFinding[];
  /** Stored state existed but could not be read: the user is told the conversation starts over. */
  discarded?: boolean;
}

/** Facts about what happened, for metrics; never shown to the user. */
export interface StepOutcome {
  guideStarted?: string;
  guideCompleted?: string;
  verdicts: VerdictLevel[];
  linkVerdicts: string[];
  /**
   * A button of the latest prompt was pressed (not an expired one): a channel may put the answer in place
   * of that prompt rather than below it, since the prompt is the last thing the user saw.
   */
  pressedLatestPrompt?: boolean;
}

export interface StepResult {
  /** The new state, or null when nothing is to be stored (group chats, after /forget). */
  session: Session | null;
  replies: Reply[];
  /** The user confirmed /forget: the edge deletes everything stored about them. */
  forget?: boolean;
  outcome: StepOutcome;
}

const COMMAND_SET: ReadonlySet<string> = new Set(COMMANDS);

/** True when some option of this choice step carries quiz points. */
function hasQuizPoints(flow: Flow, stepId: string): boolean {
  const step = flow.steps[stepId];
  return step?.type === 'choice' && step.options.some((o) => o.score !== undefined);
}
const MAX_TRAIL = 30;
const MAX_LINK_CARDS = 3;

/** An Amazon store's domain written as a name ("Amazon.co.jp", "amazon.jp"): no scheme, path or query. */
function isStoreName(link: LinkFinding): boolean {
  return link.verdict === 'official-other' && link.pageKind === 'home' && link.input !== undefined && !/[:/?#]/.test(link.input);
}

/**
 * How a mail or SMS signs itself as Amazon, as opposed to a user mentioning Amazon in their own words: a bracketed
 * sender tag (【Amazon】, [Amazon.co.jp]), "from Amazon" with a notice word (Amazonより, Amazonからのお知らせ),
 * a customer-service or security desk, or an account-notice opening ("Dear Amazon customer", "Your Amazon account").
 */
const SIGNED_AS_AMAZON = [
  /[【\[［]\s*(?:amazon|アマゾン)[^】\]］\n]{0,20}[】\]］]/iu,
  /(?:amazon|アマゾン)(?:\.co\.jp)?\s*(?:より|から)(?:の)?\s*(?:お知らせ|ご案内|ご連絡|重要|緊急|通知)/iu,
  /(?:amazon|アマゾン)(?:\.co\.jp)?\s*より[\s。、]/iu,
  /(?:amazon|アマゾン)(?:\.co\.jp)?\s*(?:カスタマー\s*(?:サービス|センター|サポート)|セキュリティ\s*(?:センター|チーム)|アカウント\s*(?:サービス|センター|チーム))/iu,
  /\b(?:dear\s+amazon\s+(?:customer|member|user)|your\s+amazon\s+account|amazon\s+(?:security|customer\s+service|account\s+services|support\s+team))\b/iu,
];

export function signsAsAmazon(text: string): boolean {
  const t = text.normalize('NFKC');
  return SIGNED_AS_AMAZON.some((re) => re.test(t));
}

/**
 * Whether a message tells of having typed something in (「カード番号入れちゃった」「パスワードを入力しました」, "I entered
 * my password"), as opposed to a pasted mail asking for it (「カード情報を入力してください」) or a warning not to.
 */
export function reportsEntering(text: string): boolean {
  const t = text.normalize('NFKC');
  if (/ください|下さい|\bplease\b/iu.test(t)) return false;
  return /(?:入力|入れ|打ち込ん|打ちこん|教え)(?:し)?(?:て)?(?:しまっ|しまい|ちゃっ|ちゃい|た|ました)|\b(?:i|i've|i have|i already)\s+(?:entered|typed|put in|gave)\b/iu.test(t);
}

/** The text with each link as written taken out (so a link's own name, amazon-secure.top, signs nothing). */
function textWithoutLinks(text: string, links: readonly LinkFinding[]): string {
  let out = text;
  for (const l of links) if (l.input) out = out.split(l.input).join(' ');
  return out;
}

/** Verdicts whose host (and short-link destination) a card shows defanged: not known to be a genuine shop. */
const DEFANGED_ON_CARD: ReadonlySet<LinkFinding['verdict']> = new Set(['impersonation', 'unknown-site', 'shortener']);

/** Folded texts of keys (see Step.folded), per locale table. */
const foldedTextCache = new WeakMap<Locales, Map<string, string>>();
/** The folded parts of an option's keywords (see FlowOption.keywords), folded once per loaded option. */
const optionPartsCache = new WeakMap<FlowOption, string[][]>();
function optionKeywordParts(o: FlowOption): string[][] {
  let parts = optionPartsCache.get(o);
  if (!parts) optionPartsCache.set(o, (parts = (o.keywords ?? []).map(keywordParts)));
  return parts;
}

/**
 * A link in free text (an evidence answer): written with a scheme or www., or a host name with a common ending,
 * with or without a path (「amazon-co-jp.secure-verify.top/signin」): chat apps make all of these tappable. Not
 * the domain of an e-mail address.
 */
const URL_IN_TEXT =
  /(?:\bhttps?:\/\/|\bwww\.)[^\s「」『』()（）<>"']+|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|info|biz|jp|top|xyz|shop|site|online|club|tokyo|asia|co|io|cc|me|app|dev|ly|to|cn|ru|vip|icu|buzz|live|link|click|work)(?![\w.-]*@)(?![a-z0-9-])(?:\/[^\s「」『』()（）<>"']*)?/gi;

/** The day `at` falls on in Japan, as the parts the `evidence.date` text is written with. */
export function japanDate(at: number): { y: number; m: number; d: number } {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(at))
    .split('-')
    .map(Number);
  return { y: y!, m: m!, d: d! };
}

/** "https://evil.example/x" → "hxxps://evil[.]example/x": readable, and no app makes a link of it. */
export function defang(text: string): string {
  return text.replace(/\b(h)(tt)(ps?:)/gi, (_, h: string, tt: string, rest: string) => `${h}${tt === 'TT' ? 'XX' : 'xx'}${rest}`).replace(/\./g, '[.]');
}

/**
 * Severity of link verdicts: the worst one decides where a link check goes next. The same order as the
 * checker's VERDICT_SEVERITY (src/listing/link-check.ts; a test keeps them equal), which the engine does not import.
 */
export const LINK_SEVERITY: Readonly<Record<string, number>> = {
  impersonation: 6,
  shortener: 5,
  'unknown-site': 4,
  'other-marketplace': 3,
  'official-shortlink': 2,
  'official-other': 1,
  'official-listing': 0,
};

const ROUTE_OF_VERDICT: Record<string, (typeof LINK_ROUTES)[number]> = {
  impersonation: 'fake',
  'official-listing': 'listing',
  'official-other': 'official',
  'official-shortlink': 'shortlink',
  shortener: 'shortlink',
  'other-marketplace': 'marketplace',
  'unknown-site': 'unknown',
};

const LEVEL_OF_VERDICT: Record<string, VerdictLevel> = {
  impersonation: 'danger',
  shortener: 'medium',
  'unknown-site': 'medium',
  'official-shortlink': 'unknown',
  'other-marketplace': 'unknown',
  'official-other': 'unknown',
  'official-listing': 'unknown',
};

/**
 * Words a user may type instead of pressing a button, by action. They live in the locales
 * (`input.<action>`, `|`-separated) and both languages' words are accepted.
 */
export const TYPED_ACTIONS = ['back', 'menu', 'restart', 'next', 'done', 'later', 'unknown', 'hello', 'thanks', 'help'] as const;
type TypedAction = (typeof TYPED_ACTIONS)[number];

const typedWordCache = new WeakMap<Locales, Map<string, TypedAction>>();
/** A routing keyword, folded: where it leads (a guide's start, or one of its steps) and the words it needs. */
interface RouteWord {
  flow: Flow;
  /** A shortcut's step; absent for the guide's start. */
  step?: string;
  parts: string[];
  /** Folded characters a match covers: the longer, the more specific. */
  score: number;
  /** Position in the guides' lists (menu order, keywords before shortcuts): the earlier wins a full tie. */
  rank: number;
}

const routeIndexCache = new WeakMap<FlowSet, Map<string, RouteWord[]>>();

/**
 * Every guide's routing keywords and shortcuts, folded once per flow set (not on every message), by the first
 * character of their first word: a message is only compared with the keywords whose first character it
 * contains (about 330 keywords, of which a short message meets a few dozen).
 */
function routeIndex(flows: FlowSet): Map<string, RouteWord[]> {
  let index = routeIndexCache.get(flows);
  if (!index) {
    index = new Map();
    let rank = 0;
    const add = (flow: Flow, keyword: string, step?: string) => {
      const parts = keywordParts(keyword).filter((p) => p.length > 0);
      if (!parts.length) return;
      const word: RouteWord = { flow, ...(step ? { step } : {}), parts, score: parts.reduce((n, p) => n + p.length, 0), rank: rank++ };
      const first = String.fromCodePoint(parts[0]!.codePointAt(0)!);
      const list = index!.get(first);
      if (list) list.push(word);
      else index!.set(first, [word]);
    };
    for (const flow of flows.ordered) {
      for (const k of flow.keywords) add(flow, k);
      for (const s of flow.shortcuts ?? []) for (const k of s.keywords) add(flow, k, s.step);
    }
    routeIndexCache.set(flows, index);
  }
  return index;
}

/** Whether `w` wins over `best`: more characters, then a shortcut over a guide's start, then the earlier one. */
function beats(w: RouteWord, best: RouteWord | undefined): boolean {
  if (!best || w.score !== best.score) return !best || w.score > best.score;
  if ((w.step === undefined) !== (best.step === undefined)) return w.step !== undefined;
  return w.rank < best.rank;
}

/** The typed word → action table for a set of locales (built once per locales object). */
function typedWords(locales: Locales): Map<string, TypedAction> {
  let table = typedWordCache.get(locales);
  if (!table) {
    table = new Map();
    for (const action of TYPED_ACTIONS) {
      for (const lang of ['ja', 'en'] as const) {
        for (const word of (locales[lang][`input.${action}`] ?? '').split('|')) if (word.trim()) table.set(foldForMatching(word), action);
      }
    }
    typedWordCache.set(locales, table);
  }
  return table;
}

const forgetWordCache = new WeakMap<Locales, Map<string, boolean>>();
const forgetRequestCache = new WeakMap<Locales, Set<string>>();

/** Typed answers to the /forget confirmation (`input.forget-yes`, `input.forget-no` and the buttons' labels, both languages), folded. */
function forgetWords(locales: Locales): Map<string, boolean> {
  let table = forgetWordCache.get(locales);
  if (!table) {
    table = new Map();
    for (const lang of ['ja', 'en'] as const) {
      const t = locales[lang];
      for (const [key, label, yes] of [['input.forget-yes', 'forget.yes', true], ['input.forget-no', 'forget.no', false]] as const) {
        for (const word of [...(t[key] ?? '').split('|'), t[label] ?? '']) if (word.trim()) table.set(foldForMatching(word), yes);
      }
    }
    forgetWordCache.set(locales, table);
  }
  return table;
}

/** Whole messages that ask to delete what is stored (`input.forget`, both languages), folded. */
function forgetRequests(locales: Locales): Set<string> {
  let set = forgetRequestCache.get(locales);
  if (!set) {
    set = new Set();
    for (const lang of ['ja', 'en'] as const) for (const word of (locales[lang]['input.forget'] ?? '').split('|')) if (word.trim()) set.add(foldForMatching(word));
    forgetRequestCache.set(locales, set);
  }
  return set;
}

/** An ASIN as people copy it from a product page: B0 and eight more letters or digits, maybe after "ASIN:". */
const ASIN_ALONE = /^(?:ASIN\s*[:：]?\s*)?(B0[A-Z0-9]{8})$/i;
const ISBN10_ALONE = /^(?:ISBN(?:-10)?\s*[:：]?\s*)?([1-9][\d-]{8,11}[\dX])$/i;

/** The ASIN (upper case) when the whole message is one, else null; ISBN-10s (book ASINs) must pass their check digit. */
export function bareAsin(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const asin = ASIN_ALONE.exec(t)?.[1];
  if (asin) return asin.toUpperCase();
  const isbn = ISBN10_ALONE.exec(t)?.[1]?.replace(/-/g, '').toUpperCase();
  if (!isbn || isbn.length !== 10) return null;
  // ISBN-10 check: the sum of each digit times its weight (10 down to 1, X = 10) is a multiple of 11.
  const sum = [...isbn].reduce((acc, ch, i) => acc + (ch === 'X' ? 10 : Number(ch)) * (10 - i), 0);
  return sum % 11 === 0 ? isbn : null;
}

/** Events that count as the start of a conversation for language following (a LINE follow, then the first words). */
const FIRST_TURNS = 2;

/**
 * The conversation step: from the current session and one inbound event, decide the new session and
 * the replies. Pure: no I/O, no clock, no randomness (time comes in the event). Every channel shares it.
 */
export function step(ctx: AdvisorContext, session: Session | null, input: StepInput): StepResult {
  return new Turn(ctx, session, input).run();
}

class Turn {
  readonly ctx: AdvisorContext;
  readonly input: StepInput;
  readonly event: InboundEvent;
  s: Session;
  readonly isNew: boolean;
  readonly replies: Reply[] = [];
  readonly outcome: StepOutcome = { verdicts: [], linkVerdicts: [] };
  forget = false;
  /** A /forget confirmation was asked for by the previous reply (see run). */
  forgetPending = false;

  constructor(ctx: AdvisorContext, session: Session | null, input: StepInput) {
    this.ctx = ctx;
    this.event = input.event;
    this.isNew = session === null;
    this.s = session ? copySession(session) : newSession(input.event.receivedAt, input.event.languageCode);
    this.input = this.withoutStoreNames(input);
  }

  /**
   * 「Amazon.co.jpが発送します」「Amazon.co.jpで買いました」: the store's name written in a sentence, not a link to
   * check. When every link of a text is such a name (an Amazon store's domain read as its home page, written with
   * no scheme, path or query) and the text answers a question or describes a listing, the links are left out so
   * the words are read (the reader of descriptions knows 「Amazon.co.jpが発送」). A name sent on its own
   * (「amazon.co.jpって本物？」) is still checked. Words that lead to another guide than the link check, or to one
   * of its shortcuts (「Amazon.co.jpで買ったPS5が届かない」, 「カードの明細にAMAZON.CO.JPの請求」,
   * 「Amazon.co.jpを名乗るSMS」), are read too. Beside a link that is
   * more than a name (a pasted mail: 「Amazon.co.jp ご注文の確認 … https://…」, the app's share text), a name is the
   * sender's or the shop's and gets no card of its own.
   */
  withoutStoreNames(input: StepInput): StepInput {
    const links = input.links;
    if (this.event.kind !== 'text' || !links?.length || !links.some(isStoreName)) return input;
    if (!links.every(isStoreName)) return { ...input, links: links.filter((l) => !isStoreName(l)) };
    const at = this.current();
    const answering = at !== null && (at.step.type === 'question' || at.step.type === 'choice');
    if (answering) return { ...input, links: [] };
    const describes = this.ctx.describeSeller !== undefined && Object.keys(this.ctx.describeSeller(this.event.text, this.event.receivedAt)).length > 0;
    if (describes) return { ...input, links: [] };
    const routed = this.routeByKeyword(foldForMatching(cleanText(this.event.text)));
    // The link check's own shortcuts count too (「Amazon.co.jpを名乗るSMS」 is about a message, not the name's site).
    return routed && (routed.flow !== this.linkCheckFlow() || routed.step !== undefined) ? { ...input, links: [] } : input;
  }

  get lang(): Language {
    return this.s.lang;
  }

  t(key: string, vars?: Readonly<Record<string, string | number>>): string {
    return translate(this.ctx.locales, this.lang, key, vars);
  }

  run(): StepResult {
    if (this.event.chatType === 'group') return this.runGroup();
    if (this.input.discarded) this.say('notice.restarted');
    // Not from a message with a link: that is often a pasted mail or SMS (phishing texts in English reach
    // Japanese users too), not the user's own words.
    if (this.event.kind === 'text' && !this.input.links?.length) this.followWrittenLanguage(this.event.text);
    if (this.event.kind === 'text' && this.event.sensitive.length) this.say('sensitive.warning');
    this.s.turn += 1;
    // A /forget confirmation holds for the one message that answers it: after anything else, a later 「はい」 deletes nothing.
    this.forgetPending = this.s.confirmForget === true;
    this.s.confirmForget = undefined;
    this.dispatch();
    if (this.forget) return { session: null, replies: this.replies, forget: true, outcome: this.outcome };
    return { session: this.s, replies: this.replies, outcome: this.outcome };
  }

  /**
   * Answers in the language the user writes in (kana → Japanese, a sentence in English → English) until
   * they choose one with /lang, and says so when it changes. Not from answers to questions.
   */
  followWrittenLanguage(text: string): void {
    if (this.s.langChosen) return;
    // An answer to a question is data (an order number, a seller's name, what happened in the user's words),
    // not the language the user reads.
    if (this.current()?.step.type === 'question') return;
    // One English word switches only among someone's first messages (a LINE follow or /start is the first
    // event) and not in the middle of a guide they opened by writing in Japanese.
    const written = writtenLanguage(text, this.s.turn < FIRST_TURNS && !this.s.at);
    if (!written || written === this.s.lang) return;
    this.s.lang = written;
    this.say(written === 'ja' ? 'lang.auto-ja' : 'lang.auto-en');
  }

  // ---------------------------------------------------------------- group chats

  /** Groups get compact answers and no stored state: commands, mentions and URLs only. */
  runGroup(): StepResult {
    const links = this.input.links ?? [];
    if (this.event.kind === 'text' && links.length) {
      this.showLinkCards(links);
      this.say('group.private');
    } else if (this.event.kind === 'command' || this.event.kind === 'text' || this.event.kind === 'follow') {
      this.say('group.intro');
    }
    return { session: null, replies: this.replies, outcome: this.outcome };
  }

  // ---------------------------------------------------------------- dispatch

  dispatch(): void {
    const ev = this.event;
    switch (ev.kind) {
      case 'follow':
        this.s = { ...newSession(ev.receivedAt, ev.languageCode), turn: this.s.turn };
        this.say('start.greeting');
        this.showMenu();
        return;
      case 'unsupported':
        this.say(`unsupported.${ev.content === 'sticker' ? 'sticker' : 'content'}`);
        this.reshow();
        return;
      case 'command':
        this.onCommand(ev.command, ev.args);
        return;
      case 'button':
        this.onButton(ev.payload);
        return;
      case 'text':
        this.onText(ev.text);
        return;
      default:
        ev satisfies never;
    }
  }

  onCommand(raw: string, args: string): void {
    const command = raw.toLowerCase();
    if (!COMMAND_SET.has(command)) {
      this.say('command.unknown', { command: raw.slice(0, 32) });
      this.showMenu();
      return;
    }
    const c = command as Command;
    switch (c) {
      case 'start':
        if (this.isNew) this.say('start.greeting');
        this.showMenu();
        return;
      case 'menu':
        this.goMenu();
        return;
      case 'help':
        this.say('help.text');
        this.showMenu();
        return;
      case 'reset':
        this.s = { ...newSession(this.event.receivedAt), lang: this.s.lang, ...(this.s.langChosen ? { langChosen: true as const } : {}), turn: this.s.turn };
        this.say('reset.done');
        this.showMenu();
        return;
      case 'forget':
        this.s.confirmForget = true;
        this.reply({
          kind: 'text',
          text: this.t('forget.confirm'),
          buttons: [this.button('forget.yes', 'fy'), this.button('forget.no', 'fn')],
        });
        return;
      case 'lang': {
        const want = args.trim().toLowerCase();
        if (want === 'ja' || want === 'en') {
          this.s.lang = want;
          this.s.langChosen = true;
          this.say('lang.changed');
          this.reshow();
          return;
        }
        this.reply({ kind: 'text', text: this.t('lang.choose'), buttons: [this.button('lang.ja', 'Lja'), this.button('lang.en', 'Len')] });
        return;
      }
      case 'check':
      case 'secure':
      case 'report':
      case 'scams': {
        const flow = this.ctx.flows.ordered.find((f) => f.command === c);
        if (flow) this.startFlow(flow, args.trim() ? args : undefined);
        else this.showMenu();
        return;
      }
      default:
        c satisfies never;
    }
  }

  onButton(payload: string): void {
    const p = decodePayload(payload);
    if (!p) {
      this.say('button.invalid');
      this.showMenu();
      return;
    }
    if (p.sid !== this.s.sid || p.turn !== this.s.turn - 1) {
      this.say('button.expired');
      this.showMenu();
      return;
    }
    this.outcome.pressedLatestPrompt = true;
    const a = p.action;
    if (a === 'm') return this.goMenu();
    if (a === 'b') return this.goBack();
    if (a === 'r') return this.restartFlow();
    if (a === 'c') return this.resume();
    if (a === 'fy' || a === 'fn') return this.onForgetAnswer(a === 'fy');
    if (a === 'Lja' || a === 'Len') {
      this.s.lang = a === 'Lja' ? 'ja' : 'en';
      this.s.langChosen = true;
      this.say('lang.changed');
      return this.reshow();
    }
    if (a.startsWith('g')) {
      const flow = this.ctx.flows.byId.get(a.slice(1));
      if (flow) return this.startFlow(flow);
    }
    const shortcut = shortcutOfAction(a);
    if (shortcut) {
      const flow = this.ctx.flows.byId.get(shortcut.flow);
      const target = flow?.shortcuts?.[shortcut.index]?.step;
      if (flow && target && flow.steps[target]) return this.startAtShortcut(flow, target);
    }
    const at = this.current();
    if (at) {
      const { flow, step } = at;
      if (step.type === 'message' && a === 'n') return this.goTo(flow, step.next);
      if ((step.type === 'choice' || step.type === 'link-check') && /^o\d$/.test(a)) {
        const option = step.options?.[Number(a.slice(1))];
        if (option) return this.choose(flow, option);
      }
      if (step.type === 'question' && a === 'k' && step.skip) {
        this.s.ans[step.field] = null;
        return this.goTo(flow, step.next);
      }
      if (step.type === 'checklist' && (a === 'd' || a === 'l')) return this.nextItem(flow, step);
    }
    this.say('button.invalid');
    this.showMenu();
  }

  onText(text: string): void {
    const clean = cleanText(text);
    if (!clean) {
      this.say('text.empty');
      return this.reshow();
    }
    const folded = foldForMatching(clean);
    const bare = folded.replace(/[。｡.!！?？、,…~〜]+$/u, '');
    // 「はい」「削除して」 typed after /forget asked: the confirmation's answer. Anything else leaves the data alone.
    if (this.forgetPending) {
      const answer = forgetWords(this.ctx.locales).get(bare);
      if (answer !== undefined) return this.onForgetAnswer(answer);
    }
    // 「履歴を全部消して」 typed rather than /forget: the same confirmation.
    if (forgetRequests(this.ctx.locales).has(bare.replace(/(?:ください|下さい|くれますか|もらえますか|ほしい|欲しい|ほしいです|欲しいです|please)$/u, '').trim())) return this.onCommand('forget', '');
    // 「わかりません。」「戻る？」: a typed word with the punctuation a sentence ends with is the same word.
    const words = typedWords(this.ctx.locales);
    const typed = words.get(folded) ?? words.get(bare);
    if (typed === 'back') return this.goBack();
    if (typed === 'menu') return this.goMenu();
    if (typed === 'restart') return this.restartFlow();
    if (typed === 'hello') return this.greet();
    if (typed === 'help') return this.onCommand('help', '');
    if (typed === 'thanks') {
      this.say('text.thanks');
      return this.reshow();
    }
    const links = this.input.links ?? [];
    const at = this.current();
    if (at) {
      const { flow, step } = at;
      switch (step.type) {
        case 'question':
          // 「わからない」 typed instead of pressed: the skip button's answer, where the question has one.
          if (step.skip && (typed === 'unknown' || typed === 'later' || folded === this.folded(step.skip))) {
            this.s.ans[step.field] = null;
            return this.goTo(flow, step.next);
          }
          // Not an answer but a link (a fake page pasted where an amount was asked for): checked like any link below.
          if (this.answerQuestion(flow, step, clean, folded, links)) return;
          break;
        case 'link-check': {
          if (links.length) return this.checkLinks(flow, step, links);
          const option = this.typedOption(step.options, folded);
          if (option) return this.choose(flow, option);
          // No link, but a description of the listing (its price, the seller's ratings…): taken as answers.
          const described = this.described(step, clean);
          if (described) return this.takeDescription(flow, step, described);
          // No link: words that point somewhere else (「電話でコードを聞かれた」) go there; anything else
          // (a pasted text without its link) is asked for the link again.
          const routed = this.routeByKeyword(folded);
          if (routed && !(routed.flow === flow && (routed.step ?? routed.flow.start) === at.stepId)) {
            return routed.step ? this.startAtShortcut(routed.flow, routed.step) : this.startFlow(routed.flow);
          }
          if (this.answerBareAsin(clean)) return;
          this.say('link.none');
          return this.reshow();
        }
        case 'choice': {
          const option = this.typedOption(step.options, folded);
          if (option) return this.choose(flow, option);
          break;
        }
        case 'checklist':
          if (typed === 'done' || typed === 'later' || typed === 'next') return this.nextItem(flow, step);
          break;
        case 'message': {
          if (typed === 'next' || typed === 'done') return this.goTo(flow, step.next);
          // Advice followed by a question (the fake-link warning, then "did you type anything in?"): words that
          // answer the question (「パスワードとカード番号を入れました」) answer it now rather than going elsewhere.
          const ahead = flow.steps[step.next];
          const option = ahead?.type === 'choice' ? this.typedOption(ahead.options, folded, false) : undefined;
          if (option) {
            this.passTo(flow, [at.stepId], step.next);
            return this.choose(flow, option);
          }
          // Advice on where to look, then a question (the price, the number of ratings): an answer typed on the advice
          // (「3000」 on 「どこを見ればいい？ 2/2」) answers the question it leads to, past the advice steps between.
          if (this.answerAhead(flow, at.stepId, clean)) return;
          break;
        }
        case 'summary':
          break;
        default:
          step satisfies never;
      }
    }
    if (links.length) {
      const check = this.linkCheckFlow();
      if (check) return this.startFlow(check, undefined, links);
    }
    // A listing described in some detail (two facts or more: 「3千円で出てて評価が2件」) is answered with that seller's
    // check, prefilled, rather than with the general advice its words would route to.
    if (this.startDescribedCheck(clean)) return;
    const routed = this.routeByKeyword(folded);
    if (routed && at && routed.flow.id === at.flow.id && this.hasProgress()) {
      // Words that point into the guide already open do not start it over, which would throw its answers away
      // (「確認できませんでした」 at a question of the listing check holds one of its keywords): a part of it is
      // reached like a next step, so "back" returns here; its start, or the step the user is on, is shown again.
      const target = routed.step ?? routed.flow.start;
      if (routed.step && target !== at.stepId) {
        this.say('route.within');
        return this.goTo(at.flow, target);
      }
      this.say('text.use-buttons');
      return this.reshow();
    }
    if (routed?.step) return this.startAtShortcut(routed.flow, routed.step);
    if (routed) return this.startFlow(routed.flow, clean);
    if (this.answerBareAsin(clean)) return;
    if (at && at.step.type !== 'summary') {
      this.say('text.use-buttons');
      return this.reshow();
    }
    // Nothing else took it: a single fact about a listing (「セール中で1980円になってる」) is still a listing to check.
    // Not a request to get in touch alone (「電話で連絡してください」): pasted SMS say that too, of no listing at all.
    if (this.startDescribedCheck(clean, 1, 'offPlatformRequest')) return;
    this.say('text.not-understood');
    this.showMenu();
  }

  // ---------------------------------------------------------------- navigation

  current(): { flow: Flow; step: FlowStep; stepId: string } | null {
    const at = this.s.at;
    if (!at) return null;
    const flow = this.ctx.flows.byId.get(at.flow);
    const step = flow?.steps[at.step];
    if (!flow || !step) return null;
    return { flow, step, stepId: at.step };
  }

  goMenu(): void {
    this.pauseCurrent();
    this.leaveGuide();
    this.showMenu();
  }

  /** No guide open (the menu): its place, trail and answers are gone (kept only if pauseCurrent kept them). */
  leaveGuide(): void {
    this.s.at = undefined;
    this.s.trail = [];
    this.s.ans = {};
    this.s.pre = undefined;
  }

  /** Whether the open guide has something to come back to: a step past its start, a checklist item, an answer. */
  hasProgress(): boolean {
    const cur = this.current();
    if (!cur || cur.step.type === 'summary') return false;
    return cur.stepId !== cur.flow.start || this.s.trail.length > 0 || (this.s.at?.item ?? 0) > 0 || Object.keys(this.s.ans).length > 0;
  }

  /**
   * Keeps the open guide, when it has progress, among the guides left half-way (newest first, one entry per guide,
   * at most MAX_PAUSED: the one left longest ago goes). Returns it, or undefined when there was nothing to keep.
   */
  pauseCurrent(): Flow | undefined {
    const cur = this.current();
    if (!cur || !this.hasProgress()) return undefined;
    const entry: PausedGuide = { at: this.s.at!, trail: this.s.trail, ans: this.s.ans, ...(this.s.pre ? { pre: this.s.pre } : {}) };
    const others = this.s.paused.filter((p) => p.at.flow !== cur.flow.id && this.ctx.flows.byId.get(p.at.flow)?.steps[p.at.step]);
    this.s.paused = [entry, ...others].slice(0, MAX_PAUSED);
    return cur.flow;
  }

  /** Removes a guide's half-way entry and returns it (undefined when it has none). */
  takePaused(flowId: string): PausedGuide | undefined {
    const entry = this.s.paused.find((p) => p.at.flow === flowId);
    if (entry) this.s.paused = this.s.paused.filter((p) => p !== entry);
    return entry;
  }

  /** The half-way guides that can still be continued (a guide or step removed since is skipped). */
  pausedFlows(): Flow[] {
    const flows: Flow[] = [];
    for (const p of this.s.paused) {
      const flow = this.ctx.flows.byId.get(p.at.flow);
      if (flow?.steps[p.at.step]) flows.push(flow);
    }
    return flows;
  }

  /**
   * About to open `flow` while another guide is open: that guide is kept half-way (when it has progress), and the
   * user is told it waits for them, so a message or button that leads elsewhere never throws their answers away.
   */
  pauseFor(flow: Flow): void {
    const cur = this.current();
    if (!cur || cur.flow.id === flow.id) return;
    const paused = this.pauseCurrent();
    if (paused) this.say('route.paused', { guide: this.t(paused.title) });
  }

  goBack(): void {
    const cur = this.current();
    if (!cur) return this.showMenu();
    if (cur.step.type === 'checklist' && (this.s.at?.item ?? 0) > 0) {
      this.s.at = { flow: cur.flow.id, step: cur.stepId, item: (this.s.at!.item ?? 1) - 1 };
      return this.showStep(cur.flow, cur.stepId);
    }
    const prev = this.s.trail.pop();
    if (!prev) {
      // Back from a guide's first step: the guide is left (nothing in it to come back to).
      this.leaveGuide();
      return this.showMenu();
    }
    this.s.at = { flow: cur.flow.id, step: prev };
    this.showStep(cur.flow, prev);
  }

  restartFlow(): void {
    const cur = this.current();
    if (!cur) return this.showMenu();
    this.say('restart.done');
    this.startFlow(cur.flow, undefined, undefined, true);
  }

  /**
   * Continues a guide left half-way (`flowId`, or the one left last) where it was, with its trail and answers; the
   * guide open until now, if any, is kept half-way in its turn.
   */
  resume(flowId?: string): void {
    const flow = flowId ? this.ctx.flows.byId.get(flowId) : this.pausedFlows()[0];
    const entry = flow && this.takePaused(flow.id);
    if (!flow || !entry || !flow.steps[entry.at.step]) return this.showMenu();
    this.pauseFor(flow);
    this.s.at = entry.at;
    this.s.trail = entry.trail;
    this.s.ans = entry.ans;
    this.s.pre = entry.pre;
    this.say('resume.done', { guide: this.t(flow.title) });
    this.showStep(flow, entry.at.step);
  }

  startFlow(flow: Flow, initialText?: string, links?: readonly LinkFinding[], fresh = false): void {
    const first = flow.steps[flow.start]!;
    // A message that opened the listing check by describing a listing: what it says answers the questions.
    const described = first.type === 'link-check' && !links?.length && initialText ? this.described(first, initialText) : null;
    // Coming back to a guide left half-way through continues it, unless the user asked to start over (or told
    // about another listing).
    if (!fresh && !links && !described && this.pausedFlows().includes(flow)) return this.resume(flow.id);
    this.enterGuide(flow, flow.start, []);
    if (described && first.type === 'link-check') return this.takeDescription(flow, first, described);
    if (first.type === 'link-check' && (links?.length || initialText)) {
      const found = links ?? this.input.links ?? [];
      if (found.length) return this.checkLinks(flow, first, found);
    }
    this.showStep(flow, flow.start);
  }

  /**
   * Opens a guide at the step a shortcut names, with the guide's start as the step "back" returns to
   * (where the other cases are), and says so first. A guide left half-way through is not resumed: the
   * message asked for this part of it.
   */
  startAtShortcut(flow: Flow, stepId: string): void {
    this.enterGuide(flow, stepId, [flow.start]);
    this.say('route.shortcut', { guide: this.t(flow.title) });
    this.showStep(flow, stepId);
  }

  /**
   * A fresh run of a guide from `stepId` (no answers yet; a half-way run of it is no longer offered). Another guide
   * open until now is kept half-way (see pauseFor); the same guide opened afresh (start over, a new link) replaces its run.
   */
  enterGuide(flow: Flow, stepId: string, trail: string[]): void {
    this.takePaused(flow.id);
    this.pauseFor(flow);
    this.s.at = { flow: flow.id, step: stepId };
    this.s.trail = trail;
    this.s.ans = {};
    this.s.pre = undefined;
    this.outcome.guideStarted = flow.id;
  }

  /** What a message with no link says about a listing, for a link-check step that takes descriptions; null for nothing. */
  described(step: Extract<FlowStep, { type: 'link-check' }>, text: string): Readonly<Record<string, string | number | boolean>> | null {
    if (!step.describe || !this.ctx.describeSeller) return null;
    const facts = this.ctx.describeSeller(text, this.event.receivedAt);
    return Object.keys(facts).length ? facts : null;
  }

  /**
   * Opens the listing check on a message that states `minFacts` facts about a listing or more, not counting
   * `notCounted`; false when it does not.
   */
  startDescribedCheck(text: string, minFacts = 2, notCounted?: string): boolean {
    const check = this.linkCheckFlow();
    const first = check?.steps[check.start];
    // Inside the listing check already (its questions, its advice): not a new run over the answers given so far.
    if (!check || first?.type !== 'link-check' || this.s.at?.flow === check.id) return false;
    const facts = this.described(first, text);
    if (!facts || Object.keys(facts).filter((k) => k !== notCounted).length < minFacts) return false;
    this.enterGuide(check, check.start, []);
    this.takeDescription(check, first, facts);
    return true;
  }

  /** Takes a description's facts as the guide's answers (their questions are then passed over: see pastPrefilled). */
  takeDescription(flow: Flow, step: Extract<FlowStep, { type: 'link-check' }>, facts: Readonly<Record<string, string | number | boolean>>): void {
    // A description given again (after "back" to the request for a link) replaces the one before, not adds to it.
    for (const field of this.s.pre ?? []) delete this.s.ans[field];
    Object.assign(this.s.ans, facts);
    this.s.pre = Object.keys(facts).slice(0, 12);
    this.goTo(flow, step.describe!);
  }

  /**
   * Where moving on to `id` really leads: past the questions the user's description already answered (a question
   * on one of its fields, a choice whose option sets exactly what it said), never into the trail, so "back" skips
   * them too. The way to answer them anyway is to start the guide over.
   */
  pastPrefilled(flow: Flow, id: string): string {
    const pre = this.s.pre;
    if (!pre?.length) return id;
    for (let guard = 0; guard < 50; guard++) {
      const step = flow.steps[id];
      if (step?.type === 'question' && pre.includes(step.field)) {
        id = step.next;
        continue;
      }
      if (step?.type === 'choice') {
        const chosen = step.options.find((o) => o.set && Object.keys(o.set).length > 0 && Object.entries(o.set).every(([k, v]) => pre.includes(k) && this.s.ans[k] === v));
        if (chosen) {
          id = chosen.next;
          continue;
        }
      }
      return id;
    }
    return id;
  }

  goTo(flow: Flow, next: string): void {
    const at = this.s.at;
    if (at) {
      this.s.trail.push(at.step);
      if (this.s.trail.length > MAX_TRAIL) this.s.trail.shift();
    }
    next = this.pastPrefilled(flow, next);
    this.s.at = { flow: flow.id, step: next };
    this.showStep(flow, next);
  }

  /**
   * A message that is only an Amazon product number (「B08N5WRWNW」, an ISBN-10): there is no link to check, so
   * say what it is and ask for the product page's link instead, at the listing check's request for one.
   */
  answerBareAsin(clean: string): boolean {
    const asin = bareAsin(clean);
    const check = asin ? this.linkCheckFlow() : undefined;
    if (!asin || !check) return false;
    this.say('text.asin-only', { asin });
    const at = this.current();
    if (at?.flow.id === check.id && at.stepId === check.start) this.reshow();
    else this.startFlow(check, undefined, undefined, true);
    return true;
  }

  /** The option whose number or label the whole message is (「2」, 「何も入力していない」). */
  /**
   * The option a typed text chooses: its number, its label, or else its keywords (see FlowOption.keywords): the
   * option whose matching keyword covers the most characters, none on a tie.
   */
  typedOption(options: readonly FlowOption[] | undefined, folded: string, byNumber = true): FlowOption | undefined {
    if (!options) return undefined;
    const exact = options.find((o, i) => (byNumber && folded === String(i + 1)) || this.folded(o.label) === folded);
    if (exact) return exact;
    let best: FlowOption | undefined;
    let bestLength = 0;
    let tie = false;
    for (const o of options) {
      for (const parts of optionKeywordParts(o)) {
        if (!parts.every((p) => folded.includes(p))) continue;
        const length = parts.reduce((n, p) => n + p.length, 0);
        if (length > bestLength) {
          best = o;
          bestLength = length;
          tie = false;
        } else if (length === bestLength && best !== o) tie = true;
      }
    }
    return tie ? undefined : best;
  }

  choose(flow: Flow, option: FlowOption): void {
    if (option.set) Object.assign(this.s.ans, option.set);
    if (option.answerAll) this.s.pre = undefined;
    // Points are kept per question, so answering again after "back" replaces them instead of adding up.
    if (this.s.at && flow.steps[this.s.at.step]?.type === 'choice' && hasQuizPoints(flow, this.s.at.step)) this.s.ans[`q:${this.s.at.step}`] = option.score ?? 0;
    this.goTo(flow, option.next);
  }

  nextItem(flow: Flow, step: Extract<FlowStep, { type: 'checklist' }>): void {
    const item = (this.s.at?.item ?? 0) + 1;
    if (item >= step.items.length) return this.goTo(flow, step.next);
    this.s.at = { flow: flow.id, step: this.s.at!.step, item };
    this.showStep(flow, this.s.at.step);
  }

  /**
   * From a message step: the first question within three message steps ahead, answered by `text` when it parses as
   * that question's answer (nothing changes otherwise). The steps passed over go on the trail, so "back" shows them.
   */
  answerAhead(flow: Flow, fromId: string, text: string): boolean {
    const passed: string[] = [fromId];
    let cur = flow.steps[fromId];
    for (let hops = 0; hops < 3 && cur?.type === 'message'; hops++) {
      const nextId: string = cur.next;
      const next = flow.steps[nextId];
      if (next?.type === 'question') {
        if (next.input === 'url' || next.input === 'text') return false;
        const parsed = parseAnswer(next.input, text);
        if (!parsed.ok) return false;
        this.passTo(flow, passed, nextId);
        this.s.ans[next.field] = parsed.value;
        this.goTo(flow, next.next);
        return true;
      }
      passed.push(nextId);
      cur = next;
    }
    return false;
  }

  /**
   * Puts the user at `stepId` as if they had walked through `passed` (oldest first) from where they are: those
   * steps go on the trail, so "back" shows them again. Nothing is shown; the caller answers the step.
   */
  passTo(flow: Flow, passed: readonly string[], stepId: string): void {
    this.s.trail.push(...passed);
    while (this.s.trail.length > MAX_TRAIL) this.s.trail.shift();
    this.s.at = { flow: flow.id, step: stepId };
  }

  /**
   * Takes a typed answer, or asks again politely. Returns false, having done nothing, for a message that is
   * not a valid answer but carries links: the user wants those checked, not to be asked for the number again.
   */
  answerQuestion(flow: Flow, step: Extract<FlowStep, { type: 'question' }>, text: string, folded: string, links: readonly LinkFinding[]): boolean {
    if (step.input === 'url') {
      const first = links[0];
      if (!first) {
        this.say('answer.invalid.url');
        this.offerElsewhere(flow, folded);
        return true;
      }
      this.s.ans[step.field] = (first.canonicalUrl ?? first.url).slice(0, 300);
      this.goTo(flow, step.next);
      return true;
    }
    const parsed = parseAnswer(step.input, text);
    if (!parsed.ok) {
      if (links.length) return false;
      this.say(parsed.error);
      this.offerElsewhere(flow, folded);
      return true;
    }
    this.s.ans[step.field] = parsed.value;
    this.goTo(flow, step.next);
    return true;
  }

  /**
   * After a typed text that does not answer the question on screen: the question again. When the words point to
   * another guide (「カードを不正利用されました」 where a price is asked for), that guide is offered as a button with
   * the question rather than opened at once: the words may have been meant as the answer (「評価が少ない」 for a
   * number of ratings points to a red flag too), and a press opens it with this guide kept half-way.
   */
  offerElsewhere(flow: Flow, folded: string): void {
    const cur = this.current()!;
    const routed = this.routeByKeyword(folded);
    if (!routed || routed.flow.id === flow.id) return this.showStep(flow, cur.stepId);
    const index = routed.step ? (routed.flow.shortcuts ?? []).findIndex((sc) => sc.step === routed.step) : -1;
    const action = index >= 0 ? shortcutAction(routed.flow.id, index) : `g${routed.flow.id}`;
    this.say('route.offer', { guide: this.t(routed.flow.title) });
    this.showStep(flow, cur.stepId, [{ label: this.t(routed.flow.title), payload: encodePayload(this.s.sid, this.s.turn, action) }]);
  }

  checkLinks(flow: Flow, step: Extract<FlowStep, { type: 'link-check' }>, links: readonly LinkFinding[]): void {
    const worst = [...links].sort((a, b) => (LINK_SEVERITY[b.verdict] ?? 4) - (LINK_SEVERITY[a.verdict] ?? 4))[0]!;
    this.showLinkCards(links);
    // Only the address is kept (as {url} for the guide's texts, canonical when it is a listing): its verdict,
    // ASIN and seller id decide the route here and are not needed later, so they are not stored.
    this.s.ans.url = (worst.canonicalUrl ?? worst.url).slice(0, 300);
    let route = ROUTE_OF_VERDICT[worst.verdict] ?? 'unknown';
    // The words around the links: a button press or a link answering a question has none.
    const words = this.event.kind === 'text' ? textWithoutLinks(this.event.text, links) : '';
    // 「【Amazon】お支払い方法を更新してください https://k7xq2.top/a」: a message that signs itself as Amazon with
    // a link to no Amazon site is the fake dressed as Amazon, whatever the site's name (domain-facts §3).
    if (route === 'unknown' && signsAsAmazon(words)) {
      this.say('link.signed-as-amazon');
      route = 'fake';
    }
    const target = step.routes[route];
    // 「このサイトでカード番号入れちゃった https://…」: the message that brought the link already answers the question
    // the advice leads to (what was typed in), so that answer comes now, not the advice for someone who typed nothing.
    const advice = flow.steps[target];
    const ahead = advice?.type === 'message' ? flow.steps[advice.next] : undefined;
    if (advice?.type === 'message' && ahead?.type === 'choice' && reportsEntering(words)) {
      const option = this.typedOption(ahead.options, foldForMatching(cleanText(words)), false);
      if (option) {
        this.passTo(flow, this.s.at ? [this.s.at.step, target] : [target], advice.next);
        return this.choose(flow, option);
      }
    }
    this.goTo(flow, target);
  }

  onForgetAnswer(yes: boolean): void {
    if (!this.forgetPending) {
      this.say('button.expired');
      return this.showMenu();
    }
    if (yes) {
      this.forget = true;
      this.say('forget.done');
      return;
    }
    this.say('forget.cancelled');
    this.reshow();
  }

  linkCheckFlow(): Flow | undefined {
    return this.ctx.flows.ordered.find((f) => f.steps[f.start]?.type === 'link-check');
  }

  /**
   * Where free text leads: the keyword whose words all appear and cover the most characters wins, so a
   * specific phrase beats a word inside it (「入力してしまい」 over 「リンク」). On a tie a shortcut beats a
   * guide's start (it is the more precise answer), then the earlier guide and keyword win.
   */
  routeByKeyword(folded: string): { flow: Flow; step?: string } | undefined {
    const index = routeIndex(this.ctx.flows);
    const tried = new Set<string>();
    let best: RouteWord | undefined;
    for (const c of folded) {
      // By code point, as the index is.
      const words = index.get(c);
      if (!words || tried.has(c)) continue;
      tried.add(c);
      for (const w of words) if (beats(w, best) && w.parts.every((p) => folded.includes(p))) best = w;
    }
    return best && (best.step ? { flow: best.flow, step: best.step } : { flow: best.flow });
  }

  // ---------------------------------------------------------------- rendering

  /** A text key's words in the user's language, folded for matching typed text (cached per locale table). */
  folded(key: string): string {
    let table = foldedTextCache.get(this.ctx.locales);
    if (!table) foldedTextCache.set(this.ctx.locales, (table = new Map()));
    const id = `${this.s.lang}\u0000${key}`;
    let value = table.get(id);
    if (value === undefined) table.set(id, (value = foldForMatching(this.t(key))));
    return value;
  }

  say(key: string, vars?: Record<string, string | number>): void {
    this.reply({ kind: 'text', text: this.t(key, vars) });
  }

  reply(r: Reply): void {
    this.replies.push(r);
  }

  button(labelKey: string, action: string): ReplyButton {
    return { label: this.t(labelKey), payload: encodePayload(this.s.sid, this.s.turn, action) };
  }

  navButtons(): ReplyButton[] {
    return [this.button('nav.back', 'b'), this.button('nav.menu', 'm'), this.button('nav.restart', 'r')];
  }

  menuButtons(): ReplyButton[] {
    const buttons: ReplyButton[] = [];
    if (this.pausedFlows().length) buttons.push(this.button('menu.resume', 'c'));
    for (const flow of this.ctx.flows.ordered) buttons.push(this.button(flow.title, `g${flow.id}`));
    return buttons;
  }

  /**
   * The menu. No guide stays open under it: one with progress is kept half-way first, so that after an expired
   * button, /help or /start in the middle of a guide "continue" is offered, and the guide's own menu button
   * continues it instead of starting it over.
   */
  showMenu(): void {
    if (this.current()?.step.type !== 'summary') {
      this.pauseCurrent();
      this.leaveGuide();
    }
    this.reply({ kind: 'text', text: this.withPausedHint(this.t('menu.text')), buttons: this.menuButtons() });
  }

  /** A menu's text with a line naming the guides left half-way, which its buttons continue. */
  withPausedHint(text: string): string {
    const [last, earlier] = this.pausedFlows();
    if (last && earlier) return `${text}\n${this.t('menu.resume-hint-two', { guide: this.t(last.title), other: this.t(earlier.title) })}`;
    if (last) return `${text}\n${this.t('menu.resume-hint', { guide: this.t(last.title) })}`;
    return text;
  }

  /** A greeting on its own: the welcome and the menu, or, in the middle of a guide, a word and where the user is. */
  greet(): void {
    const cur = this.current();
    if (cur && cur.step.type !== 'summary') {
      this.say('text.hello-in-guide', { guide: this.t(cur.flow.title) });
      return this.showStep(cur.flow, cur.stepId);
    }
    this.say('start.greeting');
    this.showMenu();
  }

  /** Shows where the user is again (after a stray input), or the menu. */
  reshow(): void {
    const cur = this.current();
    if (cur) this.showStep(cur.flow, cur.stepId);
    else this.showMenu();
  }

  vars(): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(this.s.ans)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
    out.score = Object.entries(this.s.ans).reduce((sum, [k, v]) => (k.startsWith('q:') && typeof v === 'number' ? sum + v : sum), 0);
    if (this.s.pre?.length) out.understood = this.understood(this.s.pre);
    return out;
  }

  /** The facts taken from a description, a line each (「・出品価格: 3,000円」), for a step's {understood}. */
  understood(fields: readonly string[]): string {
    const lines: string[] = [];
    for (const field of fields) {
      const v = this.s.ans[field];
      const key = `described.${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      // A description only ever says that something is so (a new seller, a request to pay outside Amazon).
      if (v === true) lines.push(this.t(key));
      else if (typeof v === 'string') lines.push(this.t(`${key}.${v}`));
      else if (typeof v === 'number') lines.push(this.t(key, { value: /price/i.test(field) ? this.formatAnswer(field, v) : v.toLocaleString('ja-JP') }));
    }
    return lines.join('\n');
  }

  /** Shows a step with its buttons; `extra` buttons (a question's offer of another guide) go before back, menu, start over. */
  showStep(flow: Flow, stepId: string, extra: readonly ReplyButton[] = []): void {
    const step = flow.steps[stepId]!;
    const vars = this.vars();
    switch (step.type) {
      case 'message':
        this.reply({ kind: 'text', text: this.t(step.text, vars), buttons: [this.button(step.button ?? 'nav.next', 'n'), ...this.navButtons()] });
        return;
      case 'choice':
        this.reply({
          kind: 'text',
          text: this.t(step.text, vars),
          buttons: [...step.options.map((o, i) => this.button(o.label, `o${i}`)), ...this.navButtons()],
        });
        return;
      case 'question':
        this.reply({
          kind: 'text',
          expectsAnswer: step.input === 'url' ? 'link' : step.input === 'text' ? 'text' : 'number',
          text: this.t(step.text, vars),
          buttons: [...(step.skip ? [this.button(step.skip, 'k')] : []), ...extra, ...this.navButtons()],
        });
        return;
      case 'link-check':
        this.reply({
          kind: 'text',
          expectsAnswer: 'link',
          text: this.t(step.text, vars),
          buttons: [...(step.options ?? []).map((o, i) => this.button(o.label, `o${i}`)), ...this.navButtons()],
        });
        return;
      case 'checklist': {
        const item = this.s.at?.item ?? 0;
        if (item === 0) this.reply({ kind: 'text', text: this.t(step.text, vars) });
        const progress = this.t('checklist.progress', { n: item + 1, total: step.items.length });
        this.reply({
          kind: 'text',
          text: `${progress}\n${this.t(step.items[item]!.text, vars)}`,
          buttons: [this.button('checklist.done', 'd'), this.button('checklist.later', 'l'), ...this.navButtons()],
        });
        return;
      }
      case 'summary':
        this.showSummary(flow, step);
        return;
      default:
        step satisfies never;
    }
  }

  showSummary(flow: Flow, step: Extract<FlowStep, { type: 'summary' }>): void {
    const vars = this.vars();
    this.outcome.guideCompleted = flow.id;
    // The seller-risk result's text says what its own level means ({levelNote}), not what all four mean.
    if (step.show === 'seller-risk') vars.levelNote = this.t(`seller.note.${this.showSellerRisk()}`);
    const unanswered = (v: unknown) => v === null || v === undefined || v === '';
    if (step.show === 'evidence' && (step.fields ?? []).every(({ field }) => unanswered(this.s.ans[field]))) {
      // Every question skipped: no summary of blanks to copy, but what to note down for the consultation.
      this.say('evidence.empty');
    } else {
      if (step.show === 'evidence') {
        let defanged = false;
        const today = japanDate(this.input.event.receivedAt);
        const lines = (step.fields ?? []).map(({ label, field, dated }) => {
          const v = this.s.ans[field];
          let value = unanswered(v) ? this.t('evidence.unanswered') : this.formatAnswer(field, v as string | number | boolean);
          // 「先週の月曜日」 read a week later is another day: the day it named then is written after it.
          const day = dated && typeof v === 'string' ? dayNamedIn(v, today) : null;
          if (day) value = this.t('evidence.dated', { answer: value, date: this.t('evidence.date', { ...day }) });
          // A link in the summary is shown as it is on the cards, so that the copy a user keeps or sends on cannot
          // open the page by a tap.
          value = value.replace(URL_IN_TEXT, (url) => {
            defanged = true;
            return defang(url);
          });
          return `${this.t(label)}: ${value}`;
        });
        // 「今日の午前10時」 means little when read a week later: the summary says when it was made (Japan time).
        lines.unshift(this.t('evidence.made-on', { date: this.t('evidence.date', { ...today }) }));
        if (defanged) lines.push(this.t('evidence.links-defanged'));
        this.reply({ kind: 'summary', title: this.t('evidence.title'), text: lines.join('\n') });
      }
      this.reply({ kind: 'text', text: this.t(step.text, vars) });
    }
    // A finished guide has nothing to continue; the menu closes every path (other guides left half-way still wait).
    this.takePaused(flow.id);
    this.reply({ kind: 'text', text: this.withPausedHint(this.t('menu.after-guide')), buttons: this.menuButtons() });
  }

  formatAnswer(field: string, v: string | number | boolean): string {
    if (typeof v === 'boolean') return this.t(v ? 'answer.yes' : 'answer.no');
    if (typeof v === 'number' && /price|amount|paid|yen/i.test(field)) return this.t('answer.yen', { n: v.toLocaleString('ja-JP') });
    return String(v);
  }

  /** Shows the seller-risk card for the answers so far; returns its level. */
  showSellerRisk(): VerdictLevel {
    const a = this.s.ans;
    const signals: Record<string, unknown> = {};
    for (const key of ['price', 'typicalPrice', 'ratingCount', 'positivePercent', 'lastRatingYearsAgo', 'listingCount']) {
      if (typeof a[key] === 'number') signals[key] = a[key];
    }
    for (const key of ['newSeller', 'hasBusinessInfo', 'offPlatformRequest']) {
      if (typeof a[key] === 'boolean') signals[key] = a[key];
    }
    if (typeof a.fulfilment === 'string') signals.fulfilment = a.fulfilment;
    const result = this.ctx.assessSeller(signals);
    const level: VerdictLevel = result.level;
    this.outcome.verdicts.push(level);
    const lines = result.reasons.flatMap((code) => [`• ${this.t(`seller.reason.${code}`)}`, `  → ${this.t(`seller.advice.${code}`)}`]);
    this.reply({
      kind: 'verdict',
      level,
      title: this.t('seller.title', { level: this.t(`seller.level.${level}`), score: result.score }),
      lines,
    });
    return level;
  }

  showLinkCards(links: readonly LinkFinding[]): void {
    for (const link of links.slice(0, MAX_LINK_CARDS)) {
      const level = LEVEL_OF_VERDICT[link.verdict] ?? 'unknown';
      this.outcome.linkVerdicts.push(link.verdict);
      this.outcome.verdicts.push(level);
      // A host that may be dangerous is shown defanged: LINE and Telegram turn a bare host in a message into a
      // link, and the card must not hand the user a way to open the page it warns about.
      const shown = DEFANGED_ON_CARD.has(link.verdict) ? defang : (text: string) => text;
      const lines = [this.t('link.host', { host: shown(link.host.slice(0, 100)) })];
      if (link.expandedTo) lines.push(this.t('link.expanded-to', { url: shown(link.expandedTo.slice(0, 200)) }));
      // Where a wrapper or redirect really leads, defanged unless that address is Amazon's own.
      let inside = link.wrapped;
      while (inside?.wrapped !== undefined) inside = inside.wrapped;
      if (inside !== undefined) {
        const url = inside.url.slice(0, 200);
        lines.push(this.t('link.wrapped-to', { url: inside.verdict.startsWith('official') ? url : defang(url) }));
      }
      for (const code of link.reasons) lines.push(`• ${this.t(`link.reason.${code}`)}`);
      if (shown === defang) lines.push(this.t('link.shown-defanged'));
      this.reply({ kind: 'verdict', level, title: this.t(`link.verdict.${link.verdict}`), lines });
    }
    if (links.length > MAX_LINK_CARDS) this.say('link.more', { count: links.length - MAX_LINK_CARDS });
  }
}
