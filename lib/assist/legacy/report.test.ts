import { describe, expect, it } from 'vitest';
import { LEGACY_ERROR_REPLY, LEGACY_REPORT_CSV } from './fixtures';
import { billsFromLegacyReport, legacyErrorText, parseLegacyReport } from './report';

describe('legacy report (results.cfm CSV)', () => {
  it('parses rows by the legacy column names: Cyrillic quoted comment, UNKNOWN and Paket date', () => {
    const r = parseLegacyReport(LEGACY_REPORT_CSV);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows).toHaveLength(8);
    const [first] = r.rows;
    expect(first?.billNumber).toBe('999999999999999');
    expect(first?.raw.Comment).toBe('Заказ №1001; доставка курьером, "до двери"');
    expect(first?.raw.Lastname).toBe('Иванов');
    expect(first?.maskedCard).toBe('411111****1111');
    expect(first?.at).toEqual(new Date(Date.UTC(2010, 8, 27, 23, 24, 5)));
    expect(first?.amountKopecks).toBe(150_000);
    // UNKNOWN is no value; the in-process row has no Paket date, so its Order Date dates it.
    expect(r.rows[1]?.maskedCard).toBeNull();
    expect(r.rows[7]?.at).toEqual(new Date(Date.UTC(2010, 9, 8, 8, 0, 0)));
    expect(r.rows[7]?.responseCode).toBeNull();
  });

  it('gives one GatewayBill per Payment No.', () => {
    const r = billsFromLegacyReport(LEGACY_REPORT_CSV, false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const by = new Map(r.bills.map((b) => [b.billNumber, b]));
    expect(r.bills).toHaveLength(5);
    expect(by.get('999999999999999')).toMatchObject({
      status: 'paid',
      rawStatus: 'Authorized',
      testMode: false,
    });
    expect(by.get('1000000000000001')).toMatchObject({ status: 'declined', responseCode: 'AS100' });
    expect(by.get('1000000000000123')).toMatchObject({
      status: 'partially_charged',
      rawStatus: 'Captured',
      amountKopecks: 200_000,
      packetDate: new Date(Date.UTC(2010, 9, 3, 12, 0, 0)),
    });
    expect(by.get('1000000000000123')?.operations.map((o) => [o.kind, o.outcome, o.amountKopecks])).toEqual([
      ['payment', 'success', 200_000],
      ['charge', 'success', 150_000],
    ]);
    // Not Refunded keeps what the earlier refund made of the bill.
    expect(by.get('1000000000000200')).toMatchObject({ status: 'partially_refunded', rawStatus: 'Refunded' });
    expect(by.get('1000000000000300')).toMatchObject({ status: 'in_process', rawStatus: 'in process' });
  });

  it('reads ERROR lines as gateway errors and refuses broken replies whole', () => {
    expect(legacyErrorText(LEGACY_ERROR_REPLY)).toBe('Неверный логин или пароль');
    expect(billsFromLegacyReport(LEGACY_ERROR_REPLY, false)).toEqual({
      ok: false,
      error: {
        kind: 'gateway',
        firstCode: 1,
        secondCode: 0,
        text: { ru: 'Неверный логин или пароль', en: 'Неверный логин или пароль' },
      },
    });
    expect(billsFromLegacyReport('', false)).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    expect(billsFromLegacyReport('Order Number;Order State\nA;Authorized', false)).toMatchObject({
      ok: false,
      error: { kind: 'malformed', message: expect.stringContaining('paymentno') },
    });
    const cut = LEGACY_REPORT_CSV.split('\r\n').slice(0, 2).join('\n').replace(/;1;$/, '');
    expect(billsFromLegacyReport(cut, false)).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    const badAmount = LEGACY_REPORT_CSV.replace('1500.00', '15OO.00');
    expect(billsFromLegacyReport(badAmount, false)).toMatchObject({
      ok: false,
      error: { kind: 'malformed', message: expect.stringContaining('Order Total') },
    });
  });

  it('accepts a header-only report (a quiet day) as no bills', () => {
    const header = LEGACY_REPORT_CSV.split('\r\n')[0] ?? '';
    expect(billsFromLegacyReport(`${header}\r\n`, true)).toEqual({ ok: true, bills: [] });
  });
});
