import type { GatewayError } from './gateway';
import type { LocalizedText } from './types';

/** Response codes (docs/assist-protocol.md §6), including the legacy extra success codes. */
const RESPONSE_CODES: Record<string, LocalizedText> = {
  AS000: { ru: 'Операция успешно завершена', en: 'Operation successful' },
  AS001: { ru: 'Операция успешно завершена', en: 'Operation successful' },
  AS010: { ru: 'Операция успешно завершена', en: 'Operation successful' },
  AS011: { ru: 'Операция успешно завершена', en: 'Operation successful' },
  AS020: { ru: 'Операция успешно завершена', en: 'Operation successful' },
  AS100: { ru: 'Отказ в авторизации', en: 'Authorization declined' },
  AS101: { ru: 'Неверный номер карты', en: 'Wrong card number' },
  AS102: { ru: 'Недостаточно средств', en: 'Insufficient funds' },
  AS104: { ru: 'Неверный срок действия карты', en: 'Wrong card expiry date' },
  AS105: { ru: 'Превышен лимит', en: 'Limit exceeded' },
  AS106: { ru: 'Неверный PIN', en: 'Wrong PIN' },
  AS107: { ru: 'Ошибка приёма данных', en: 'Data error' },
  AS108: { ru: 'Подозрение на мошенничество', en: 'Suspected fraud' },
  AS109: { ru: 'Превышен лимит операций ASSIST', en: 'ASSIST operation limit exceeded' },
  AS110: { ru: 'Требуется авторизация по 3-D Secure', en: '3-D Secure authentication required' },
  AS200: { ru: 'Повторная авторизация', en: 'Repeated authorization' },
  AS300: { ru: 'Операция в процессе выполнения', en: 'Operation in progress' },
  AS400: { ru: 'Платёж не найден', en: 'No such payment' },
  AS998: { ru: 'Системная ошибка', en: 'System error' },
};

const SUCCESS_CODES = new Set(['AS000', 'AS001', 'AS010', 'AS011', 'AS020']);

/** ru+en text of a response code (AS000..AS998); unknown codes get a generic text that quotes the code. */
export function responseCodeText(code: string): LocalizedText {
  const c = code.trim().toUpperCase();
  return RESPONSE_CODES[c] ?? { ru: `Неизвестный код ответа ${c}`, en: `Unknown response code ${c}` };
}

/** True for the response codes that mean success. */
export function isSuccessCode(code: string): boolean {
  return SUCCESS_CODES.has(code.trim().toUpperCase());
}

/** AS300: the operation is still running at the bank; it settles later (a refund may take days). */
export const IN_PROCESS_CODE = 'AS300';

/** What a response code says about its operation: success, still running, or anything else a failure. */
export function codeOutcome(code: string): 'success' | 'pending' | 'failed' {
  const c = code.trim().toUpperCase();
  if (SUCCESS_CODES.has(c)) return 'success';
  return c === IN_PROCESS_CODE ? 'pending' : 'failed';
}

const FIRST_CODES: Record<number, LocalizedText> = {
  0: { ru: 'Нет ошибки', en: 'No error' },
  1: { ru: 'Ошибка', en: 'Error' },
  2: { ru: 'Внутренняя ошибка', en: 'Internal error' },
  3: { ru: 'Не указан обязательный параметр', en: 'Missing parameter' },
  4: { ru: 'Неверный формат параметра', en: 'Bad parameter format' },
  5: { ru: 'Неверное значение параметра', en: 'Bad parameter value' },
  7: { ru: 'Ошибка аутентификации', en: 'Authentication failed' },
  8: { ru: 'Ошибка авторизации', en: 'Authorization failed' },
  10: { ru: 'Объект не найден', en: 'Object not found' },
  11: { ru: 'Объект уже существует', en: 'Duplicate object' },
  12: { ru: 'Объект заблокирован', en: 'Object locked' },
  15: { ru: 'Операция запрещена', en: 'Operation forbidden' },
  16: { ru: 'Истекло время ожидания', en: 'Timed out' },
  17: { ru: 'Превышены лимиты', en: 'Limits exceeded' },
};

const SECOND_CODES: Record<number, LocalizedText> = {
  0: { ru: 'нет уточнения', en: 'no detail' },
  3: { ru: 'превышена частота запросов', en: 'request frequency exceeded' },
  4: { ru: 'слишком широкий интервал', en: 'interval too wide' },
  100: { ru: 'MERCHANT_ID', en: 'MERCHANT_ID' },
  101: { ru: 'LOGIN', en: 'LOGIN' },
  102: { ru: 'PASSWORD', en: 'PASSWORD' },
  103: { ru: 'FORMAT', en: 'FORMAT' },
  105: { ru: 'CURRENCY', en: 'CURRENCY' },
  107: { ru: 'ORDERNUMBER', en: 'ORDERNUMBER' },
  108: { ru: 'AMOUNT', en: 'AMOUNT' },
  143: { ru: 'BILLNUMBER', en: 'BILLNUMBER' },
  158: { ru: 'CHECKVALUE', en: 'CHECKVALUE' },
  200: { ru: 'магазин', en: 'merchant' },
  201: { ru: 'заказ', en: 'order' },
};

/** secondcode 3: the gateway asks us to slow down, the one gateway error worth retrying. */
export const SECOND_CODE_FREQUENCY_EXCEEDED = 3;

/** ru+en text for a firstcode/secondcode pair, e.g. "Неверное значение параметра: AMOUNT". */
export function errorCodeText(firstCode: number, secondCode: number): LocalizedText {
  const first = FIRST_CODES[firstCode] ?? { ru: `Ошибка ${firstCode}`, en: `Error ${firstCode}` };
  if (firstCode === 10 && secondCode === 201) return { ru: 'Ничего не найдено', en: 'Nothing found' };
  if (secondCode === 0) return first;
  const second = SECOND_CODES[secondCode] ?? { ru: `код ${secondCode}`, en: `code ${secondCode}` };
  return { ru: `${first.ru}: ${second.ru}`, en: `${first.en}: ${second.en}` };
}

/** firstcode 10 / secondcode 201: "object absent, order". For a read it means "no bills", not a failure. */
export function isNothingFound(error: GatewayError): boolean {
  return error.kind === 'gateway' && error.firstCode === 10 && error.secondCode === 201;
}
