// The web chat page's script. Plain TypeScript with erasable types only: the server strips the types
// at start-up (src/web/web-assets.ts) and serves the result as /chat.js. No framework, no inline code
// (the Content-Security-Policy forbids it), and every text comes from the server (GET /api/chat/strings).
// Replies are rendered with textContent only, never as HTML, and links are never made clickable:
// users paste suspicious URLs here.

import type { Reply, ReplyButton, VerdictLevel } from '../src/engine/reply.ts';
import type { WebChatAnswer, WebChatError, WebStrings } from '../src/web/web-chat-api.ts';
import type { WebStringKey } from '../src/web/web-strings.ts';

type Lang = 'ja' | 'en';

/** One line of the transcript kept in this tab's sessionStorage, so a reload shows the conversation where it was. */
type Entry = { who: 'user'; text: string } | { who: 'bot'; reply: Reply };

interface SavedTranscript {
  v: 1;
  lang: Lang;
  entries: Entry[];
  /** Index of the first entry of the latest answer: only its buttons are still live. */
  live: number;
}

type MessageRequest = { text: string } | { button: string } | { lang: Lang };

const STORAGE_KEY = 'mamori.web.transcript';
/** The engine's navigation actions (back, menu, start over): the last part of a payload `<sid>.<turn>.<action>`. */
const NAV_ACTIONS = new Set(['b', 'm', 'r']);
const MAX_ENTRIES = 80;
const LEVELS: readonly VerdictLevel[] = ['danger', 'high', 'medium', 'low', 'unknown'];

const log = document.getElementById('log') as HTMLOListElement;
const form = document.getElementById('composer') as HTMLFormElement;
const input = document.getElementById('input') as HTMLTextAreaElement;
const sendButton = document.getElementById('send') as HTMLButtonElement;
const statusLine = document.getElementById('status') as HTMLParagraphElement;
const langSwitch = document.getElementById('lang-switch') as HTMLButtonElement;

let lang: Lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
let strings: Partial<Record<WebStringKey, string>> = {};
let entries: Entry[] = [];
let live = 0;
let busy = false;
/**
 * Until when (ms since the epoch) nothing is sent: the server said this conversation sent more than its limit
 * allows (429 with Retry-After). The buttons stay where they are, disabled, and come back by themselves; a tap
 * meanwhile is not sent, so it does not count against the limit and stretch the wait.
 */
let heldUntil = 0;
let holdTimer: ReturnType<typeof setTimeout> | undefined;
/** The longest wait the page accepts from a Retry-After header (the per-minute limit's window). */
const MAX_HOLD_SECONDS = 60;
/** How long "ready again" stays in the status line after a wait. */
const READY_NOTE_MS = 6_000;

function t(key: WebStringKey): string {
  return strings[key] ?? key;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------- texts and language

function applyChrome(): void {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-t]')) node.textContent = t(node.dataset.t as WebStringKey);
  for (const node of document.querySelectorAll<HTMLElement>('[data-t-placeholder]')) node.setAttribute('placeholder', t(node.dataset.tPlaceholder as WebStringKey));
  for (const node of document.querySelectorAll<HTMLElement>('[data-t-aria-label]')) node.setAttribute('aria-label', t(node.dataset.tAriaLabel as WebStringKey));
  langSwitch.lang = lang === 'ja' ? 'en' : 'ja';
}

async function loadStrings(want: Lang): Promise<void> {
  try {
    const res = await fetch(`/api/chat/strings?lang=${want}`, { headers: { accept: 'application/json' } });
    if (!res.ok) return;
    const body = (await res.json()) as WebStrings;
    strings = body.strings;
    lang = body.lang;
    applyChrome();
  } catch {
    // Keep the texts the page was served with; the next answer tries again.
  }
}

async function followLanguage(next: Lang): Promise<void> {
  if (next !== lang || !Object.keys(strings).length) await loadStrings(next);
}

// ---------------------------------------------------------------- transcript

function save(): void {
  try {
    const saved: SavedTranscript = { v: 1, lang, entries, live };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Storage full or disabled: the conversation still works, a reload just starts from the menu.
  }
}

function restore(): SavedTranscript | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const saved = JSON.parse(raw) as SavedTranscript;
    if (saved?.v !== 1 || !Array.isArray(saved.entries) || typeof saved.live !== 'number') return null;
    return saved;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- rendering

/**
 * A run of 13 or more printable ASCII characters (with a Japanese bracket or comma touching it): a link, a
 * (defanged) host, an order number. Browsers break such a run at any hyphen, or anywhere at all, which splits
 * "249-1234567-1234567" or "amazon-co-jp[.]secure-verify[.]top" at a hyphen; appendText keeps it whole when it
 * fits on a line, and otherwise breaks it only after "://", "/", "[.]", ".", "?", "&" or "=".
 */
const LONG_TOKEN = /([\u300c\u300e\uff08\uff3b\u3010\u3008\u300a\u201c\u2018]?)([!-~]{13,})([\u300d\u300f\uff09\uff3d\u3011\u3009\u300b\u201d\u2019\u3001\u3002\uff0c\uff0e\uff01\uff1f\uff1a]*)/g;
/** A link or host has a dot or a slash; a code with only hyphens (an order number) is kept whole if short. */
const isLinkLike = (token: string) => /[./]/.test(token) || (token.includes('-') && token.length <= 24);
const TOKEN_PART_END = /:\/\/|\[\.\]|[/.?&=]/g;
/** Tokens up to this long are first tried whole on a line of their own (a host, an order number). */
const WHOLE_TOKEN = 40;
/** Lines with a bullet, a note mark or an arrow: their wrapped lines continue under the text, not the mark. */
const HANGING = /^\s*(?:[\u30fb\u2022\u203b\u2192]|[-\u2013] )/;
/** "※ " and "→ " (a full-width mark and a space) hang further than a bullet alone. */
const HANGING_WIDE = /^\s*[\u203b\u2192]\s/;

/** Splits a token after each of its separators: "hxxps://", "www[.]", "amazon[.]", "co[.]", "jp/", "dp/", "B0…". */
function tokenParts(token: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of token.matchAll(TOKEN_PART_END)) {
    const end = m.index + m[0].length;
    if (end < token.length && end > start) {
      parts.push(token.slice(start, end));
      start = end;
    }
  }
  parts.push(token.slice(start));
  return parts;
}

/**
 * Appends a text where long ASCII tokens wrap well (see LONG_TOKEN). Only elements are added around the
 * characters (inline blocks and <wbr>), so the node's textContent is still exactly `text`: what is copied is
 * what was sent.
 */
function appendText(parent: HTMLElement, text: string): void {
  let last = 0;
  for (const m of text.matchAll(LONG_TOKEN)) {
    const [whole, lead = '', token = '', trail = ''] = m;
    if (!isLinkLike(token)) continue;
    if (m.index > last) parent.append(text.slice(last, m.index));
    const holder = token.length <= WHOLE_TOKEN ? el('span', 'token') : parent;
    // A bracket or comma next to the token stays with it, never alone at the end or start of a line.
    const parts = tokenParts(token);
    parts[0] = lead + parts[0];
    parts[parts.length - 1] += trail;
    parts.forEach((part, i) => {
      if (i > 0) holder.append(el('wbr'));
      holder.append(el('span', 'token-part', part));
    });
    if (holder !== parent) parent.append(holder);
    last = m.index + whole.length;
  }
  if (last < text.length) parent.append(text.slice(last));
}

/**
 * Appends a text of several lines: lines that start with a bullet or a note mark (or every line, for the
 * summary's "label: value" lines) hang, so a wrapped line is not read as a new item. textContent stays `text`.
 */
function appendLines(parent: HTMLElement, text: string, hangAll = false): void {
  text.split('\n').forEach((line, i) => {
    if (i > 0) parent.append('\n');
    if (line && (hangAll || HANGING.test(line))) {
      const hung = el('span', HANGING_WIDE.test(line) ? 'hang hang-wide' : 'hang');
      appendText(hung, line);
      parent.append(hung);
    } else {
      appendText(parent, line);
    }
  });
}

function textBlock<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string, hangAll = false): HTMLElementTagNameMap[K] {
  const node = el(tag, className);
  appendLines(node, text, hangAll);
  return node;
}

function renderEntry(entry: Entry, index: number, announce: boolean): HTMLLIElement {
  const item = el('li', `msg ${entry.who}`);
  const previous = entries[index - 1];
  if (entry.who === 'user' || previous?.who !== 'bot') item.append(el('span', 'visually-hidden', `${t(entry.who === 'user' ? 'web.you' : 'web.bot')}: `));
  if (entry.who === 'user') {
    item.append(textBlock('p', 'bubble', entry.text));
    return item;
  }
  const reply = entry.reply;
  switch (reply.kind) {
    case 'text':
      item.append(textBlock('p', 'bubble', reply.text));
      break;
    case 'verdict':
      item.append(renderVerdict(reply, announce));
      break;
    case 'summary':
      item.append(renderSummary(reply));
      break;
    default:
      reply satisfies never;
  }
  if (index >= live && reply.buttons?.length) item.append(renderChips(reply.buttons));
  return item;
}

function renderVerdict(reply: Extract<Reply, { kind: 'verdict' }>, announce: boolean): HTMLElement {
  const level: VerdictLevel = LEVELS.includes(reply.level) ? reply.level : 'unknown';
  const card = el('section', `verdict level-${level}`);
  // The fake-link warning must not be missed: an alert for screen readers the moment it arrives.
  if (level === 'danger' && announce) card.setAttribute('role', 'alert');
  const badge = el('p', 'verdict-level');
  badge.append(el('span', 'verdict-icon'), el('span', '', t(`web.level.${level}`)));
  badge.firstElementChild!.setAttribute('aria-hidden', 'true');
  card.append(badge);
  if (level === 'danger') card.append(el('p', 'verdict-banner', t('web.danger-banner')));
  card.append(el('h2', 'verdict-title', reply.title));
  if (reply.lines.length) {
    // Reasons ("• …") hang after their bullet; the advice under each ("  → …") is indented below it, so each
    // reason and its advice read as one item however they wrap. A note ("※ …") hangs after its mark.
    const lines = el('div', 'verdict-lines');
    for (const line of reply.lines) {
      const kind = /^\s*\u2192/.test(line) ? 'verdict-advice' : /^\s*[\u2022\u30fb]/.test(line) ? 'verdict-reason' : /^\s*\u203b/.test(line) ? 'verdict-note' : '';
      const p = el('p', kind);
      appendText(p, kind ? line.trim() : line);
      lines.append(p);
    }
    card.append(lines);
  }
  return card;
}

function renderSummary(reply: Extract<Reply, { kind: 'summary' }>): HTMLElement {
  const box = el('section', 'summary');
  box.append(el('h2', 'summary-title', reply.title));
  // Each "label: value" line hangs, so a long answer is not read as the next line's label.
  const text = textBlock('pre', 'summary-text', reply.text, true);
  text.tabIndex = 0;
  const done = el('span', 'copy-status');
  done.setAttribute('role', 'status');
  const copy = el('button', 'copy', t('web.copy'));
  copy.type = 'button';
  copy.addEventListener('click', () => void copyText(reply.text, text, done, copy));
  const actions = el('div', 'summary-actions');
  actions.append(copy, done);
  box.append(text, actions);
  return box;
}

/**
 * The answers first, then back / menu / start over on a line of their own and drawn lighter (as Telegram's
 * last row), so they are never read as one of the answers. DOM order stays the reply's order.
 */
function renderChips(buttons: readonly ReplyButton[]): HTMLElement {
  const group = el('div', 'chips');
  group.setAttribute('role', 'group');
  const answers = el('div', 'chip-row');
  const nav = el('div', 'chip-row chip-row-nav');
  for (const b of buttons) {
    const isNav = NAV_ACTIONS.has(b.payload.slice(b.payload.lastIndexOf('.') + 1));
    const chip = el('button', isNav ? 'chip chip-nav' : 'chip', b.label);
    chip.type = 'button';
    chip.addEventListener('click', () => void send({ button: b.payload }, b.label, true));
    (isNav ? nav : answers).append(chip);
  }
  for (const row of [answers, nav]) if (row.childElementCount) group.append(row);
  return group;
}

function renderAll(): void {
  log.replaceChildren(...entries.map((e, i) => renderEntry(e, i, false)));
}

/**
 * Adds one answer to the transcript and the page: the user's bubble (when there is one), then the
 * replies. Older chips are removed (only the newest answer's buttons still work); nodes are appended,
 * never re-rendered, so the live region announces only what is new.
 */
function addAnswer(userText: string | undefined, replies: readonly Reply[], focusChip: boolean): void {
  for (const chips of log.querySelectorAll('.chips')) chips.remove();
  if (userText !== undefined) {
    entries.push({ who: 'user', text: userText });
    log.append(renderEntry(entries[entries.length - 1]!, entries.length - 1, true));
  }
  live = entries.length;
  let first: HTMLElement | undefined;
  for (const reply of replies) {
    entries.push({ who: 'bot', reply });
    const node = renderEntry(entries[entries.length - 1]!, entries.length - 1, true);
    first ??= node;
    log.append(node);
  }
  while (entries.length > MAX_ENTRIES) {
    entries.shift();
    log.firstElementChild?.remove();
    live = Math.max(0, live - 1);
  }
  save();
  first?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  if (focusChip) {
    const chip = log.querySelector<HTMLButtonElement>('.chip');
    (chip ?? input).focus({ preventScroll: true });
  }
}

function setBusy(on: boolean): void {
  busy = on;
  updateControls();
  form.setAttribute('aria-busy', String(on));
}

function held(): boolean {
  return Date.now() < heldUntil;
}

/** Chips, Send and the language switch work unless a message is on its way or the page is waiting out the limit. */
function updateControls(): void {
  const off = busy || held();
  sendButton.disabled = off;
  langSwitch.disabled = off;
  for (const chip of log.querySelectorAll<HTMLButtonElement>('.chip')) chip.disabled = off;
}

/**
 * Over the conversation's rate limit: keeps everything on screen, says how long to wait, and gives the buttons
 * back when the time is up (announced, for screen readers that cannot see them come back); then runs `then`.
 */
function holdFor(retryAfter: number | null, then?: () => void): void {
  const seconds = Math.min(MAX_HOLD_SECONDS, Math.max(1, Math.ceil(retryAfter ?? 10)));
  heldUntil = Date.now() + seconds * 1000;
  clearTimeout(holdTimer);
  setStatus(t('web.error.rate-limited').replace('{seconds}', String(seconds)), 'info');
  updateControls();
  holdTimer = setTimeout(() => {
    heldUntil = 0;
    updateControls();
    setStatus(t('web.ready'), 'info');
    // The note has done its work once read: it goes after a while, unless something else was said meanwhile.
    const ready = statusLine.textContent;
    setTimeout(() => {
      if (statusLine.textContent === ready) setStatus('');
    }, READY_NOTE_MS);
    then?.();
  }, seconds * 1000);
}

function setStatus(text: string, tone: 'info' | 'error' = 'info'): void {
  statusLine.textContent = text;
  statusLine.className = `status ${text ? tone : ''}`;
}

// ---------------------------------------------------------------- copying the evidence summary

/**
 * Copies exactly the summary's text (what the box shows: the box holds the same characters, only wrapped).
 * The note is emptied first, so pressing the button again is announced again.
 */
async function copyText(text: string, shown: HTMLElement, status: HTMLElement, button: HTMLButtonElement): Promise<void> {
  status.textContent = '';
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard API (plain http on a LAN address is not a secure context) or no permission.
    const area = el('textarea', 'offscreen');
    area.value = text;
    area.setAttribute('readonly', '');
    document.body.append(area);
    area.select();
    area.setSelectionRange(0, text.length); // iOS Safari selects nothing with select() alone
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    // Selecting moved the focus into the removed box: give it back to the button, not to the page's start.
    button.focus({ preventScroll: true });
  }
  if (ok) {
    status.textContent = t('web.copied');
    return;
  }
  // Last resort: select the text so the user can copy it themselves.
  const range = document.createRange();
  range.selectNodeContents(shown);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  status.textContent = t('web.copy-failed');
}

// ---------------------------------------------------------------- talking to the API

function requestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function post(path: string, body: object): Promise<{ status: number; data: WebChatAnswer | WebChatError | null; retryAfter: number | null }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  let data: WebChatAnswer | WebChatError | null = null;
  try {
    data = (await res.json()) as WebChatAnswer | WebChatError;
  } catch {
    data = null;
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return { status: res.status, data, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
}

function errorText(status: number, error: WebChatError | null): WebStringKey {
  if (status === 413) return 'web.error.too-long';
  if (status === 409 || error?.error === 'timeout') return 'web.error.busy';
  if (status === 503) return 'web.error.unavailable';
  return 'web.error.server';
}

async function start(): Promise<void> {
  setBusy(true);
  try {
    const { status, data, retryAfter } = await post('/api/chat/start', { lang });
    if (status === 429) {
      // Nothing to show yet: the conversation is opened once the wait is over.
      holdFor(retryAfter, () => void start());
      return;
    }
    if (status !== 200 || !data || !('replies' in data) || 'error' in data) {
      setStatus(t(errorText(status, data as WebChatError | null)), 'error');
      return;
    }
    // A new conversation after a lost session keeps what was shown before (the user may still want to
    // copy an earlier summary); only its buttons go, since they belonged to the old conversation.
    const answer = data as WebChatAnswer;
    await followLanguage(answer.lang);
    addAnswer(undefined, answer.replies, false);
    setStatus('');
  } catch {
    setStatus(t(navigator.onLine ? 'web.error.network' : 'web.error.offline'), 'error');
  } finally {
    setBusy(false);
  }
}

/** Sends a message; `shown` is what the user's bubble says for a pressed chip. */
async function send(message: MessageRequest, shown?: string, fromChip = false): Promise<boolean> {
  if (busy || held()) return false;
  if (!navigator.onLine) {
    setStatus(t('web.error.offline'), 'error');
    return false;
  }
  setBusy(true);
  setStatus(t('web.sending'));
  let sessionLost = false;
  try {
    const { status, data, retryAfter } = await post('/api/chat/message', { ...message, id: requestId() });
    if (status === 401) {
      sessionLost = true;
      return false;
    }
    if (status === 429) {
      // Not handled: nothing is added, the buttons pressed stay, and what was typed stays in the box.
      holdFor(retryAfter);
      return false;
    }
    if (status !== 200 || !data || 'error' in data) {
      const error = data && 'error' in data ? data : null;
      setStatus(t(errorText(status, error)), 'error');
      // After a fault the server sends the menu, so the user can go on.
      if (error?.replies?.length) addAnswer(undefined, error.replies, fromChip);
      return false;
    }
    const answer = data;
    if (answer.duplicate) {
      setStatus('');
      return true;
    }
    await followLanguage(answer.lang);
    if (answer.forgotten) {
      // Nothing about this conversation stays in the browser either: only the confirmation is shown.
      entries = [];
      log.replaceChildren();
      addAnswer(undefined, answer.replies, fromChip);
      sessionStorage.removeItem(STORAGE_KEY);
    } else {
      addAnswer(answer.echo ?? shown, answer.replies, fromChip);
    }
    setStatus('');
    return true;
  } catch {
    setStatus(t(navigator.onLine ? 'web.error.network' : 'web.error.offline'), 'error');
    return false;
  } finally {
    setBusy(false);
    if (sessionLost) {
      // The cookie is gone or was signed by a key this server no longer has (e.g. after a restart).
      await start();
      setStatus(t('web.session-new'), 'info');
    }
  }
}

// ---------------------------------------------------------------- wiring

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  void send({ text }).then((sent) => {
    if (sent) input.value = '';
    input.focus({ preventScroll: true });
  });
});

input.addEventListener('keydown', (event) => {
  // Enter sends; Shift+Enter is a new line. While an IME is composing Japanese, Enter only confirms the conversion.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    form.requestSubmit();
  }
});

langSwitch.addEventListener('click', () => void send({ lang: lang === 'ja' ? 'en' : 'ja' }, undefined, false));

window.addEventListener('offline', () => setStatus(t('web.error.offline'), 'error'));
window.addEventListener('online', () => setStatus(''));

async function main(): Promise<void> {
  const saved = restore();
  if (saved) lang = saved.lang === 'en' ? 'en' : 'ja';
  await loadStrings(lang);
  if (saved && saved.entries.length) {
    entries = saved.entries;
    live = Math.min(saved.live, entries.length);
    renderAll();
    log.lastElementChild?.scrollIntoView({ block: 'end' });
    return;
  }
  await start();
}

void main();
