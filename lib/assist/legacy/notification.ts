import { checkvaluesEqual, legacyCheckvalue } from '../checkvalue';
import type { AssistConfig } from '../config';
import type { NotificationResult } from '../gateway';
import { readNotification } from '../notification';
import { foldRows, toRow } from './records';

/**
 * Parses a legacy notification: `Shop_IDP, OrderNumber, Response_Code, Total, Currency, BillNumber,
 * Status, PacketDate, CheckValue`. With a secret a wrong CheckValue is rejected (constant time). Even a
 * matching one signs neither the status nor the billnumber (UPPER(md5hex(Shop_IDP + OrderNumber + Total
 * + Currency + SECRET))), so a replay of an old notification with another Status would verify: the
 * result is ALWAYS `unverified`, a hint that makes the shop re-read the bill from the report.
 */
export function parseLegacyNotification(
  config: AssistConfig,
  input: URLSearchParams | Record<string, string | undefined>,
): NotificationResult {
  const { f, billNumber, reject } = readNotification(input);
  for (const name of ['shop_idp', 'ordernumber', 'billnumber', 'status']) {
    if (!f[name]) return reject('malformed', `${name} is missing`);
  }
  if (billNumber === null) return reject('malformed', 'billnumber must be digits');
  if (f.shop_idp !== config.merchantId) return reject('wrong_merchant', 'Shop_IDP is not ours');
  if (config.secret !== null) {
    const expected = legacyCheckvalue(config.secret, {
      shopIdp: f.shop_idp ?? '',
      orderNumber: f.ordernumber ?? '',
      total: f.total ?? '',
      currency: f.currency ?? '',
    });
    if (!checkvaluesEqual(expected, f.checkvalue ?? ''))
      return reject('bad_checkvalue', 'checkvalue does not match');
  }
  const row = toRow(
    {
      billNumber,
      orderNumber: f.ordernumber,
      state: f.status,
      amount: f.total,
      currency: f.currency,
      paketDate: f.packetdate,
      responseCode: f.response_code,
    },
    f,
  );
  if (!row.ok) return reject('malformed', row.error);
  return {
    ok: true,
    notification: {
      bill: foldRows([row.row], config.testMode, false),
      billNumber,
      testMode: config.testMode,
      verification: 'unverified',
      packetDateRaw: f.packetdate ?? '',
    },
  };
}
