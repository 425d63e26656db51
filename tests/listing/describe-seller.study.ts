// The user study of the listing-description reader (src/listing/describe-seller.ts): messages as people type them on
// a phone when they have no link to paste, or before any question was asked. Written from the first-hand accounts
// of the 2017 wave of fake cheap listings and hijacked seller accounts (PS4 at 2,000–3,000 yen against a market of
// ~30,000; "other sellers list it at 5,000, these at 1,000–1,500"; last ratings from 2008 and 2010; 30,000+ items;
// self-shipped; 「○○が販売、発送します」 against 「Amazon.co.jpが発送します」), and from what people ask around them:
// incidents, amounts that are no price, dates, order and phone numbers, the bot's own question texts pasted back,
// negations, hypotheticals, questions about sellers in general.
//
// `truth` is what the message plainly states, in the reader's fields. `missed` names the fields of the truth the
// reader deliberately leaves to the questions (no rule for them is safe enough: see the note); what the reader must
// give is the truth without them. Times are read on 2026-12-06 in Japan.

import type { DescribedSeller } from '../../src/listing/describe-seller.ts';

export type StudyMessage = {
  text: string;
  truth: DescribedSeller;
  missed?: readonly (keyof DescribedSeller)[];
  note?: string;
};

/** 2026-12-06 in Japan. */
export const STUDY_AT = Date.UTC(2026, 11, 6, 3);

/** What the reader must give for a message: its truth without the fields left to the questions. */
export function expectedOf(m: StudyMessage): DescribedSeller {
  const out: Record<string, unknown> = { ...m.truth };
  for (const f of m.missed ?? []) delete out[f];
  return out as DescribedSeller;
}

export const STUDY: readonly StudyMessage[] = [
  // --- whole descriptions, polite and casual -----------------------------------------------------------------------
  { text: 'アマゾンで2万円のゲーム機が3千円で売ってて、出品者が先月できたばかりで評価が2件しかない', truth: { price: 3000, typicalPrice: 20000, ratingCount: 2, newSeller: true } },
  {
    text: 'すみません、アマゾンでお米を見ていたら、いつもは5千円くらいのお米が千円で売っていました。出品者は新しいお店のようです。大丈夫でしょうか。',
    truth: { price: 1000, typicalPrice: 5000, newSeller: true },
  },
  { text: 'PS4が2千円で出品されてて草。相場3万ちょいなのに', truth: { price: 2000, typicalPrice: 30000 } },
  { text: 'ＰＳ５が１２，８００円で売られてます。普段は６万円以上します。', truth: { price: 12800, typicalPrice: 60000 } },
  { text: '三千円で売ってるゲーム機、ふつうは二万五千円くらいするやつ', truth: { price: 3000, typicalPrice: 25000 } },
  { text: '2万5千円のイヤホンが2980円で出てる', truth: { price: 2980, typicalPrice: 25000 } },
  { text: '3万のやつが3千で売ってた', truth: { price: 3000, typicalPrice: 30000 } },
  { text: 'Amazon見てたら2万円のゲーム機が3千円で売ってた', truth: { price: 3000, typicalPrice: 20000 }, note: 'a narrative たら before the facts is no condition on them' },
  { text: 'その出品者、2万点も出品してるのに評価が5件', truth: { ratingCount: 5, listingCount: 20000 } },
  { text: '評価が2件しかないのに5万点出品してる業者', truth: { ratingCount: 2, listingCount: 50000 } },
  { text: '出品者の最後の評価が2008年でした。それなのに急に大量出品', truth: { lastRatingYearsAgo: 18 } },
  { text: '最近できた店で、評価もまだない', truth: { ratingCount: 0, newSeller: true } },
  { text: '評価が一件もない新しい店', truth: { ratingCount: 0, newSeller: true } },
  { text: '10万円のMacBookが1万円で出品、出品者の評価は0', truth: { price: 10000, typicalPrice: 100000, ratingCount: 0 } },
  { text: '出品者から買ったら届かなかった。評価は2件だった', truth: { ratingCount: 2 } },
  { text: '出品者の評価が1000件以上あるから大丈夫だと思うけど、価格が相場の半額', truth: { ratingCount: 1000 } },
  { text: 'ゲーム機が3千円で売ってた。定価の10分の1', truth: { price: 3000 } },
  { text: '2024年モデルが3000円で売ってる', truth: { price: 3000 }, note: 'a year is no amount' },
  { text: 'セール中で1980円になってる', truth: { price: 1980 } },
  { text: '19800円が1980円に値下げされてる', truth: { price: 1980 }, note: 'the price before a markdown is the listing’s own figure, not the usual price' },
  { text: 'ｱﾏｿﾞﾝで３０００円で売ってるのを見た、評価２けん', truth: { price: 3000, ratingCount: 2 }, note: 'half-width kana, full-width digits, けん typed for 件' },

  // --- amounts: tax, shipping, no 円, kanji, ranges, model numbers ----------------------------------------------------
  { text: 'ダイソンの掃除機、税込2,980円で販売されてます', truth: { price: 2980 } },
  { text: '送料込みで1500円で売ってた', truth: { price: 1500 } },
  { text: '価格：¥2,980（税込）', truth: { price: 2980 } },
  { text: '3,300円（税込）で売ってるけど定価は3万3千円', truth: { price: 3300, typicalPrice: 33000 } },
  { text: '価格は税込2980円、定価は税込29800円', truth: { price: 2980, typicalPrice: 29800 } },
  { text: '3000で売ってた', truth: { price: 3000 }, note: '円 left out' },
  { text: 'ふだんの値段は2万円くらいのものです', truth: { typicalPrice: 20000 }, note: '「値段は」 after 「ふだんの」 is the usual price' },
  { text: '普段の価格は3万円なのに3000円で売ってる', truth: { price: 3000, typicalPrice: 30000 } },
  { text: '定価29800の掃除機が2980円', truth: { price: 2980, typicalPrice: 29800 }, missed: ['price'], note: 'no word says 2980円 is what it sells at' },
  { text: 'PS5 5千円で売ってた', truth: { price: 5000 }, note: 'the model number is not part of the amount' },
  { text: 'iPhone15 3万円で出てる、定価は12万円くらい', truth: { price: 30000, typicalPrice: 120000 } },
  { text: '2〜3千円で出品されてた', truth: {}, note: 'a range is no single price' },
  { text: '相場3万ちょいのPS4が2千〜3千円で出品', truth: { typicalPrice: 30000 }, note: 'seed 000; the price is a range' },
  { text: '1円で出品されてる！', truth: { price: 1 } },

  // --- several prices: other sellers, several items ----------------------------------------------------------------
  { text: '同じ商品を他の出品者は5000円で出してて、この出品者だけ1500円で出してる', truth: { price: 1500, typicalPrice: 5000 } },
  { text: '他の出品者が5000円で出品しているのに、この出品者は1500円ぐらい', truth: { price: 1500, typicalPrice: 5000 } },
  {
    text: '他の出品者が5000円で出品しているのに1500円ぐらいで新品が手に入る',
    truth: { price: 1500, typicalPrice: 5000 },
    missed: ['price', 'typicalPrice'],
    note: 'seed 003: 「で新品が手に入る」 names no listing; without a listed price the other sellers’ one is not taken alone',
  },
  { text: 'よく5000円で売っている商品を4人ぐらいが並んで1000円ぐらいで出品していた', truth: { price: 1000, typicalPrice: 5000 }, missed: ['price', 'typicalPrice'], note: 'seed 003: two amounts with a listing word each' },
  { text: '3,000円で出てて、別の出品者は2,500円で出てた', truth: {}, note: 'another seller cheaper still: which listing is meant is not clear' },
  { text: 'Switchは2980円、PS5は9800円で出てた', truth: {}, note: 'two items, one predicate' },
  { text: 'AとB比べてて、Aは3000円で売ってて、Bは5000円で売ってる', truth: {} },
  { text: '検索したら同じ商品が10件並んでて全部1000円', truth: {}, note: 'search results are not the seller’s listings' },
  { text: '同じ商品が3個出品されてた', truth: {}, note: 'three copies of one item are not the seller’s listing count' },

  // --- amounts that are no price -----------------------------------------------------------------------------------
  { text: 'アカウントが乗っ取られて15,000円使われた', truth: {} },
  { text: '3000円払ったのに商品が届かない', truth: {} },
  { text: '返金は2980円でした', truth: {} },
  { text: '送料500円で売ってたけど', truth: {}, note: 'the shipping fee is not the price' },
  { text: 'ポイント500円分もらえるキャンペーン', truth: {} },
  { text: '1000円引きクーポンで3980円で買えた', truth: { price: 3980 } },
  { text: '10%オフで売ってた', truth: {} },
  { text: '1000円引きで売ってた', truth: {} },
  { text: '3000円オフで出品されてる', truth: {} },
  { text: '定価より5000円も安く売られてる', truth: {} },
  { text: '普通に5000円で売れました', truth: {}, note: 'seed 003, a seller: what their own item sold for' },
  { text: 'Amazonで3000円分のギフト券を買った', truth: {} },
  { text: '12月3日の20時に注文、4,980円', truth: {} },
  { text: 'クーポン使うと500円になるって書いてある', truth: {} },

  // --- who ships -----------------------------------------------------------------------------------------------------
  { text: 'この商品は、ABCショップが販売し、Amazon.co.jpが発送します', truth: { fulfilment: 'amazon' } },
  { text: 'ABCショップが販売、発送します', truth: { fulfilment: 'seller' }, note: 'the product page’s words for a seller who ships' },
  { text: 'Amazon.co.jpが販売、発送します', truth: { fulfilment: 'amazon' } },
  { text: '出荷元 Amazon 販売元 XYZストア', truth: { fulfilment: 'amazon' } },
  { text: '発送元：中国', truth: { fulfilment: 'overseas' } },
  { text: '発送は中国からで、届くまで2〜3週間かかるらしい', truth: { fulfilment: 'overseas' } },
  { text: '出品者の自己発送です。プライムマークなし', truth: { fulfilment: 'seller' }, note: 'the seeds say 自己発送' },
  { text: 'アマゾンから発送のお知らせメールが来たのに荷物が届きません', truth: {}, note: 'Amazon mails a shipping notice for every seller' },
  { text: 'Amazonの発送メールには追跡番号が書いてあったけど、追跡できない', truth: {} },
  { text: 'Amazonが発送じゃないです。出品者が発送してます', truth: { fulfilment: 'seller' } },
  { text: 'Amazon発送ではない', truth: {} },
  { text: 'FBA手数料が上がったって本当？', truth: {}, note: 'seed 003, a seller' },
  { text: 'プライムマークがついてる', truth: {}, note: 'Prime is not always shipped by Amazon' },

  // --- ratings -------------------------------------------------------------------------------------------------------
  { text: '商品の評価は4000件以上あるけど、出品者の評価は3件だけ', truth: { ratingCount: 3 } },
  { text: '★4.3 1,234個の評価', truth: {}, note: 'the product’s ratings, as the product page shows them' },
  { text: '出品者の評価が95%で、評価数は120件', truth: { ratingCount: 120 } },
  { text: '過去12か月で95%が好評価（120件の評価）', truth: { ratingCount: 120 } },
  { text: '評価100%（3件）', truth: { ratingCount: 3 } },
  { text: '評価は★4.5、件数は38件', truth: { ratingCount: 38 } },
  { text: '評価は0件じゃなくて20件ありました', truth: { ratingCount: 20 } },
  { text: '評価がないわけではないです', truth: {} },
  { text: '評価が少ないわけではない', truth: {} },
  { text: '評価が2、3件しかない', truth: {}, note: 'two or three is no count' },
  { text: '評価件数：12', truth: { ratingCount: 12 } },
  { text: '出品者の評価が数件しかない', truth: {} },
  { text: '評価は百件以上', truth: { ratingCount: 100 } },
  { text: '98% positive in the last 12 months (1,234 ratings), ships from Amazon', truth: { fulfilment: 'amazon', ratingCount: 1234 } },
  { text: 'The product has 2,000 ratings but the seller only has 5', truth: { ratingCount: 5 }, missed: ['ratingCount'], note: 'the product’s ratings are not the seller’s' },
  { text: 'Only 3 feedback and the seller just started', truth: { ratingCount: 3, newSeller: true } },

  // --- newest rating, listings -------------------------------------------------------------------------------------
  { text: '評価が2年前で止まってる', truth: { lastRatingYearsAgo: 2 } },
  { text: '一番新しい評価が3か月前', truth: {} },
  { text: '10年前に一度買ったことがある出品者です', truth: {} },
  { text: '出品数が3万点以上ある', truth: { listingCount: 30000 } },
  { text: 'The seller has 30,000 listings and 2 ratings', truth: { ratingCount: 2, listingCount: 30000 } },

  // --- new seller ----------------------------------------------------------------------------------------------------
  { text: '先月オープンしたばかりのショップらしい', truth: { newSeller: true } },
  { text: '出品者が2週間前に登録したみたい', truth: { newSeller: true } },
  { text: '出品者は新規ではないです', truth: {} },
  { text: '新しい出品者ではない', truth: {} },
  { text: '新規アカウントを作って注文したばかりです', truth: {}, note: 'the user’s own account' },
  { text: 'アマゾンのアカウントを作ったばかりで使い方がよくわからない', truth: {}, note: 'the user’s own account' },
  { text: '出品者が新規かどうかはどこで見ればいいですか', truth: {} },

  // --- outside Amazon ----------------------------------------------------------------------------------------------
  { text: '出品者からメールで銀行振込にしてほしいと言われました', truth: { offPlatformRequest: true } },
  { text: '出品者に問い合わせたら、LINEで連絡してくださいと返事が来ました', truth: { offPlatformRequest: true } },
  { text: 'LINEのIDを教えてと言われた', truth: { offPlatformRequest: true } },
  { text: 'PayPayで払ってと言われた', truth: { offPlatformRequest: true } },
  { text: 'ギフト券で払ってくださいと書いてあった', truth: { offPlatformRequest: true } },
  { text: '出品者から直接取引しませんかとメッセージが来た', truth: { offPlatformRequest: true } },
  { text: '出品者から「注文をキャンセルしてLINEで直接取引すれば安くする」と言われました', truth: { offPlatformRequest: true } },
  { text: 'LINEで友達に聞いたら怪しいと言われた', truth: {}, note: 'a friend on LINE is no seller' },
  { text: 'Amazonからメールで注文確認が届いた', truth: {} },
  { text: '返金は銀行振込で来た', truth: {} },
  { text: '銀行振込は求められていません', truth: {} },
  { text: 'メールで「こちらのURLから2段階認証の設定をしてください」という連絡が来た', truth: {}, note: 'seed 002: a phishing mail, no seller' },
  { text: '振込先口座が変更されていないか確認してください', truth: {}, note: 'seed 000: advice to sellers' },
  { text: 'A friend told me gift card scams are common', truth: {} },

  // --- the bot's own texts pasted back -------------------------------------------------------------------------------
  { text: '出品のようす（値段、ふだんの値段、出品者の評価の数、いつからの出品者か など）', truth: {} },
  { text: '【質問 1/9】買おうとしている商品の、この出品者での価格はいくらですか？数字で入力してください（例: 2980）。', truth: {} },
  { text: '出品者の評価は、全部で何件ありますか？（例: 「120件」）評価がまだなければ「0件」と入力してください。', truth: {} },
  { text: '出品者は、出品を始めたばかりに見えますか？（「新規出品者」と表示されている、評価の記録がほとんどない、など）', truth: {} },
  { text: '出品者から、Amazonの外での支払いや連絡をすすめられましたか？（銀行振込、メール、LINEなど）', truth: {} },

  // --- general questions, hypotheticals --------------------------------------------------------------------------------
  { text: '新しい出品者から買うのは危ない？', truth: {} },
  { text: '新規出品者って詐欺が多いんですか', truth: {} },
  { text: '評価がない出品者は危ないですか？', truth: {} },
  { text: '中国から発送の商品は避けた方がいい？', truth: {} },
  { text: '自己発送の商品は買わない方がいいって本当？', truth: {} },
  { text: 'Is it safe to buy from a new seller?', truth: {} },
  { text: 'もし評価が0件だったら買わない方がいいですか', truth: {} },
  { text: '評価が2件しかない場合はどうすればいい？', truth: {} },
  { text: '仮に3000円で売ってたら詐欺ですか', truth: {} },
  { text: '定価3万円のものが3千円で売ってたら怪しいですよね？', truth: {} },
  { text: 'If the seller has 0 ratings, is it a scam?', truth: {} },

  // --- dates, order and phone numbers, incidents --------------------------------------------------------------------
  { text: '4月27日に注文しました。注文番号は249-1234567-1234567です', truth: {} },
  { text: '出品者の電話番号が03-1234-5678で、住所が東京タワーでした', truth: {} },
  { text: '090-1234-5678から電話があって、アマゾンのカスタマーサービスだと言われました', truth: {} },
  { text: '注文番号250-1234567-1234567の商品、評価が2件の出品者でした', truth: { ratingCount: 2 } },

  // --- English and mixed (foreign residents) -----------------------------------------------------------------------
  {
    text: 'Found a Nintendo Switch for 3,000 yen on Amazon, normally around 30,000 yen. Seller has 2 ratings and ships from China.',
    truth: { price: 3000, typicalPrice: 30000, fulfilment: 'overseas', ratingCount: 2 },
    missed: ['price'],
    note: 'a bare “for” also comes before refunds and coupons',
  },
  { text: "It's listed at 2,980 yen, retail is about 30,000 yen.", truth: { price: 2980, typicalPrice: 30000 } },
  { text: 'The seller has 2 ratings, opened last month', truth: { ratingCount: 2, newSeller: true } },
  { text: 'selling for 3k yen, no ratings, ships from seller', truth: { price: 3000, fulfilment: 'seller', ratingCount: 0 } },
  { text: 'Amazonでswitch見つけた、3000 yenで売ってる、normally 3万くらい', truth: { price: 3000, typicalPrice: 30000 } },
  {
    text: 'Hi, I saw AirPods on Amazon for ¥2,500, usually ¥25,000. Is this seller OK? It says 新規出品者',
    truth: { price: 2500, typicalPrice: 25000, newSeller: true },
    missed: ['price'],
  },
  {
    text: 'Hello, I want to buy a rice cooker. Price is 4,000 yen but in Bic Camera it is 20,000 yen. Seller is new, 1 rating.',
    truth: { price: 4000, typicalPrice: 20000, ratingCount: 1, newSeller: true },
    missed: ['typicalPrice'],
    note: 'a shop’s name is no word for the usual price',
  },
  { text: 'no link, I saw it in the app', truth: {} },
];

/**
 * The second round: messages written after the first fixes, to try the new rules (no yen mark, other sellers,
 * negations and conditions after the words of a fact, English fillers, 出荷元/発送は…) where they could go wrong.
 */
export const STUDY_ROUND_2: readonly StudyMessage[] = [
  { text: 'この出品者は評価が2件', truth: { ratingCount: 2 } },
  { text: 'この出品者は3年前から評価がない', truth: { lastRatingYearsAgo: 3 }, note: 'none for three years is not none at all' },
  { text: '最近は評価がない', truth: {} },
  { text: '評価2件、3000で出てる', truth: { price: 3000, ratingCount: 2 } },
  { text: '型番1234で売ってる', truth: {} },
  { text: '1500で買える', truth: { price: 1500 } },
  { text: '14時30分に3000で出品されてた', truth: { price: 3000 } },
  { text: '9800で出品、相場は29800', truth: { price: 9800, typicalPrice: 29800 } },
  { text: 'Amazonの価格は3000円、他の出品者は2500円', truth: {}, note: 'Amazon’s own price, or this listing’s on Amazon: not clear' },
  { text: '他の出品者さんは3000円くらい', truth: {} },
  { text: 'ほかの出品者より2000円安い', truth: {} },
  { text: '他のショップだと3万円なのに、ここだと3千円', truth: { price: 3000, typicalPrice: 30000 }, missed: ['price', 'typicalPrice'], note: '「ここ」 can be any shop' },
  { text: 'usually ships in 2 days, 3000 yen', truth: {} },
  { text: 'The price is normal, 3000 yen', truth: {} },
  { text: 'price 3000 yen but usually 30000 yen', truth: { price: 3000, typicalPrice: 30000 } },
  { text: 'I only paid 3000 yen', truth: {} },
  { text: 'it costs 3000 yen here but 30000 yen at Yodobashi', truth: { price: 3000, typicalPrice: 30000 }, missed: ['typicalPrice'], note: 'a shop’s name' },
  { text: 'The seller is new and ships from Amazon', truth: { fulfilment: 'amazon', newSeller: true } },
  { text: 'The seller is new to me', truth: {} },
  { text: '出荷元はAmazonではありません', truth: {} },
  { text: '出荷元 Amazon、販売元 Amazon', truth: { fulfilment: 'amazon' } },
  { text: '発送は出品者からです', truth: { fulfilment: 'seller' } },
  { text: '配送は中国郵政', truth: { fulfilment: 'overseas' } },
  { text: '発送は中国からではなく日本から', truth: {} },
  { text: '中国からの発送ではない', truth: {} },
  { text: '香港発送', truth: { fulfilment: 'overseas' } },
  { text: '海外発送の出品者って危ないの？', truth: {} },
  { text: 'この海外発送の出品者って危ないの？', truth: { fulfilment: 'overseas' } },
  { text: '出品者から発送されるみたい', truth: { fulfilment: 'seller' } },
  { text: '新規出品者じゃないけど評価が少ない', truth: {} },
  { text: '新規の出品者ではなさそう', truth: {} },
  { text: '出品者は新規っぽい', truth: { newSeller: true }, note: 'the question asks whether it looks new' },
  { text: '出品者が新規なのか分からない', truth: {} },
  { text: '出品者は先週できたばかりではない', truth: {} },
  { text: '新規出品者から買ったけど届かない', truth: { newSeller: true } },
  { text: '出品者からLINE交換しようと言われた', truth: { offPlatformRequest: true } },
  { text: 'Amazonのメッセージで連絡してくださいと言われた', truth: {}, note: 'Amazon’s own messages are inside Amazon' },
  { text: 'メールでやりとりした', truth: {} },
  { text: '振込してくださいと言われました', truth: { offPlatformRequest: true } },
  { text: 'ギフト券を買ってコード番号を教えてと言われた', truth: { offPlatformRequest: true } },
  { text: 'Amazonギフト券で支払いました', truth: {} },
  { text: '銀行振込のみと書いてある', truth: { offPlatformRequest: true } },
  { text: 'PayPayで払えるか聞いた', truth: {} },
  { text: '銀行振込しかできないと言われた', truth: { offPlatformRequest: true } },
  { text: 'メールで返信してくださいとあった', truth: { offPlatformRequest: true } },
  { text: 'アマゾンから電話で連絡してくださいとSMSが来た', truth: {}, note: 'a contact naming itself Amazon is no seller' },
  { text: 'Amazonで買ったら、出品者からLINEで連絡してと言われた', truth: { offPlatformRequest: true } },
  { text: '評価は3年前から増えていない', truth: { lastRatingYearsAgo: 3 } },
  { text: '最後の評価が2008年じゃなくて2018年', truth: { lastRatingYearsAgo: 8 }, missed: ['lastRatingYearsAgo'], note: 'a correction of a year' },
  { text: '同じ商品が5点出品されてた', truth: {} },
  { text: '3件の評価しかない', truth: { ratingCount: 3 } },
  { text: '星1の評価が3件', truth: {}, note: 'three one-star ratings' },
  { text: '評価が増えてて今は30件', truth: { ratingCount: 30 } },
  { text: 'この3日で評価が100件増えた', truth: {} },
  { text: '評価が0件の出品者から買っても大丈夫？', truth: { ratingCount: 0 }, note: 'a count is what the user sees' },
  { text: '評価が少ない出品者から買っても大丈夫ですか', truth: {} },
  { text: '2万円のゲーム機が3千円で売ってたので買ったら届かない', truth: { price: 3000, typicalPrice: 20000 } },
  { text: '評価が2件だったけど買ったら届かなかった', truth: { ratingCount: 2 } },
  { text: '3千円で出てたから買ったら、偽物だった', truth: { price: 3000 } },
  { text: '相場は3万円くらいだけど、3000円で売られていたら買いますか', truth: { typicalPrice: 30000 } },
  { text: '定価3万円。でも3千円で売ってた。評価はゼロ。', truth: { price: 3000, typicalPrice: 30000, ratingCount: 0 } },
  { text: 'Is this seller safe? 3 ratings, selling for 2,000 yen', truth: { price: 2000, ratingCount: 3 } },
  { text: 'Can I trust a seller with 0 ratings?', truth: {} },
  { text: 'Can I trust a seller with no ratings?', truth: {} },
  { text: '評価が2件か3件', truth: {}, note: 'two or three is no count' },
  { text: '3000円か4000円で売ってた', truth: {} },
  { text: 'selling for 3,000 or 4,000 yen', truth: {} },
  { text: 'the price was ¥3,000', truth: { price: 3000 } },
  { text: 'the price was ¥3,000 and it is usually ¥30,000', truth: { price: 3000, typicalPrice: 30000 } },
  { text: '評価は3年前から急に増えた', truth: {}, note: 'a burst of ratings since then, not the newest one' },
  { text: '評価が3件くらい', truth: { ratingCount: 3 } },
  { text: '出品者から電話で連絡すると言われた', truth: { offPlatformRequest: true } },
  { text: 'このショップは1500円', truth: { price: 1500 } },
  { text: 'typically 30,000 yen, this one 3,000 yen', truth: { price: 3000, typicalPrice: 30000 }, missed: ['price'], note: '“this one” can be any shop' },
  { text: 'it is going for 3,000 yen', truth: { price: 3000 } },
  { text: 'on sale for 2,980 yen', truth: { price: 2980 } },
  { text: '出品者から、LINEで取引するなら安くすると言われた', truth: { offPlatformRequest: true }, note: 'the condition is the seller’s pitch' },
  { text: 'もしかして詐欺かな、評価が2件しかない', truth: { ratingCount: 2 }, note: '「もしかして」 is no supposition' },
  { text: '評価が0の出品者から買っても大丈夫？', truth: { ratingCount: 0 }, note: 'a count is what the user sees' },
  { text: '価格は1000円引きになってる', truth: {} },
  { text: '相場は2〜3万円、5000円で売ってる', truth: { price: 5000 }, note: 'the usual price is a range' },
  { text: 'オープンしたばかりのお店みたい', truth: { newSeller: true } },
  { text: 'この商品は5個出品されてた', truth: {}, note: 'copies of one item' },
  { text: '検索したら10件並んでて全部1000円', truth: {}, note: 'search results' },
  { text: 'LINEのIDを教えてください、とメッセージが来た', truth: { offPlatformRequest: true } },
  { text: 'Amazonから注文確認メールが来て、出品者からは銀行振込にしてほしいと言われた', truth: { offPlatformRequest: true }, note: 'Amazon sent the mail; the seller asked' },
  { text: '新規出品者って危ないんですよね？これも新規出品者です', truth: { newSeller: true }, note: 'a question about a kind of seller, then this one' },
  {
    text: '出品者の評価が2件で新規、3000円で売ってて相場は3万円、中国から発送、LINEで連絡してと言われた',
    truth: { price: 3000, typicalPrice: 30000, fulfilment: 'overseas', ratingCount: 2, newSeller: true, offPlatformRequest: true },
  },
];
