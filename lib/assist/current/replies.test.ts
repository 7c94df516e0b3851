import { describe, expect, it } from 'vitest';
import {
  BILLION_LAUGHS_XML,
  CHARGE_XML,
  EMPTY_XML,
  ERROR_XML,
  FREQUENCY_XML,
  ORDERRESULT_XML,
  ORDERSTATE_XML,
  REPORT_CSV,
  XXE_XML,
} from './fixtures';
import { billsFromCsv, billsFromXml } from './replies';

describe('billsFromXml', () => {
  it('maps an orderstate reply (DTD, padding, no-seconds packetdate, unknown fields)', () => {
    const r = billsFromXml(ORDERSTATE_XML);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(
      r.bills.map((b) => [b.billNumber, b.status, b.amountKopecks, b.packetDate?.toISOString()]),
    ).toEqual([
      ['5960911012345678', 'paid', 150000, '2016-09-27T23:24:00.000Z'],
      ['5960911012345700', 'expired', 150000, '2016-09-27T23:40:05.000Z'],
    ]);
    expect(r.bills[1]?.raw.newfield).toBe('kept raw');
  });

  it('maps an orderresult reply with operations', () => {
    const r = billsFromXml(ORDERRESULT_XML);
    expect(r.ok && r.bills[0]).toMatchObject({
      status: 'partially_refunded',
      testMode: false,
      operations: [
        {
          operationId: '5960911012345801.1',
          kind: 'payment',
          outcome: 'success',
          amountKopecks: 10000,
          maskedCard: '411111******1111',
          approvalCode: 'A1B2C3',
          message: 'Успешно',
        },
        {
          operationId: '5960911012345801.2',
          kind: 'cancel',
          amountKopecks: 3000,
          at: new Date('2016-10-02T09:59:00Z'),
          message: null,
        },
      ],
    });
  });

  it('maps a charge reply wrapped in <orders>', () => {
    const r = billsFromXml(CHARGE_XML);
    expect(r.ok && r.bills[0]?.status).toBe('partially_charged');
    expect(r.ok && r.bills[0]?.operations[0]?.kind).toBe('charge');
  });

  it('an empty report is an empty list', () => {
    expect(billsFromXml(EMPTY_XML)).toEqual({ ok: true, bills: [] });
  });

  it('turns firstcode/secondcode into a typed error with ru and en text', () => {
    expect(billsFromXml(ERROR_XML)).toEqual({
      ok: false,
      error: {
        kind: 'gateway',
        firstCode: 5,
        secondCode: 108,
        text: { ru: 'Неверное значение параметра: AMOUNT', en: 'Bad parameter value: AMOUNT' },
      },
    });
    expect(billsFromXml(FREQUENCY_XML)).toMatchObject({ ok: false, error: { secondCode: 3 } });
  });

  it('malformed and unsafe replies are typed errors', () => {
    for (const body of [
      XXE_XML,
      BILLION_LAUGHS_XML,
      'garbage',
      '<result firstcode="0" secondcode="0"><order><billnumber>x</billnumber></order></result>',
    ]) {
      expect(billsFromXml(body)).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    }
  });
});

describe('billsFromCsv', () => {
  it('groups flat operation rows into bills, Cyrillic intact', () => {
    const r = billsFromCsv(REPORT_CSV);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.bills.map((b) => [b.billNumber, b.status, b.operations.length])).toEqual([
      ['5960911000000001', 'partially_refunded', 2],
      ['5960911000000002', 'declined', 1],
    ]);
    expect(r.bills[0]?.operations[1]).toMatchObject({
      kind: 'cancel',
      amountKopecks: 50000,
      message: 'Возврат; частичный',
    });
    expect(r.bills[1]?.raw.BankName).toBe('ВТБ "24"');
  });

  it('error rows and malformed bodies are typed errors', () => {
    expect(billsFromCsv('error;7;101;')).toMatchObject({
      ok: false,
      error: { kind: 'gateway', firstCode: 7, secondCode: 101 },
    });
    expect(billsFromCsv('')).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    expect(billsFromCsv('BillNumber;OrderNumber;OrderState;OrderAmount\n1;A;Approved;1,2,3')).toMatchObject({
      ok: false,
      error: { kind: 'malformed', message: expect.stringMatching(/record 1: orderamount/) },
    });
  });
});
