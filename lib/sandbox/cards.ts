/**
 * The sandbox's own test cards. ASSIST publishes none (docs/assist-protocol.md §9), so this table is the sandbox's
 * convention, shown on the payment page and in docs/sandbox.md. Only these numbers are accepted.
 */

export interface TestCard {
  number: string;
  responseCode: string;
  en: string;
  ru: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4111111111111111', responseCode: 'AS000', en: 'Approved', ru: 'Одобрено' },
  { number: '4000000000000002', responseCode: 'AS100', en: 'Declined', ru: 'Отказ' },
  { number: '4000000000000010', responseCode: 'AS101', en: 'Wrong card number', ru: 'Неверный номер карты' },
  { number: '4000000000009995', responseCode: 'AS102', en: 'Insufficient funds', ru: 'Недостаточно средств' },
  {
    number: '4000000000000069',
    responseCode: 'AS104',
    en: 'Wrong expiry date',
    ru: 'Неверный срок действия',
  },
  { number: '4000000000000051', responseCode: 'AS105', en: 'Limit exceeded', ru: 'Превышен лимит' },
  {
    number: '4100000000000019',
    responseCode: 'AS108',
    en: 'Suspected fraud',
    ru: 'Подозрение на мошенничество',
  },
  {
    number: '4000000000003220',
    responseCode: 'AS110',
    en: '3-D Secure required',
    ru: 'Требуется 3-D Secure',
  },
];

/** Response-code texts (docs/assist-protocol.md §6) used in notifications and reports. */
export const RESPONSE_MESSAGES: Readonly<Record<string, { message: string; customer: string }>> = {
  AS000: { message: 'Approved', customer: 'Payment approved' },
  AS001: { message: 'Approved', customer: 'Payment approved' },
  AS010: { message: 'Approved', customer: 'Payment approved' },
  AS011: { message: 'Approved', customer: 'Payment approved' },
  AS020: { message: 'Approved', customer: 'Payment approved' },
  AS100: { message: 'Declined', customer: 'Payment declined by the card issuer' },
  AS101: { message: 'Wrong card number', customer: 'Check the card number' },
  AS102: { message: 'Insufficient funds', customer: 'Not enough money on the card' },
  AS104: { message: 'Wrong expiry date', customer: 'Check the expiry date' },
  AS105: { message: 'Limit exceeded', customer: 'The card limit is exceeded' },
  AS106: { message: 'Wrong PIN', customer: 'Wrong PIN' },
  AS107: { message: 'Data error', customer: 'Check the card data' },
  AS108: { message: 'Suspected fraud', customer: 'Payment declined' },
  AS109: { message: 'ASSIST operation limit', customer: 'Payment declined' },
  AS110: { message: '3-D Secure required', customer: 'Payment requires 3-D Secure' },
  AS998: { message: 'System error', customer: 'Try again later' },
};

const SUCCESS_CODES: ReadonlySet<string> = new Set(['AS000', 'AS001', 'AS010', 'AS011', 'AS020']);

export const isSuccessCode = (code: string): boolean => SUCCESS_CODES.has(code);
export const isKnownResponseCode = (code: string): boolean => code in RESPONSE_MESSAGES;

/** `4111111111111111` → `411111****1111`: the only form in which a card number is kept. */
export function maskCardNumber(digits: string): string {
  return `${digits.slice(0, 6)}****${digits.slice(-4)}`;
}

function cardBrand(digits: string): string {
  if (digits.startsWith('4')) return 'VISA';
  if (/^5[1-5]/.test(digits)) return 'MasterCard';
  if (digits.startsWith('220')) return 'MIR';
  return 'Card';
}

export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
  holder: string;
}

export type CardCheck =
  /** The form must be shown again with this message; the bill is left untouched. */
  | { ok: false; field: 'number' | 'expiry' | 'holder'; error: 'not_test_card' | 'bad_expiry' | 'no_holder' }
  | {
      ok: true;
      responseCode: string;
      mask: string;
      brand: string;
      holder: string;
    };

/**
 * Decides a payment attempt. `forcedCode` is the legacy `DemoResult` of the bill: it overrides the
 * card's outcome once the card data itself is acceptable.
 */
export function checkCard(input: CardInput, now: Date, forcedCode: string | null): CardCheck {
  const digits = input.number.replace(/[\s-]/g, '');
  const card = TEST_CARDS.find((c) => c.number === digits);
  if (!card) return { ok: false, field: 'number', error: 'not_test_card' };
  const m = /^\s*(\d{2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input.expiry);
  const month = Number(m?.[1]);
  if (!m || month < 1 || month > 12) return { ok: false, field: 'expiry', error: 'bad_expiry' };
  const holder = input.holder.trim().replace(/\s+/g, ' ');
  if (holder === '') return { ok: false, field: 'holder', error: 'no_holder' };
  const yearText = m[2] ?? '';
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  // A card is valid through the last day of its expiry month.
  const expired = Date.UTC(year, month, 1) <= now.getTime();
  const cvcOk = /^\d{3}$/.test(input.cvc.trim());
  let responseCode = card.responseCode;
  if (expired) responseCode = 'AS104';
  else if (!cvcOk) responseCode = 'AS107';
  else if (forcedCode) responseCode = forcedCode;
  return { ok: true, responseCode, mask: maskCardNumber(digits), brand: cardBrand(digits), holder };
}
