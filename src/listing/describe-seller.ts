// Reads what a user's own description of a listing says about the seller (「2万円のゲーム機が3千円で出てて、出品者は先月
// できたばかりで評価が2件しかない」), as answers to the listing check's questions. Many people see the listing in
// the app and have no link to paste, or have told the whole story before any question was asked; what they
// already said should not be asked again.
//
// Careful by design: a fact is taken only when the words leave no doubt about what it is (an amount needs a word
// saying whether it is the listed price or the usual one; two amounts with no such word are left alone), and
// whatever is taken is shown back to the user before any question, with the way to answer every question
// instead. Pure: no network; the clock comes in as the event's time.

import { amountsIn, kanjiNumbersToDigits, toNumber, type AmountInText } from '../engine/parse-answer.ts';

/** What a description can say, in the listing check's answer fields (see flows/check.json and assess-seller-risk.ts). */
export type DescribedSeller = {
  price?: number;
  typicalPrice?: number;
  ratingCount?: number;
  listingCount?: number;
  lastRatingYearsAgo?: number;
  newSeller?: true;
  fulfilment?: 'amazon' | 'seller' | 'overseas';
  offPlatformRequest?: true;
};

/** The fields in the order they are shown back to the user (the order of the questions). */
export const DESCRIBED_FIELDS = ['price', 'typicalPrice', 'fulfilment', 'ratingCount', 'lastRatingYearsAgo', 'listingCount', 'newSeller', 'offPlatformRequest'] as const;

/**
 * The texts that show a description's facts back, for every value it can give: `described.<field>` (the field in
 * kebab case; for a string value, `described.<field>.<value>`) in locales/.
 */
export const DESCRIBED_TEXT_KEYS = [
  'price',
  'typical-price',
  'fulfilment.amazon',
  'fulfilment.seller',
  'fulfilment.overseas',
  'rating-count',
  'last-rating-years-ago',
  'listing-count',
  'new-seller',
  'off-platform-request',
] as const;

/** Longest description read: a pasted listing page can be long, and the facts sit near each other. */
const MAX_DESCRIPTION = 2000;

// --- whether the words around a fact state it -----------------------------------------------------------------------
//
// The patterns below find the words of a fact (「評価が2件」「新規出品者」「中国から発送」). Words right around them can
// still say it is not so (「新規ではない」), ask it (「すすめられましたか？」), leave it open (「新規かどうか」), make it a
// condition (「評価が0件だったら」), or make it a kind of seller rather than this one (「新しい出品者から買うのは危ない？」):
// such a fact is not taken (see `holds`).

/** Right after a fact: said not to be so, asked, or left open. */
const NOT_STATED_AFTER =
  /^\s*(?:(?:で|じゃ|では|には)?(?:は|も)?(?:ない|なく|なさ|なかった|ありません|ございません|無い|無く)|わけ(?:では|じゃ)|(?:なの|だ|である)?か(?:どうか|な|も|わから|分から|不明|[?？]|$|\s*\d)|(?:ら?れ)?(?:てい|て)?(?:まし)?(?:た|ます|る)?か\s*(?:[?？。]|$)|(?:ら?れ)?(?:し)?(?:てい|て)?(?:ない|ません|なかった|ず))/;
/** Right after a fact, words that make it a kind of seller asked about: 「…出品者から買うのは」「…って危ない」「…は避けた方が」. */
const GENERIC_AFTER =
  /^(?:しか)?(?:ない|なし)?(?:の|な)?(?:出品者|セラー|ショップ|業者|お店|店|商品|人|ところ)?(?:さん)?(?:から(?:買う|買って?も|買わ|購入す|購入して?も)|って(?:危|安全|大丈夫|怪し|詐欺|信用|どう|本当|よく|多い|普通)|とは|は(?:危|安全|大丈夫|怪し|詐欺|信用|避け|やめ|買わ|どう)|を(?:避け|見分け)|には(?:注意|気を)|の(?:見分け|特徴)|に(?:注意|気をつけ)|が多い)/;
/** Right before such words, a word pointing at one seller: 「この新しい出品者は大丈夫？」 is about this one. */
const THIS_BEFORE = /(?:この|その|あの|今の|ここの)\s*$/;
/** English for a kind of seller: "buy from a new seller". */
const GENERIC_BEFORE_EN = /\b(?:buy(?:ing)?|order(?:ing)?|purchas(?:e|ing)|trust(?:ing)?)\s+(?:from\s+)?(?:a|an|any)\s+$|\b(?:a|an|any)\s+seller\s+with\s+$/i;
/** Where the words that belong to a fact end: the clause it is in. */
const CLAUSE_END = /[。!?！？\n、,]|ので|のに|けど|けれど|(?<=[たで])から/;
/** A condition in the fact's clause: 「評価が0件だったら」「3千円で売ってたら」「評価が2件しかない場合は」. */
const CONDITIONAL = /たら|なら(?![なべんびぶ])|としたら|とすれば|場合|ときは|時は|であれば|なければ|あれば/;
/** A sentence that is a supposition from its start: 「もし…」「仮に…」 "if …". 「もしかして」 is no supposition. */
const SUPPOSITION = /もし(?!かし|もし)|仮に|\bif\b|\bsuppose\b|\bhypothetically\b/i;
/** A bracket of examples (the bot's own question texts, pasted back): 「（例: 「120件」）」「（銀行振込、メール、LINEなど）」. */
const EXAMPLES = /\([^()\n]{0,160}\)/g;
const EXAMPLE_WORD = /例|など|e\.g\.|for example|such as/i;

type HoldOptions = { generic?: boolean; innerCondition?: boolean };

/** Whether the fact whose words are t[start, end) is stated, by the words around it (see above). */
function holds(t: string, start: number, end: number, opts: HoldOptions = {}): boolean {
  const rest = t.slice(end, end + 40);
  if (NOT_STATED_AFTER.test(rest)) return false;
  const clauseEnd = CLAUSE_END.exec(rest);
  const clause = clauseEnd ? rest.slice(0, clauseEnd.index) : rest;
  if (CONDITIONAL.test(clause) || (opts.innerCondition !== false && CONDITIONAL.test(t.slice(start, end)))) return false;
  if (opts.generic !== false) {
    const before = t.slice(Math.max(0, start - 24), start);
    if (GENERIC_AFTER.test(rest) && !THIS_BEFORE.test(before)) return false;
    if (GENERIC_BEFORE_EN.test(before)) return false;
  }
  return true;
}

/** The first match of a global pattern whose fact is stated (see holds), or null. */
function firstHolding(p: RegExp, t: string, opts?: HoldOptions): RegExpMatchArray | null {
  for (const m of t.matchAll(p)) if (holds(t, m.index, m.index + m[0].length, opts)) return m;
  return null;
}

/** The text with what states nothing blanked out: bracketed examples, and sentences that are suppositions. */
function withoutAsides(t: string): string {
  const noExamples = t.replace(EXAMPLES, (p) => (EXAMPLE_WORD.test(p) ? '。' : p));
  return noExamples.replace(/[^。!?！？\n]{1,400}/g, (s) => (SUPPOSITION.test(s) ? '。' : s));
}

// --- amounts: which is the listed price, which the usual one ---------------------------------------------------

/**
 * Words right before an amount that make it the usual price: 「相場は3万円」「定価30,000円」「ふだんの値段は2万円」. (A
 * price word after the usual word is the usual price too, not the listed one.)
 */
const USUAL_BEFORE =
  /(?:相場|定価|通常価格|通常|普通|ふつう|ふだん|普段|いつも|本来|元値|元の値段|市場価格|実勢価格|希望小売価格|参考価格|新品価格|ほかの店|他の店|他店|よその店|量販店|公式|正規)(?:の(?:値段|価格|相場|販売価格|売値))?[はがもでならの：:\s]{0,4}(?:約|だいたい|およそ)?$/;
/** The same in English: "usually ¥30,000", "normally around 30,000 yen", "retail is about 30,000 yen". */
const USUAL_BEFORE_EN =
  /\b(?:usually|normally|typically|retails?|market price|list price|rrp|msrp|elsewhere|(?:usual|normal|regular|retail) price)(?:\s{1,3}(?:is|was|it's|it is|at|for|costs?|sells? for|goes for|around|about|approximately|approx\.?|roughly|like)){0,3}[\s:]{0,3}$/i;
/** Words right after an amount that make it the usual price: 「3万円くらいする」「3万円が相場」. */
const USUAL_AFTER = /^(?:くらい|ぐらい|ほど|程度|前後|位)?(?:する|はする|もする|が相場|が定価|が普通|のはず)/;
/**
 * An amount describing the item, then the item and a particle: 「2万円のゲーム機が」「3万円くらいのPS4を」. Only
 * when another amount is the listed price (see assignAmounts).
 */
const ITEM_AFTER = /^(?:くらい|ぐらい|ほど|程度|前後|位)?の(?!出品|値段で|価格で|ところ)[^\d、。,.!?！？\s]{1,15}?(?:が|を|は)/;
/**
 * Words right after an amount that make it the listed price: 「3千円で売ってた」「2,980円の出品」「3000円しか」. Not
 * 「5000円で売れました」: what an item sold for.
 */
const LISTED_AFTER =
  /^(?:くらい|ぐらい|ほど|程度|前後|位)?(?:で(?:売(?!れ)|出|販|買|並|載|掲|安|セール|出品|購入|注文)|に(?:値下|なって|下が)|の(?:出品|値段で|価格で|値札)|という(?:値段|価格|安さ)|しか|と(?:激安|格安|安)|に(?:なってい|なってる))/;
/** Words right before an amount that make it the listed price: 「価格は2,980円」「この出品者は1500円」. */
const LISTED_BEFORE =
  /(?:出品価格|販売価格|価格|値段|売値|売価|値札|セール価格|この出品者|この店|このショップ|この業者|このセラー)(?:だけ)?[はがもで：:\s]{0,3}(?:約|だいたい|たった|わずか)?$/;
/** The same in English: "selling for ¥3,000", "listed at 2,980 yen", "price is 4,000 yen". */
const LISTED_BEFORE_EN =
  /\b(?:selling (?:it )?for|sells? for|listed (?:at|for)|priced at|price|costs?|on sale for|going for|only)(?:\s{1,3}(?:is|was|about|around|just|only|like)){0,2}[\s:]{0,3}$/i;
/** Words right before an amount of another seller's: 「他の出品者は5000円で」 (see assignAmounts). */
const OTHER_BEFORE = /(?:他の|ほかの|別の|よその|他)(?:出品者|セラー|業者|ショップ)(?:さん)?(?:たち|達)?(?:は|が|では|だと|も|なら)?(?:約|だいたい|大体)?$/;
/** Around an amount, words that make it no price: a shipping fee, points, a discount (「送料500円」「500円分」「1000円引き」). */
const NOT_PRICE_BEFORE = /(?:送料(?!込|無料)|配送料|手数料|ポイント|クーポン|返金額?|被害額?|損害|請求額?|残高|チャージ|割引額?|値引き?額?|差額)(?:は|が|の|も|:|\s){0,3}(?:約|だいたい)?$/;
const NOT_PRICE_AFTER =
  /^(?:分|引き|引|オフ|off\b|割引|値引|相当|還元|ポイント|クーポン|の(?:ポイント|クーポン|割引|値引|差|損|被害|返金|送料)|(?:も|以上|ほど|くらい|ぐらい)?(?:安|高))/i;
/** An amount that is one item's price in a list of several: 「Switchは2980円、PS5は9800円で出てた」. */
const PARALLEL_BEFORE = /[^\s\d、。,]\s*(?:は|が|:)\s*$/;
const PARALLEL_AFTER = /^\s*[、,・/]/;
/** Tax and shipping said with an amount, which leave it the same price: 「3,300円（税込）で」「税込2980円」. */
const TAX_AFTER = /^\s*\(?\s*(?:税込み?|税抜き?|送料込み?|送料無料|込み?)\s*\)?/;
const TAX_BEFORE = /(?:税込み?|税抜き?|送料込み?で?|送料無料で?)\s*$/;
/** A number with no yen mark (「3000で売ってた」「定価29800の」): an amount only where words make it a price. */
const BARE_NUMBER =
  /(?<![\dA-Za-z.,\-:/¥#番号第])\d{3,7}(?![\d.,\-:/万千億kK]|\s*(?:円|yen|jpy|件|けん|点|個|人|年|月|日|時|分|秒|歳|才|%|回|台|本|枚|冊|位|週|か月|ヶ月|カ月|ケ月|gb|tb|mm|cm|ml|mah|kg|g\b|w\b))/gi;

/** Two amounts either of which it may be: 「3000円か4000円で」 "3,000 or 4,000 yen". */
const OR_AFTER = /^\s{0,2}(?:円|yen)?\s{0,2}(?:か|or)\s{0,2}[¥\d]/i;
const OR_BEFORE = /\d\s{0,2}(?:円|yen)?\s{0,2}(?:か|or)\s{0,2}¥?$/i;

type AmountRole = 'listed' | 'usual' | 'item' | 'other' | 'parallel' | 'none' | null;
type Amount = AmountInText & { range: boolean };

/**
 * The amounts in yen in `t`, each with whether it is a range (「2〜3千円」, no single price). A model number written
 * before an amount with a space (「PS5 5千円」「iPhone15 3万円」) is not part of it.
 */
function amountsOf(t: string): Amount[] {
  return amountsIn(t)
    .slice(0, 8)
    .map((a) => {
      const run = t.slice(a.start, a.end);
      const spaced = /^.{0,40}\d\s+(?=\d)/.exec(run);
      const start = spaced ? a.start + spaced[0].length : a.start;
      const value = spaced ? toNumber(run.slice(spaced[0].length)) : a.value;
      const range = /\d[万千]?\s*[〜~\-–]\s*\d/.test(t.slice(start, a.end)) || OR_AFTER.test(t.slice(a.end, a.end + 12)) || OR_BEFORE.test(t.slice(Math.max(0, start - 12), start));
      return { value: value === null ? a.value : Math.round(value), start, end: a.end, range };
    });
}

function roleOf(t: string, a: Amount): AmountRole {
  // The yen mark itself (円, yen) is part of neither side, nor is a word on tax or shipping.
  const after = t.slice(a.end).replace(/^\s*(?:円|yen\b|jpy\b)/i, '').replace(TAX_AFTER, '');
  const before = t.slice(Math.max(0, a.start - 32), a.start).replace(/¥\s*$/, '').replace(TAX_BEFORE, '');
  if (NOT_PRICE_BEFORE.test(before) || NOT_PRICE_AFTER.test(after)) return 'none';
  if (USUAL_BEFORE.test(before) || USUAL_BEFORE_EN.test(before) || USUAL_AFTER.test(after)) return 'usual';
  if (OTHER_BEFORE.test(before)) return 'other';
  if (LISTED_BEFORE.test(before) || LISTED_BEFORE_EN.test(before) || LISTED_AFTER.test(after)) return 'listed';
  if (ITEM_AFTER.test(after)) return 'item';
  if (PARALLEL_BEFORE.test(before) && PARALLEL_AFTER.test(after)) return 'parallel';
  return null;
}

/** The amounts in `t` with their roles: those with a yen mark, and bare numbers that words make a price. */
function amountsWithRoles(t: string): { a: Amount; role: AmountRole }[] {
  const marked = amountsOf(t);
  const out = marked.map((a) => ({ a, role: holds(t, a.start, a.end, { generic: false }) ? roleOf(t, a) : null }));
  for (const m of t.matchAll(BARE_NUMBER)) {
    if (out.length >= 10) break;
    const end = m.index + m[0].length;
    const range = OR_AFTER.test(t.slice(end, end + 12)) || OR_BEFORE.test(t.slice(Math.max(0, m.index - 12), m.index));
    const a: Amount = { value: Number(m[0]), start: m.index, end, range };
    if (marked.some((x) => x.start < a.end && a.start < x.end)) continue;
    const role = holds(t, a.start, a.end, { generic: false }) ? roleOf(t, a) : null;
    if (role === 'listed' || role === 'usual') out.push({ a, role });
  }
  return out;
}

/** The listed and the usual price, where the words say which is which. */
function assignAmounts(t: string): Pick<DescribedSeller, 'price' | 'typicalPrice'> {
  const all = amountsWithRoles(t);
  const of = (role: AmountRole) => all.filter((x) => x.role === role).map((x) => x.a);
  const listed = of('listed');
  const usual = of('usual');
  const out: Pick<DescribedSeller, 'price' | 'typicalPrice'> = {};
  // More than one amount of a kind (「3,000円で出てて、別の出品者は2,500円で」), or a range: which one the user means
  // is not clear.
  if (usual.length === 1 && !usual[0]!.range) out.typicalPrice = usual[0]!.value;
  if (listed.length !== 1 || listed[0]!.range) return out;
  const price = listed[0]!.value;
  // One item's price among several (「Switchは2980円、PS5は9800円で出てた」), or another seller as cheap or cheaper
  // (「3,000円で出てて、別の出品者は2,500円で」): which listing is meant is not clear.
  const others = of('other');
  if (of('parallel').length || others.some((o) => o.value <= price)) return out;
  out.price = price;
  // 「2万円のゲーム機が3千円で」「他の出品者は5000円で出してて、この出品者だけ1500円で」: an amount describing the item,
  // or another seller's, is the usual price when it is the only one and higher than the listed one (a higher price
  // for the item described, or from the other sellers, is what such a sentence means).
  if (out.typicalPrice === undefined) {
    const items = of('item');
    const higher = items.length ? items : others;
    if (higher.length === 1 && !higher[0]!.range && higher[0]!.value > price) out.typicalPrice = higher[0]!.value;
  }
  return out;
}

// --- the seller's ratings, age, shipping and requests -------------------------------------------------------------

/**
 * A count of ratings: a number of 件 with 評価 shortly before it (「評価が2件」「評価は★4.5、件数は38件」) or 「の評価」
 * after (「120件の評価」), 「評価件数：12」, or "45 ratings". The product's ratings (「商品の評価は4000件」, "the product has
 * 2,000 ratings"; 「1,234個の評価」 is the product page's way and is not read) are not the seller's.
 */
const COUNT_BEFORE_RATING = /(?<![\d.])(\d+(?:万|千)?)\s*(?:件|けん)/g;
const RATING_WORD_BEFORE = /評価[^。!?！？\n]{0,12}$/;
const RATING_WORD_AFTER = /^(?:の|しか)(?:評価|ない評価)/;
const PRODUCT_BEFORE_RATING = /(?:商品|レビュー|カスタマー|(?:星|★)\d?)(?:の|は|も)?\s*$/;
const RATING_FIELD = /評価(?:件数|数|の数)(?:は|が|:|\s){0,3}(\d+)(?![\d.%])/g;
const RATING_COUNT_EN = /(?<![\d.])(\d+)\s+(?:seller\s+)?(?:ratings?|feedbacks?)\b/gi;
const PRODUCT_BEFORE_EN = /\b(?:product|item|stars?|global)\b[^.!?\n]{0,16}$|\b(?:a|an|any)\s+seller\s+with\s+$/i;
/** Right after a count, words that make it a change, not the count: 「この3日で評価が100件増えた」. */
const CHANGE_AFTER = /^(?:も|ほど|くらい|ぐらい|以上|近く)?(?:増え|減|急増|一気に|いっきに)/;
/** Right before 「評価がない」, words that make it none lately, not none at all: 「3年前から評価がない」「最近は評価がない」. */
const SINCE_BEFORE = /(?:から|以来|最近は?|ここ\d{0,2}(?:年|か月|ヶ月)は?)(?:は|も)?\s*$/;
/** A range or a choice of numbers ends right before: 「2、3件」「2〜3件」「2件か3件」. */
const RANGE_BEFORE = /\d\s{0,2}(?:件|けん)?\s{0,2}(?:[、,・~〜\-–]|か|or)\s{0,2}$/;
const NO_RATINGS =
  /評価(?:数|件数)?(?:が|は|も|:)?\s*(?:0\s*件|0(?![\d.%])|ゼロ|なし|無し|ない|ありません|まだない|まだありません|一件もない|1件もない|ついていない|ついてない|付いていない)|\bno\s+(?:seller\s+)?(?:ratings?|feedback)\b|\bzero\s+ratings?\b/gi;

/** The seller's rating count the words state, or undefined. */
function ratingCountOf(t: string): number | undefined {
  for (const m of t.matchAll(NO_RATINGS)) {
    const before = t.slice(Math.max(0, m.index - 8), m.index);
    if (PRODUCT_BEFORE_RATING.test(before) || SINCE_BEFORE.test(before)) continue;
    // A count with a number is what the user sees (「評価が0件の出品者から買っても大丈夫？」); words alone can be a kind
    // of seller (「評価がない出品者は危ないですか？」).
    if (holds(t, m.index, m.index + m[0].length, { generic: !/\d/.test(m[0]) })) return 0;
  }
  for (const m of t.matchAll(COUNT_BEFORE_RATING)) {
    const end = m.index + m[0].length;
    const near = t.slice(Math.max(0, m.index - 14), m.index);
    const word = RATING_WORD_BEFORE.exec(near);
    const start = word ? m.index - near.length + word.index : m.index;
    if (!word && !RATING_WORD_AFTER.test(t.slice(end))) continue;
    if (PRODUCT_BEFORE_RATING.test(t.slice(Math.max(0, start - 8), start)) || RANGE_BEFORE.test(near) || CHANGE_AFTER.test(t.slice(end))) continue;
    if (!holds(t, start, end, { generic: false })) continue;
    const n = toNumber(m[1]!);
    if (n !== null) return Math.round(n);
  }
  for (const p of [RATING_FIELD, RATING_COUNT_EN]) {
    for (const m of t.matchAll(p)) {
      const before = t.slice(Math.max(0, m.index - 24), m.index);
      if ((p === RATING_COUNT_EN && PRODUCT_BEFORE_EN.test(before)) || RANGE_BEFORE.test(before)) continue;
      if (holds(t, m.index, m.index + m[0].length, { generic: false })) return Number(m[1]);
    }
  }
  return undefined;
}

/** Words for the seller (not for an account in general: 「アカウントを作ったばかり」 is most often the user's own). */
const SELLER = /(?:出品者|セラー|ショップ|お店|店|販売者|業者|ストア)/.source;
const NEW_SELLER = [
  /新規(?:の)?(?:出品者|セラー|出店|ショップ|出品アカウント|セラーアカウント)|新しい(?:出品者|セラー|ショップ|お店|店)|(?:できた|出来た|オープンした)ばかりの(?:出品者|セラー|ショップ|お店|店|ストア)/g,
  new RegExp(SELLER + /(?:は|が|も|の)?[^。、.!?！？\n]{0,12}?(?:できたばかり|出来たばかり|始めたばかり|作られたばかり|作ったばかり|登録したばかり|開設したばかり|出店したばかり|オープンしたばかり|新規)/.source, 'g'),
  new RegExp(SELLER + /(?:は|が|も)?[^。、.!?！？\n]{0,6}?(?:先月|先週|今月|今週|最近|昨日|数日前|\d+日前|\d+週間前|\dか月前|\dヶ月前)(?:に)?(?:でき|出来|始め|始ま|作られ|登録|開設|出店|オープン)(?:し)?(?:[たて]|ました)?(?:ばかり)?/.source, 'g'),
  /(?:先月|先週|今月|今週|最近|昨日|数日前|\d+日前|\d+週間前|\dか月前|\dヶ月前)(?:に)?(?:でき|出来|オープンし|開設し|出店し|登録し|始め)た(?:ばかり)?の?(?:出品者|セラー|ショップ|お店|店|ストア)/g,
  /\b(?:new|brand[- ]new)\s+seller\b|\bseller\b[^.!?\n]{0,30}\b(?:just (?:opened|started|joined)|opened (?:last|this) (?:week|month))\b|\bseller\s+(?:is|looks|seems)\s+(?:brand[- ])?new\b(?!\s+to\b)/gi,
];

/** 「最後の評価が2010年」 (a year), 「評価が8年前」 (years ago). */
const LAST_RATING_YEAR = /(?:最後|最新|いちばん新しい|一番新しい|1番新しい|直近|最終)の評価(?:が|は|も)?\s*(\d{4})\s*年/g;
const LAST_RATING_AGO = [
  // Not 「評価は3年前から急に増えた」: a burst since then.
  /(?:最後|最新|いちばん新しい|一番新しい|1番新しい|直近|最終)?の?評価(?:が|は)?\s*(\d{1,2})\s*年(?:以上)?前(?!から(?:急に|一気に|いっきに|増え(?!てい?ない)|どんどん|たくさん))/g,
  /(\d{1,2})\s*年(?:以上)?前(?:が最後)?の評価/g,
  // 「3年前から評価がない」: none since then.
  /(\d{1,2})\s*年(?:以上)?前から(?:新しい)?評価(?:が|は)?(?:ない|ついていない|ついてない|付いていない|増えていない|増えてない|止まって)/g,
];

/**
 * 「3万点も出品」「出品数が1200件」: how many items the seller lists. Not 「同じ商品が3個出品されてた」 (copies of one
 * item) nor 「10件並んでて」 (search results).
 */
const LISTING_COUNT = [
  /(?<!同じ(?:商品|もの|品)(?:が|を|は)?)(?<![\d,.])(\d[\d,.]*(?:万|千)?)\s*(?:点|件|品)(?:も|以上|ほど|くらい|ぐらい|近く)?(?:の商品)?(?:を|が)?(?:出品|出して|並べ)/g,
  /(?:出品数|出品点数|商品数)(?:が|は)?\s*(?:約|およそ)?(\d[\d,.]*(?:万|千)?)/g,
  /\b(?:lists|listing|selling)\s+(\d[\d,]*)\s+(?:items|products)\b/gi,
  /\bseller\b[^.!?\n]{0,20}?\b(\d+)\s+(?:listings|items|products)\b/gi,
];

/** Not said of a shipment: Amazon's mails and fees (「Amazonから発送のお知らせ」「FBA手数料」). */
const NOT_SHIPPER = /(?!\s*(?:の|済み?|完了)?\s*(?:メール|通知|お知らせ|連絡|完了|済|予定|状況|番号|手数料|料金|納品|倉庫|在庫))/.source;
const COUNTRY = /(?:中国|海外|香港|台湾|韓国|アメリカ|外国|国外)/.source;
const OVERSEAS = new RegExp(
  [
    COUNTRY + /(?:から)?(?:の)?(?:発送|配送|直送|出荷)/.source + NOT_SHIPPER,
    /海外発送/.source,
    /(?:発送|出荷|配送)元?(?:は|が|:)?\s*/.source + COUNTRY + /(?:から)?/.source,
    /ships? from (?:china|overseas|abroad|hong kong)|shipped from (?:china|overseas|abroad|hong kong)/.source,
  ].join('|'),
  'gi',
);
const SELLER_SHIPS = new RegExp(
  [
    /出品者(?:が|から|の)?(?:発送|直送|出荷)/.source + NOT_SHIPPER,
    /出品者が販売[、・]?発送|販売[、・]?発送(?:は|も)?出品者|(?:発送|出荷)(?:は|も)出品者(?:から|が)?|自社発送|自己発送/.source,
    // 「ABCショップが販売、発送します」, the product page's words for a seller who ships (not Amazon.co.jp's).
    /(?<!amazon|amazon\.co\.jp|アマゾン)が販売[、・,]\s*発送/.source,
    /ships from (?:the )?seller|fulfilled by (?:the )?seller|seller[- ]fulfilled/.source,
  ].join('|'),
  'gi',
);
const AMAZON_SHIPS = new RegExp(
  [
    /(?:amazon|アマゾン)(?:\.co\.jp)?(?:が|から|の)?(?:発送|出荷)/.source + NOT_SHIPPER,
    /(?:amazon|アマゾン)(?:\.co\.jp)?が販売[、・,]?\s*発送/.source,
    /(?:出荷元|発送元)(?:は|が|:)?\s*(?:amazon|アマゾン)/.source,
    /\bfba\b/.source + NOT_SHIPPER,
    /fulfilled by amazon|(?:ships|shipped) (?:from|by):?\s*amazon/.source,
  ].join('|'),
  'gi',
);

/**
 * A request to pay or talk outside Amazon: a way to pay (「銀行振込」「ギフト券」), or a way to talk with a word for
 * dealing (「LINEで連絡」「メールでやりとり」), then a word of asking (「と言われた」「してください」「すすめられた」).
 * A way to talk alone asks nothing: 「LINEで友達に聞いたら怪しいと言われた」, 「メールで注文確認が届いた」.
 */
const PAY_WAY = /銀行振込|銀行振り込み|振込(?!先)|振り込み(?!先)|現金書留|ギフト券|ギフトカード|電子マネー|paypay|ペイペイ|口座に(?:振り込|入金|送金)|直接取引|直接の取引|直接やりとり|直接やり取り|直接連絡|外部のサイト|別のサイト|amazonの外|amazon以外/.source;
const TALK_WAY = /(?:line|ライン|メール|電話|whatsapp|telegram)(?:の)?(?:id|アカウント)|(?:line|ライン)(?:を)?交換|(?:line|ライン|メール|whatsapp|telegram|電話)(?:で|に)(?:連絡|やりとり|やり取り|取引|支払|払|注文|購入|送金|振り|直接|話|相談|返信|問い合わせ)/.source;
const ASKING = /すすめ|勧め|薦め|求め|頼ま|言われ|指示|案内|誘わ|要求|お願い|してほしい|してください|して下さい|と言って|払って|払え(?![るまなた])|振り込んで|教えて|しませんか|しましょう/.source;
/** 「銀行振込のみ」: the only way to pay the seller allows. */
const ONLY_WAY = /(?:で)?のみ/.source;
const PAY_WAY_GROUP = '(?:' + PAY_WAY + ')';
const PAY_WAY_ANYWHERE = new RegExp(PAY_WAY, 'i');
const OFF_PLATFORM = [
  new RegExp('(?:' + PAY_WAY + '|' + TALK_WAY + ')' + /[^。\n]{0,20}?/.source + '(?:' + ASKING + ')', 'gi'),
  new RegExp(PAY_WAY_GROUP + ONLY_WAY, 'gi'),
  /\b(?:seller|they|he|she|shop|store|i was|we were)\b[^.!?\n]{0,20}\b(?:asked|told|wants?|requested|suggested|insisted)\b[^.!?\n]{0,40}\b(?:bank transfer|wire transfer|wire|pay (?:outside|off) amazon|outside (?:of )?amazon|line|whatsapp|telegram|e-?mail me|gift cards?)\b/gi,
];

/** A request matched up to its imperative (「…してください」, 「お願いします」): the words of a message, not of a report. */
const BARE_REQUEST_END = /(?:してください|して下さい|お願い)$/;
/** After a request, words that report it: 「…してくださいと言われた」, 「…してくださいって」, 「…とのこと」, 「…と来た」. */
const REPORTED_AFTER = /^(?:します|いたします)?(?:」|』|"|”)?\s*(?:と|って|とか|との|ように|的な|みたいな)/;
/** A seller named anywhere in the text: the request is about a listing. */
const SELLER_WORD = /出品者|販売者|販売元|ショップ|業者|セラー|相手|店|seller|shop|store/i;

/** Before a request, words naming Amazon as the one asking (「アマゾンから電話で連絡してくださいとSMSが来た」): a fake contact, not the seller. */
const AMAZON_ASKING_BEFORE = /(?:amazon|アマゾン)(?:\.co\.jp)?(?:から|を名乗る|を名乗って|の名前で|を装った|を装って)[^。!?！？\n、,]{0,30}$/i;

/** The number the first stated match of the first pattern with one captures (「1,200」「2万」), or undefined. */
function firstNumber(patterns: readonly RegExp[], t: string): number | undefined {
  for (const p of patterns) {
    const m = firstHolding(p, t);
    const n = m ? toNumber(m[1]!) : null;
    if (n !== null) return Math.round(n);
  }
  return undefined;
}

/** The fulfilment the words state, when they state only one (overseas shipping is the seller's too). */
function fulfilmentOf(t: string): DescribedSeller['fulfilment'] {
  if (firstHolding(OVERSEAS, t)) return 'overseas';
  const seller = firstHolding(SELLER_SHIPS, t) !== null;
  const amazon = firstHolding(AMAZON_SHIPS, t) !== null;
  if (seller && !amazon) return 'seller';
  if (amazon && !seller) return 'amazon';
  return undefined;
}

/** Whether `p` finds a stated request to pay or talk outside Amazon that is not from someone naming themselves Amazon. */
function offPlatformIn(p: RegExp, t: string): boolean {
  for (const m of t.matchAll(p)) {
    if (AMAZON_ASKING_BEFORE.test(t.slice(Math.max(0, m.index - 40), m.index))) continue;
    // 「…不在のため持ち帰りました。電話で連絡してください」: the message itself, pasted, asks the reader to get in touch,
    // as SMS phishing does; no one said it of a listing. Such a request to talk (not to pay: 「銀行振込でお願いします」
    // pasted from a seller is the red flag itself) counts only when the words around it report it or name a seller.
    if (
      BARE_REQUEST_END.test(m[0]) &&
      !PAY_WAY_ANYWHERE.test(m[0]) &&
      !REPORTED_AFTER.test(t.slice(m.index + m[0].length, m.index + m[0].length + 12)) &&
      !SELLER_WORD.test(t)
    ) {
      continue;
    }
    // The words asking can be a whole pitch (「LINEで直接取引すれば安くする」と言われた): a condition inside it is the pitch's.
    if (holds(t, m.index, m.index + m[0].length, { innerCondition: false })) return true;
  }
  return false;
}

/** The year in Japan at `receivedAt` (what 「2010年」 is counted back from). */
function japanYear(receivedAt: number): number {
  return new Date(receivedAt + 9 * 3600_000).getUTCFullYear();
}

/*
 * Cheap first looks. Every rule above needs one of the words of its group: the amounts a word saying which price
 * they are (an amount described only with its item or another seller's, ITEM_AFTER and OTHER_BEFORE, counts only
 * beside a listed price), the ratings and the newest rating 評価 or "rating", and so on. Most messages that reach the
 * reader are answers and questions with none of them (「2,980円くらいです」), and are let go after a few searches
 * instead of every rule. A rule given a new word needs it in its group here too; a test checks that the reader with
 * these looks and without them agree.
 */
const AMOUNT_CUE =
  /相場|定価|通常|普通|ふつう|ふだん|普段|いつも|本来|元値|元の値段|市場価格|実勢価格|希望小売価格|参考価格|新品価格|ほかの店|他の店|他店|よその店|量販店|公式|正規|usually|normally|typically|retail|market price|list price|rrp|msrp|elsewhere|price|する|はず|で(?:売|出|販|買|並|載|掲|安|セール|購入|注文)|に値下|になって|に下が|の出品|の値段で|の価格で|の値札|という|しか|と激安|と格安|と安|価格|値段|売値|売価|値札|この(?:出品者|店|ショップ|業者|セラー)|sell|listed|priced|cost|only|going for|on sale/i;
const RATING_CUE = /評価|rating|feedback/i;
const LISTING_CUE = /出品|出して|並|商品数|list|sell/i;
// The new-seller rules start with 新規, 新しい, できたばかり, a word for the seller (SELLER) or a time word and end with
// one, or are in English.
const NEW_SELLER_CUE = /新規|新しい|ばかり|出品者|セラー|ショップ|店|販売者|業者|ストア|new|seller/i;
const SHIPPING_CUE = /発送|配送|直送|出荷|fba|ship|fulfil/i;
const OFF_PLATFORM_CUE = /振込|振り込|口座|書留|払い|ギフト|マネー|paypay|ペイペイ|直接|line|ライン|メール|電話|外部|別のサイト|の外|以外|transfer|wire|outside|whatsapp|telegram|mail|gift/i;
const KANJI_NUMERAL = /[〇零一二三四五六七八九十百千万億]/;

/**
 * What a description of a listing says, as answers to the listing check's questions: only the facts its words
 * state plainly (see the top of this file). An empty object when it states none.
 */
export function sellerSignalsInText(text: string, receivedAt: number): DescribedSeller {
  return readDescription(text, receivedAt, true);
}

/** sellerSignalsInText without its first looks (see AMOUNT_CUE): for the test that the two agree. */
export function sellerSignalsInTextReadingEveryRule(text: string, receivedAt: number): DescribedSeller {
  return readDescription(text, receivedAt, false);
}

function readDescription(text: string, receivedAt: number, look: boolean): DescribedSeller {
  if (typeof text !== 'string' || text.length === 0) return {};
  let folded = text.slice(0, MAX_DESCRIPTION).normalize('NFKC');
  if (!look || KANJI_NUMERAL.test(folded)) folded = kanjiNumbersToDigits(folded);
  if (!look || folded.includes(',')) folded = folded.replace(/(\d),(?=\d{3})/g, '$1');
  const may = (cue: RegExp) => !look || cue.test(folded);
  // Which groups of rules can find something, looked for before the asides are blanked (they only take words away).
  const amounts = may(AMOUNT_CUE);
  const ratings = may(RATING_CUE);
  const listingWords = may(LISTING_CUE);
  const newSellerWords = may(NEW_SELLER_CUE);
  const shipping = may(SHIPPING_CUE);
  const offPlatform = may(OFF_PLATFORM_CUE);
  if (!amounts && !ratings && !listingWords && !newSellerWords && !shipping && !offPlatform) return {};
  const t = withoutAsides(folded);
  const out: DescribedSeller = amounts ? { ...assignAmounts(t) } : {};

  if (ratings) {
    const count = ratingCountOf(t);
    if (count !== undefined && count <= 1e8) out.ratingCount = count;
    const year = firstHolding(LAST_RATING_YEAR, t);
    const now = year ? japanYear(receivedAt) : 0;
    if (year && Number(year[1]) >= 1995 && Number(year[1]) < now) out.lastRatingYearsAgo = now - Number(year[1]);
    else {
      const ago = firstNumber(LAST_RATING_AGO, t);
      if (ago !== undefined && ago >= 1 && ago <= 50) out.lastRatingYearsAgo = ago;
    }
  }

  if (listingWords) {
    const listings = firstNumber(LISTING_COUNT, t);
    if (listings !== undefined && listings >= 1 && listings <= 1e8) out.listingCount = listings;
  }

  if (newSellerWords && NEW_SELLER.some((p) => firstHolding(p, t))) out.newSeller = true;
  const fulfilment = shipping ? fulfilmentOf(t) : undefined;
  if (fulfilment) out.fulfilment = fulfilment;
  if (offPlatform && OFF_PLATFORM.some((p) => offPlatformIn(p, t))) out.offPlatformRequest = true;
  // In the order of the questions, which is the order they are shown back in.
  const ordered: Record<string, unknown> = {};
  for (const field of DESCRIBED_FIELDS) if (out[field] !== undefined) ordered[field] = out[field];
  return ordered as DescribedSeller;
}
