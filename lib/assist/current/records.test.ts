import { describe, expect, it } from 'vitest';
import { mergeBill } from '../merge';
import type { GatewayBill } from '../types';
import { createBillCollector, createDateSharer, toBill, toBills } from './records';

const bill = {
  ordernumber: 'A-1',
  billnumber: '5960911000000001',
  orderstate: 'Approved',
  orderamount: '0.30',
  ordercurrency: 'rub',
  packetdate: '01.10.2016 09:00',
  testmode: '1',
};

describe('toBill', () => {
  it('maps fields to the domain record, keeping raw fields', () => {
    const r = toBill({ ...bill, extra: 'x' }, []);
    expect(r).toMatchObject({
      ok: true,
      value: {
        billNumber: '5960911000000001',
        orderNumber: 'A-1',
        status: 'paid',
        rawStatus: 'Approved',
        amountKopecks: 30,
        currency: 'RUB',
        testMode: true,
        packetDate: new Date('2016-10-01T09:00:00Z'),
        operations: [],
        raw: { extra: 'x' },
      },
    });
  });

  it('turns a flat report row into one operation', () => {
    const row = {
      ...bill,
      billnumber: '5960911000000001.3',
      operationtype: '300',
      amount: '0.10',
      operationstate: 'Success',
    };
    const r = toBill(row, []);
    expect(r.ok && r.value.billNumber).toBe('5960911000000001');
    expect(r.ok && r.value.operations).toMatchObject([
      { operationId: '5960911000000001.3', kind: 'cancel', outcome: 'success', amountKopecks: 10 },
    ]);
  });

  it('falls back to the response code when no operation state is given', () => {
    const r = toBill(bill, [
      { billnumber: '5960911000000001.1', operationtype: '100', responsecode: 'AS102' },
    ]);
    expect(r.ok && r.value.operations[0]?.outcome).toBe('failed');
  });

  it.each([
    [{ billnumber: 'abc' }, /billnumber/],
    [{ ordernumber: '' }, /ordernumber/],
    [{ orderamount: '1.234' }, /orderamount/],
    [{ packetdate: 'yesterday' }, /packetdate/],
    [{ testmode: 'maybe' }, /testmode/],
    [{ ordercurrency: 'RUBLES' }, /ordercurrency/],
  ])('returns a typed error for %j', (patch, message) => {
    const r = toBill({ ...bill, ...patch }, []);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('reports which operation is malformed', () => {
    const r = toBill(bill, [{ operationtype: '100' }, { operationtype: '' }]);
    expect(r).toEqual({ ok: false, error: 'operation 2: operationtype: operationtype is empty' });
  });
});

describe('toBills', () => {
  it('folds rows of one bill together', () => {
    const rows = [
      {
        fields: {
          ...bill,
          orderstate: 'Approved',
          billnumber: '7.1',
          operationtype: '100',
          operationstate: 'Success',
        },
        operations: [],
      },
      {
        fields: {
          ...bill,
          orderstate: 'Canceled',
          billnumber: '7.2',
          operationtype: '300',
          operationstate: 'Success',
          packetdate: '02.10.2016 09:00',
        },
        operations: [],
      },
    ];
    const r = toBills(rows);
    expect(r.ok && r.value).toHaveLength(1);
    expect(r.ok && r.value[0]?.status).toBe('refunded');
    expect(r.ok && r.value[0]?.operations.map((o) => o.operationId)).toEqual(['7.1', '7.2']);
  });
});

describe('toBills with interleaved rows', () => {
  it('gives each bill what merging its rows one by one gives, whatever rows come between them', () => {
    const row = (bill: number, op: number, type: string, packetdate: string, ops = 0) => ({
      fields: {
        ...bill_(bill),
        billnumber: `${bill}.${op}`,
        operationtype: type,
        operationstate: 'Success',
        amount: `${op}.00`,
        packetdate,
      },
      // A record with nested operations among the flat rows: the bill's operations array is not reused.
      operations: Array.from({ length: ops }, (_, i) => ({
        billnumber: `${bill}.${10 + i}`,
        operationtype: '300',
        operationstate: 'Success',
      })),
    });
    const bill_ = (n: number) => ({ ...bill, ordernumber: `A-${n}`, billnumber: `${n}` });
    const rows = [
      row(7, 1, '100', '01.10.2016 09:00'),
      row(7, 2, '300', '01.10.2016 09:00'),
      row(8, 1, '100', '01.10.2016 09:00'),
      row(7, 3, '300', '02.10.2016 09:00', 2),
      row(8, 2, '200', '01.10.2016 08:00'),
      row(9, 1, '100', '01.10.2016 09:00'),
      row(8, 3, '300', '03.10.2016 09:00'),
    ];
    const expected = new Map<string, GatewayBill>();
    for (const r of rows) {
      const one = toBill(structuredClone(r.fields), structuredClone(r.operations));
      if (!one.ok) throw new Error(one.error);
      const prev = expected.get(one.value.billNumber);
      expected.set(one.value.billNumber, prev ? mergeBill(prev, one.value).bill : one.value);
    }
    const r = toBills(rows);
    expect(r.ok && r.value).toEqual([...expected.values()]);
  });
});

describe('createBillCollector', () => {
  it('gives back the fields of a row folded into a known bill, once, and never those a bill keeps', () => {
    const collector = createBillCollector();
    const row = (billnumber: string) => ({ ...bill, billnumber, operationtype: '100', operationstate: 'S' });
    const first = row('7.1');
    collector.add(first, []);
    expect(collector.spareFields()).toBeNull();
    const second = row('7.2');
    collector.add(second, []);
    expect(collector.spareFields()).toBe(second);
    expect(collector.spareFields()).toBeNull();
    collector.add(row('8.1'), []);
    expect(collector.spareFields()).toBeNull();
    expect(collector.bills().map((b) => b.raw)).toEqual([first, row('8.1')]);
    expect(collector.bills()[0]?.raw).toBe(first);
  });
});

describe('toBills bill numbers', () => {
  it('tells a bill from another whose number starts with it', () => {
    const rows = ['1.1', '12.1', '12.2', '1.2', '123.1', '1.3'].map((billnumber) => ({
      fields: { ...bill, billnumber, operationtype: '100', operationstate: 'Success' },
      operations: [],
    }));
    const r = toBills(rows);
    expect(r.ok && r.value.map((b) => [b.billNumber, b.operations.map((o) => o.operationId)])).toEqual([
      ['1', ['1.1', '1.2', '1.3']],
      ['12', ['12.1', '12.2']],
      ['123', ['123.1']],
    ]);
  });
});

describe('createDateSharer', () => {
  it('reads each text as parseAssistDate does, sharing one Date for a text read again', () => {
    const parse = createDateSharer(2);
    const first = parse('01.10.2016 09:00');
    expect(first).toEqual(new Date('2016-10-01T09:00:00Z'));
    expect(parse('01.10.2016 09:00')).toBe(first);
    expect(parse('02.10.2016 09:00:01')).toEqual(new Date('2016-10-02T09:00:01Z'));
    expect(parse('31.02.2016 09:00')).toBeNull();
    expect(parse('03.10.2016 09:00')).toEqual(new Date('2016-10-03T09:00:00Z'));
    // Pushed out by two newer texts: read again, to the same time.
    expect(parse('01.10.2016 09:00')).toEqual(first);
  });

  it('gives the bills of a report the dates each row names', () => {
    const rows = ['01.10.2016 09:00', '01.10.2016 09:00', '02.10.2016 10:30'].map((packetdate, i) => ({
      fields: {
        ...bill,
        billnumber: `${i + 1}.1`,
        operationtype: '100',
        operationdate: packetdate,
        packetdate,
      },
      operations: [],
    }));
    const r = toBills(rows);
    expect(
      r.ok && r.value.map((b) => [b.packetDate?.toISOString(), b.operations[0]?.at?.toISOString()]),
    ).toEqual([
      ['2016-10-01T09:00:00.000Z', '2016-10-01T09:00:00.000Z'],
      ['2016-10-01T09:00:00.000Z', '2016-10-01T09:00:00.000Z'],
      ['2016-10-02T10:30:00.000Z', '2016-10-02T10:30:00.000Z'],
    ]);
  });
});
