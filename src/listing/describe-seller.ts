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

// --- amounts: which is the listed price, which the usual one ---------------------------------------------------

/** Words right before an amount that make it the usual price: 「相場は3万円」「定価30,000円」"usually ¥30,000". */
const USUAL_BEFORE =
  /(?:相場|定価|通常価格|通常|普通|ふつう|ふだん|普段|いつも|本来|元値|元の値段|市場価格|実勢価格|希望小売価格|参考価格|新品価格|ほかの店|他の店|他店|よその店|量販店|公式|正規|usually|normally|retail|market price|list price|rrp|msrp|elsewhere|regular price)[はがもでならの：:\s]{0,4}(?:約|だいたい|およそ)?$/i;
/** Words right after an amount that make it the usual price: 「3万円くらいする」「3万円が相場」. */
const USUAL_AFTER = /^(?:くらい|ぐらい|ほど|程度|前後|位)?(?:する|はする|もする|が相場|が定価|が普通|のはず)/;
/**
 * An amount describing the item, then the item and a particle: 「2万円のゲーム機が」「3万円くらいのPS4を」. Only
 * when another amount is the listed price (see assignAmounts).
 */
const ITEM_AFTER = /^(?:くらい|ぐらい|ほど|程度|前後|位)?の(?!出品|値段で|価格で|ところ)[^\d、。,.!?！？\s]{1,15}?(?:が|を|は)/;
/** Words right after an amount that make it the listed price: 「3千円で売ってた」「2,980円の出品」「3000円しか」. */
const LISTED_AFTER =
  /^(?:くらい|ぐらい|ほど|程度|前後|位)?(?:で(?:売|出|販|買|並|載|掲|安|セール|出品|購入|注文)|に(?:値下|なって|下が)|の(?:出品|値段で|価格で|値札)|という(?:値段|価格|安さ)|しか|と(?:激安|格安|安)|に(?:なってい|なってる))/;
/** Words right before an amount that make it the listed price: 「価格は2,980円」"selling for ¥3,000". */
const LISTED_BEFORE = /(?:出品価格|販売価格|価格|値段|売値|売価|値札|セール価格|selling for|listed (?:at|for)|priced at|sells? for|costs?|only)[はがもで：:\s]{0,3}(?:約|だいたい|たった|わずか)?$/i;

type AmountRole = 'listed' | 'usual' | 'item' | null;

function roleOf(t: string, a: AmountInText): AmountRole {
  // The yen mark itself (円, yen) is part of neither side.
  const after = t.slice(a.end).replace(/^\s*(?:円|yen\b|jpy\b)/i, '');
  const before = t.slice(Math.max(0, a.start - 16), a.start).replace(/[¥￥]\s*$/, '');
  if (USUAL_BEFORE.test(before) || USUAL_AFTER.test(after)) return 'usual';
  if (LISTED_BEFORE.test(before) || LISTED_AFTER.test(after)) return 'listed';
  if (ITEM_AFTER.test(after)) return 'item';
  return null;
}

/** The listed and the usual price, where the words say which is which. */
function assignAmounts(t: string): Pick<DescribedSeller, 'price' | 'typicalPrice'> {
  const amounts = amountsIn(t).slice(0, 6);
  const roles = amounts.map((a) => roleOf(t, a));
  const listed = amounts.filter((_, i) => roles[i] === 'listed');
  const usual = amounts.filter((_, i) => roles[i] === 'usual');
  const out: Pick<DescribedSeller, 'price' | 'typicalPrice'> = {};
  // More than one amount of a kind (「3,000円で出てて、別の出品者は2,500円で」): which one the user means is not clear.
  if (listed.length === 1) out.price = listed[0]!.value;
  if (usual.length === 1) out.typicalPrice = usual[0]!.value;
  // 「2万円のゲーム機が3千円で」: an amount describing the item is its usual price when another is the listed one
  // and is higher than it (a higher price for the item described is what such a sentence means).
  if (out.price !== undefined && out.typicalPrice === undefined) {
    const items = amounts.filter((_, i) => roles[i] === 'item');
    if (items.length === 1 && items[0]!.value > out.price) out.typicalPrice = items[0]!.value;
  }
  return out;
}

// --- the seller's ratings, age, shipping and requests -------------------------------------------------------------

const RATING_COUNT = [
  /評価[^。!?！？\n]{0,12}?(?<![\d.])(\d[\d,]*(?:万|千)?)\s*件/,
  /(\d[\d,]*(?:万|千)?)\s*件(?:の|しか)(?:評価|ない評価)/,
  /(\d[\d,]*)\s+(?:seller\s+)?(?:ratings?|feedbacks?)\b/i,
];
const NO_RATINGS = /評価(?:が|は|も)?\s*(?:0\s*件|ゼロ|なし|無し|ない|ありません|まだない|まだありません|一件もない|1件もない|ついていない|ついてない|付いていない)|\bno\s+(?:seller\s+)?(?:ratings?|feedback)\b|\bzero\s+ratings?\b/i;

const SELLER = /(?:出品者|セラー|ショップ|お店|店|販売者|業者|アカウント|ストア)/.source;
const NEW_SELLER = [
  /新規(?:の)?(?:出品者|セラー|出店|ショップ|アカウント)|新しい(?:出品者|セラー|ショップ|お店|アカウント)|できたばかりの(?:出品者|セラー|ショップ|お店|店|アカウント)/,
  new RegExp(SELLER + /(?:は|が|も|の)?[^。、.!?！？\n]{0,12}?(?:できたばかり|出来たばかり|始めたばかり|作られたばかり|作ったばかり|登録したばかり|開設したばかり|出店したばかり|新規)/.source),
  new RegExp(SELLER + /(?:は|が|も)?[^。、.!?！？\n]{0,6}?(?:先月|先週|今月|今週|最近|昨日|数日前|\d+日前|\d+週間前|\dか月前|\dヶ月前)(?:に)?(?:でき|出来|始め|始ま|作られ|登録|開設|出店)/.source),
  /\b(?:new|brand[- ]new)\s+seller\b|\bseller\b[^.!?\n]{0,30}\b(?:just (?:opened|started|joined)|opened (?:last|this) (?:week|month))\b/i,
];

/** 「最後の評価が2010年」 (a year), 「評価が8年前」 (years ago). */
const LAST_RATING_YEAR = /(?:最後|最新|いちばん新しい|一番新しい|1番新しい|直近|最終)の評価(?:が|は|も)?\s*(\d{4})\s*年/;
const LAST_RATING_AGO = [/(?:最後|最新|いちばん新しい|一番新しい|1番新しい|直近|最終)?の?評価(?:が|は)?\s*(\d{1,2})\s*年(?:以上)?前/, /(\d{1,2})\s*年(?:以上)?前(?:が最後)?の評価/];

/** 「3万点も出品」「出品数が1200件」: how many items the seller lists. */
const LISTING_COUNT = [
  /(\d[\d,.]*(?:万|千)?)\s*(?:点|件|個|品)(?:も|以上|ほど|くらい|ぐらい|近く)?(?:の商品)?(?:を|が)?(?:出品|出して|並べ|並んで)/,
  /(?:出品数|出品点数|商品数)(?:が|は)?\s*(?:約|およそ)?(\d[\d,.]*(?:万|千)?)/,
  /\b(?:lists|listing|selling)\s+(\d[\d,]*)\s+(?:items|products)\b/i,
];

const OVERSEAS = /(?:中国|海外|香港|台湾|韓国|アメリカ|外国|国外)(?:から)?(?:の)?(?:発送|配送|直送|出荷)|海外発送|ships? from (?:china|overseas|abroad|hong kong)|shipped from (?:china|overseas|abroad|hong kong)/i;
const SELLER_SHIPS = /出品者(?:が|から|の)?(?:発送|直送|出荷)|出品者が販売[、・]?発送|販売[、・]?発送(?:は|も)?出品者|自社発送|ships from (?:the )?seller|fulfilled by (?:the )?seller|seller[- ]fulfilled/i;
const AMAZON_SHIPS = /(?:amazon|アマゾン)(?:\.co\.jp)?(?:が|から|の)?(?:発送|出荷)|\bfba\b|fulfilled by amazon|(?:ships|shipped) (?:from|by) amazon/i;
/** 「Amazonが発送」 inside 「Amazonが発送ではなく」: said not to be so. */
const NEGATED_AFTER = /^(?:で|じゃ|では)?(?:は)?(?:ない|なく|なかった|ありません|じゃない)/;

const OFF_PLATFORM = [
  /(?:銀行振込|銀行振り込み|振込|振り込み|口座に|現金書留|コンビニ払い|ギフト券|ギフトカード|電子マネー|paypay|ペイペイ|直接取引|直接の取引|直接やりとり|直接やり取り|直接連絡|lineで|ラインで|メールで|外部のサイト|別のサイト|amazonの外|amazon以外)[^。\n]{0,20}?(?:すすめ|勧め|薦め|求め|頼ま|言われ|指示|案内|誘わ|要求|払って|払え|してほしい|してください|と言って|書いて|来た|きた|届いた)/i,
  /\b(?:asked|told|wants?|requested|suggested|insisted)\b[^.!?\n]{0,40}\b(?:bank transfer|wire transfer|wire|pay (?:outside|off) amazon|outside (?:of )?amazon|line|whatsapp|telegram|e-?mail me|gift cards?)\b/i,
];

/** The number the first matching pattern captures (「1,200」「2万」), or undefined. */
function firstNumber(patterns: readonly RegExp[], t: string): number | undefined {
  for (const p of patterns) {
    const m = p.exec(t);
    const n = m ? toNumber(m[1]!) : null;
    if (n !== null) return Math.round(n);
  }
  return undefined;
}

/** The fulfilment the words state, when they state only one (overseas shipping is the seller's too). */
function fulfilmentOf(t: string): DescribedSeller['fulfilment'] {
  const stated = (p: RegExp) => {
    const m = p.exec(t);
    return m !== null && !NEGATED_AFTER.test(t.slice(m.index + m[0].length));
  };
  if (stated(OVERSEAS)) return 'overseas';
  const seller = stated(SELLER_SHIPS);
  const amazon = stated(AMAZON_SHIPS);
  if (seller && !amazon) return 'seller';
  if (amazon && !seller) return 'amazon';
  return undefined;
}

/** The year in Japan at `receivedAt` (what 「2010年」 is counted back from). */
function japanYear(receivedAt: number): number {
  return new Date(receivedAt + 9 * 3600_000).getUTCFullYear();
}

/*
 * Cheap first looks. Every rule above needs one of the words of its group: the amounts a word saying which price
 * they are (an amount described only with its item, ITEM_AFTER, counts only beside a listed price), the ratings and
 * the newest rating 評価 or "rating", and so on. Most messages that reach the reader are answers and questions with
 * none of them (「2,980円くらいです」), and are let go after a few searches instead of every rule. A rule given a new
 * word needs it in its group here too; a test checks that the reader with these looks and without them agree.
 */
const AMOUNT_CUE =
  /相場|定価|通常|普通|ふつう|ふだん|普段|いつも|本来|元値|元の値段|市場価格|実勢価格|希望小売価格|参考価格|新品価格|ほかの店|他の店|他店|よその店|量販店|公式|正規|usually|normally|retail|market price|list price|rrp|msrp|elsewhere|regular price|する|はず|で(?:売|出|販|買|並|載|掲|安|セール|購入|注文)|に値下|になって|に下が|の出品|の値段で|の価格で|の値札|という|しか|と激安|と格安|と安|価格|値段|売値|売価|値札|sell|listed|priced|cost|only/i;
const RATING_CUE = /評価|rating|feedback/i;
const LISTING_CUE = /出品|出して|並|商品数|list|sell/i;
// The new-seller rules start with 新規, 新しい, できたばかり or a word for the seller (SELLER), or are in English.
const NEW_SELLER_CUE = /新規|新しい|ばかり|出品者|セラー|ショップ|店|販売者|業者|アカウント|ストア|new|seller/i;
const SHIPPING_CUE = /発送|配送|直送|出荷|fba|ship|fulfil/i;
const OFF_PLATFORM_CUE = /振込|振り込|口座|書留|払い|ギフト|マネー|paypay|ペイペイ|直接|line|ライン|メール|外部|別のサイト|の外|以外|transfer|wire|outside|whatsapp|telegram|mail|gift/i;
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
  let t = text.slice(0, MAX_DESCRIPTION).normalize('NFKC');
  if (!look || KANJI_NUMERAL.test(t)) t = kanjiNumbersToDigits(t);
  if (!look || t.includes(',')) t = t.replace(/(\d),(?=\d{3})/g, '$1');
  const may = (cue: RegExp) => !look || cue.test(t);
  const out: DescribedSeller = may(AMOUNT_CUE) ? { ...assignAmounts(t) } : {};

  if (may(RATING_CUE)) {
    if (NO_RATINGS.test(t)) out.ratingCount = 0;
    else {
      const count = firstNumber(RATING_COUNT, t);
      if (count !== undefined && count <= 1e8) out.ratingCount = count;
    }
    const year = LAST_RATING_YEAR.exec(t);
    const now = year ? japanYear(receivedAt) : 0;
    if (year && Number(year[1]) >= 1995 && Number(year[1]) < now) out.lastRatingYearsAgo = now - Number(year[1]);
    else {
      const ago = firstNumber(LAST_RATING_AGO, t);
      if (ago !== undefined && ago >= 1 && ago <= 50) out.lastRatingYearsAgo = ago;
    }
  }

  if (may(LISTING_CUE)) {
    const listings = firstNumber(LISTING_COUNT, t);
    if (listings !== undefined && listings >= 1 && listings <= 1e8) out.listingCount = listings;
  }

  if (may(NEW_SELLER_CUE) && NEW_SELLER.some((p) => p.test(t))) out.newSeller = true;
  const fulfilment = may(SHIPPING_CUE) ? fulfilmentOf(t) : undefined;
  if (fulfilment) out.fulfilment = fulfilment;
  if (may(OFF_PLATFORM_CUE) && OFF_PLATFORM.some((p) => p.test(t))) out.offPlatformRequest = true;
  // In the order of the questions, which is the order they are shown back in.
  const ordered: Record<string, unknown> = {};
  for (const field of DESCRIBED_FIELDS) if (out[field] !== undefined) ordered[field] = out[field];
  return ordered as DescribedSeller;
}
