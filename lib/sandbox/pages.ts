import { formatAmount } from '../assist/money';
import type { BillRow } from './bills';
import { TEST_CARDS } from './cards';
import type { LoggedReceipt } from './current/fiscal';
import type { SandboxChequeItem } from './schema';

/** The hosted pages: plain HTML with inline CSS, no external resources, everything escaped. */

export type Lang = 'RU' | 'EN';

/** The gateway's pages show amounts in the protocol's own `1500.00 RUB` form; the shop's display is the shop's. */
function amountText(kopecks: number, currency = 'RUB'): string {
  return `${formatAmount(kopecks)} ${currency}`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const T = {
  RU: {
    title: 'Оплата заказа',
    sandbox: 'Тестовая платёжная страница: деньги не списываются',
    merchant: 'Магазин',
    order: 'Заказ',
    amount: 'Сумма',
    comment: 'Комментарий',
    twoStage: 'Средства будут заблокированы до подтверждения магазином',
    number: 'Номер карты',
    expiry: 'Срок действия (ММ/ГГ)',
    expiryPlaceholder: 'ММ/ГГ',
    holderPlaceholder: 'Как на карте, латиницей',
    cvc: 'CVC',
    holder: 'Имя владельца',
    pay: 'Оплатить',
    cards: 'Тестовые карты',
    cardsHint: 'Любой будущий срок действия и любые три цифры CVC. Другие номера не принимаются.',
    result: 'Результат',
    notTestCard: 'Это не тестовая карта. В тестовой среде принимаются только номера из таблицы ниже.',
    badExpiry: 'Укажите срок действия в формате ММ/ГГ.',
    noHolder: 'Укажите имя владельца карты.',
    approved: 'Оплата прошла успешно',
    declined: 'Оплата отклонена',
    finished: 'Этот счёт уже закрыт',
    state: 'Состояние',
    error: 'Ошибка в запросе на оплату',
    notFound: 'Счёт не найден',
    billnumber: 'Номер счёта',
    code: 'Код',
    backToShop: 'Вернуться в магазин без оплаты',
    receipt: 'Кассовый чек (54-ФЗ)',
    item: 'Позиция',
    price: 'Цена',
    quantity: 'Кол-во',
    tax: 'НДС',
    receiptLog: 'Журнал чеков',
    noReceipts: 'Чеков пока нет.',
    type: 'Тип',
  },
  EN: {
    title: 'Order payment',
    sandbox: 'Test payment page: no money is taken',
    merchant: 'Merchant',
    order: 'Order',
    amount: 'Amount',
    comment: 'Comment',
    twoStage: 'The funds will be held until the merchant confirms the payment',
    number: 'Card number',
    expiry: 'Expiry date (MM/YY)',
    expiryPlaceholder: 'MM/YY',
    holderPlaceholder: 'As on the card',
    cvc: 'CVC',
    holder: 'Cardholder name',
    pay: 'Pay',
    cards: 'Test cards',
    cardsHint: 'Any future expiry date and any three-digit CVC. Other numbers are refused.',
    result: 'Result',
    notTestCard: 'This is not a test card. The test environment accepts only the numbers in the table below.',
    badExpiry: 'Enter the expiry date as MM/YY.',
    noHolder: 'Enter the cardholder name.',
    approved: 'Payment successful',
    declined: 'Payment declined',
    finished: 'This bill is already closed',
    state: 'State',
    error: 'The payment request is invalid',
    notFound: 'Bill not found',
    billnumber: 'Bill number',
    code: 'Code',
    backToShop: 'Back to the shop without paying',
    receipt: 'Fiscal receipt (54-FZ)',
    item: 'Item',
    price: 'Price',
    quantity: 'Qty',
    tax: 'VAT',
    receiptLog: 'Receipt log',
    noReceipts: 'No receipts yet.',
    type: 'Type',
  },
} as const;

export type FormError = 'not_test_card' | 'bad_expiry' | 'no_holder';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:#eef1f5;color:#1c2430}.wrap{max-width:520px;margin:32px auto;padding:0 16px}
.card{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(20,30,50,.08);padding:24px;margin-bottom:16px}
.brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:18px;margin-bottom:4px}
.logo{width:34px;height:34px;border-radius:8px;background:#0b5cad;color:#fff;display:grid;place-items:center;font-size:14px}
.banner{background:#fff4d6;color:#6b4e00;border-radius:8px;padding:8px 12px;font-size:13px;margin:12px 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 16px;margin:0}dt{color:#5b6675}dd{margin:0;font-weight:600;word-break:break-word}
.amount{font-size:22px}label{display:block;font-size:13px;color:#3b4656;margin:14px 0 4px}
input{width:100%;padding:10px 12px;font-size:16px;border:1px solid #c5ccd6;border-radius:8px}
input:focus{outline:2px solid #0b5cad;border-color:#0b5cad}input::placeholder{color:#8a94a3;font-style:italic;opacity:1}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px;align-items:end}.row label{min-height:2.6em;display:flex;align-items:flex-end}
.back{display:block;margin-top:14px;text-align:center;color:#0b5cad}
button{margin-top:20px;width:100%;padding:12px;font-size:16px;font-weight:600;border:0;border-radius:8px;background:#0b5cad;color:#fff;cursor:pointer}
button:hover{background:#094a8b}.error{background:#fde8e8;color:#8a1c1c;border-radius:8px;padding:10px 12px;margin-top:12px}
table{width:100%;border-collapse:collapse;font-size:13px}th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #e3e7ed}
code{font-family:ui-monospace,Consolas,monospace}.muted{color:#5b6675;font-size:13px}h1{font-size:20px;margin:0 0 12px}`;

function layout(lang: Lang, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${lang === 'RU' ? 'ru' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main class="wrap">
<div class="brand"><span class="logo" aria-hidden="true">AS</span>ASSIST Sandbox</div>
<p class="banner">${escapeHtml(T[lang].sandbox)}</p>
${body}
</main></body></html>`;
}

/** Only http(s) links are offered: a return URL is whatever the shop's form said. */
function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const groupCard = (n: string) => n.replace(/(\d{4})(?=\d)/g, '$1 ');

function testCardTable(lang: Lang): string {
  const t = T[lang];
  const rows = TEST_CARDS.map(
    (c) =>
      `<tr><td><code>${groupCard(c.number)}</code></td><td><code>${c.responseCode}</code></td><td>${escapeHtml(c[lang === 'RU' ? 'ru' : 'en'])}</td></tr>`,
  ).join('');
  return `<section class="card" aria-labelledby="cards-h"><h1 id="cards-h">${t.cards}</h1>
<p class="muted">${t.cardsHint}</p>
<table><thead><tr><th>${t.number}</th><th>${t.code}</th><th>${t.result}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function orderSummary(lang: Lang, bill: BillRow, merchantName: string): string {
  const t = T[lang];
  return `<dl>
<dt>${t.merchant}</dt><dd>${escapeHtml(merchantName)}</dd>
<dt>${t.order}</dt><dd>${escapeHtml(bill.orderNumber)}</dd>
<dt>${t.amount}</dt><dd class="amount">${escapeHtml(amountText(bill.orderAmount, bill.currency))}</dd>
${bill.comment ? `<dt>${t.comment}</dt><dd>${escapeHtml(bill.comment)}</dd>` : ''}
<dt>${t.billnumber}</dt><dd><code>${escapeHtml(bill.billnumber)}</code></dd>
</dl>${bill.delay ? `<p class="muted">${t.twoStage}</p>` : ''}`;
}

const quantityText = (milli: number) =>
  milli % 1000 === 0 ? String(milli / 1000) : (milli / 1000).toFixed(3).replace(/0+$/, '');

/** The receipt's items as they will be printed: what a demo user checks before paying. */
function receiptTable(lang: Lang, items: SandboxChequeItem[], currency = 'RUB'): string {
  const t = T[lang];
  const rows = items
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.name || i.product)}${i.gs1code ? `<br><code class="muted">${escapeHtml(i.gs1code)}</code>` : ''}</td><td>${escapeHtml(amountText(i.price, currency))}</td><td>${quantityText(i.quantity)}</td><td>${escapeHtml(amountText(i.amount, currency))}</td><td><code>${escapeHtml(i.tax)}</code></td></tr>`,
    )
    .join('');
  return `<table class="receipt"><thead><tr><th>${t.item}</th><th>${t.price}</th><th>${t.quantity}</th><th>${t.amount}</th><th>${t.tax}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Every receipt the sandbox printed, newest last: the sandbox's stand-in for the fiscal cheque monitor. */
export function receiptLogPage(receipts: LoggedReceipt[], merchantName: string): string {
  const t = T.RU;
  const sections = receipts
    .map(
      (r) => `<section class="card" data-receipt="${escapeHtml(r.billnumber)}:${escapeHtml(r.type)}">
<h1>${escapeHtml(r.type)} · ${escapeHtml(r.orderNumber)}</h1>
<dl><dt>${t.billnumber}</dt><dd><code>${escapeHtml(r.billnumber)}</code></dd>
<dt>${t.amount}</dt><dd>${escapeHtml(amountText(r.amount))}</dd>
${r.email ? `<dt>E-mail</dt><dd>${escapeHtml(r.email)}</dd>` : ''}
<dt>${t.merchant}</dt><dd>${escapeHtml(merchantName)}</dd></dl>
${receiptTable('RU', r.items)}</section>`,
    )
    .join('\n');
  return layout('RU', t.receiptLog, `<h1>${t.receiptLog}</h1>${sections || `<p>${t.noReceipts}</p>`}`);
}

export interface PaymentPageInput {
  bill: BillRow;
  merchantName: string;
  action: string;
  error?: FormError;
  /** Echoed back after a refused submission; never the card number. */
  expiry?: string;
  holder?: string;
}

export function paymentPage(p: PaymentPageInput): string {
  const lang = p.bill.language === 'EN' ? 'EN' : 'RU';
  const t = T[lang];
  const message =
    p.error === 'not_test_card'
      ? t.notTestCard
      : p.error === 'bad_expiry'
        ? t.badExpiry
        : p.error === 'no_holder'
          ? t.noHolder
          : null;
  // ASSIST's own page offers a way back; the shop's generic return URL, else its "not paid" one.
  const backLink = safeHttpUrl(p.bill.urlReturn ?? p.bill.urlReturnNo);
  const receipt = p.bill.cheque
    ? `<section class="card" aria-labelledby="receipt-h"><h1 id="receipt-h">${t.receipt}</h1>${receiptTable(lang, p.bill.cheque, p.bill.currency)}</section>`
    : '';
  const body = `<section class="card"><h1>${t.title}</h1>${orderSummary(lang, p.bill, p.merchantName)}
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="${escapeHtml(p.action)}" accept-charset="UTF-8" autocomplete="off">
<input type="hidden" name="billnumber" value="${escapeHtml(p.bill.billnumber)}">
<label for="card_number">${t.number}</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="0000 0000 0000 0000" required maxlength="23">
<div class="row"><div><label for="expiry">${t.expiry}</label>
<input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="${t.expiryPlaceholder}" required maxlength="7" value="${escapeHtml(p.expiry ?? '')}"></div>
<div><label for="cvc">${t.cvc}</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="•••" required maxlength="4" type="password"></div></div>
<label for="holder">${t.holder}</label>
<input id="holder" name="holder" autocomplete="cc-name" placeholder="${t.holderPlaceholder}" required maxlength="70" value="${escapeHtml(p.holder ?? '')}">
<button type="submit">${t.pay} ${escapeHtml(amountText(p.bill.orderAmount, p.bill.currency))}</button>
</form>${backLink ? `<a class="back" href="${escapeHtml(backLink)}" data-testid="back-to-shop">${t.backToShop}</a>` : ''}</section>
${receipt}
${testCardTable(lang)}`;
  return layout(lang, t.title, body);
}

/** Shown when the shop gave no return URL, or the bill is already closed. */
export function resultPage(bill: BillRow, merchantName: string): string {
  const lang = bill.language === 'EN' ? 'EN' : 'RU';
  const t = T[lang];
  const heading =
    bill.state === 'Approved' || bill.state === 'Delayed'
      ? t.approved
      : bill.state === 'Declined'
        ? t.declined
        : t.finished;
  const body = `<section class="card"><h1>${escapeHtml(heading)}</h1>${orderSummary(lang, bill, merchantName)}
<p>${t.state}: <strong>${escapeHtml(bill.state)}</strong>${bill.responseCode ? ` (<code>${escapeHtml(bill.responseCode)}</code>)` : ''}</p></section>`;
  return layout(lang, heading, body);
}

export function errorPage(lang: Lang, firstcode: number, secondcode: number, detail: string): string {
  const t = T[lang];
  const body = `<section class="card"><h1>${t.error}</h1>
<p class="error" role="alert">firstcode=<strong id="firstcode">${firstcode}</strong> secondcode=<strong id="secondcode">${secondcode}</strong></p>
<p class="muted">${escapeHtml(detail)}</p></section>`;
  return layout(lang, t.error, body);
}

export function notFoundPage(lang: Lang): string {
  return layout(lang, T[lang].notFound, `<section class="card"><h1>${T[lang].notFound}</h1></section>`);
}
