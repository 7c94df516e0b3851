import { describe, expect, it } from 'vitest';
import { checkCount, readResult, recordOf, type XmlElement } from './report-shape';

const leaf = (name: string, text: string): XmlElement => ({ name, attributes: {}, text, children: [] });
const el = (name: string, children: XmlElement[], attributes: Record<string, string> = {}): XmlElement => ({
  name,
  attributes,
  text: '',
  children,
});
const result = (children: XmlElement[], attributes: Record<string, string> = {}) =>
  el('result', children, { firstcode: '0', secondcode: '0', ...attributes });

describe('report shapes (tokenizer-neutral rules)', () => {
  it('an <order> row with nested operations', () => {
    const order = el('order', [
      leaf('billnumber', '5960911012345678'),
      leaf('OrderState', 'Approved'),
      el('operation', [leaf('billnumber', '5960911012345678.1'), leaf('operationtype', '100')]),
      el('operation', [leaf('billnumber', '5960911012345678.2'), leaf('operationtype', '200')]),
    ]);
    expect(recordOf(order)).toEqual({
      ok: true,
      value: {
        fields: { billnumber: '5960911012345678', orderstate: 'Approved' },
        operations: [
          { billnumber: '5960911012345678.1', operationtype: '100' },
          { billnumber: '5960911012345678.2', operationtype: '200' },
        ],
      },
    });
  });

  it('flat <payment> rows, <orders><order> and bare <order> all become rows', () => {
    const r = readResult(
      result(
        [
          el('payment', [leaf('billnumber', '1.1'), leaf('operationtype', '100')]),
          el('orders', [el('order', [leaf('billnumber', '2')]), el('order', [leaf('billnumber', '3')])]),
          el('order', [leaf('billnumber', '4')]),
        ],
        { count: '4' },
      ),
    );
    expect(r.ok && r.value.records.map((x) => x.fields.billnumber)).toEqual(['1.1', '2', '3', '4']);
  });

  it('merges a nested <customer> section into its row', () => {
    const r = recordOf(el('payment', [leaf('billnumber', '1'), el('customer', [leaf('email', 'a@b.ru')])]));
    expect(r.ok && r.value.fields).toEqual({ billnumber: '1', email: 'a@b.ru' });
  });

  it('names an unknown element instead of reading it as nothing', () => {
    expect(readResult(result([el('transaction', [leaf('billnumber', '1')])]))).toEqual({
      ok: false,
      error: 'unknown element <result><transaction>',
    });
    expect(readResult(result([el('orders', [el('payment', [])])]))).toEqual({
      ok: false,
      error: 'unknown element <result><orders><payment>',
    });
    expect(recordOf(el('order', [el('cheque', [leaf('x', '1')])]))).toEqual({
      ok: false,
      error: 'unknown element <order><cheque>',
    });
    expect(recordOf(el('order', [el('operation', [el('deep', [leaf('x', '1')])])]))).toEqual({
      ok: false,
      error: 'unknown element <order><operation><deep>',
    });
    expect(recordOf(el('payment', [leaf('billnumber', '1'), leaf('BillNumber', '2')]))).toEqual({
      ok: false,
      error: 'element <payment><billnumber> appears twice',
    });
    expect(readResult(result([el('order', []), leaf('total', '5')]))).toEqual({
      ok: false,
      error: 'unknown element <result><total>',
    });
  });

  it('a count that differs from the rows read is an error; an error reply is not counted', () => {
    expect(checkCount(undefined, 3)).toBeNull();
    expect(checkCount('3', 3)).toBeNull();
    expect(checkCount('4', 3)).toBe('<result count="4"> but 3 rows were read');
    expect(checkCount('x', 0)).toBe('<result count="x"> is not a number');
    expect(readResult(result([el('order', [])], { count: '2' }))).toEqual({
      ok: false,
      error: '<result count="2"> but 1 rows were read',
    });
    expect(readResult(el('result', [], { firstcode: '10', secondcode: '201', count: '7' })).ok).toBe(true);
  });

  it('needs <result> with both codes', () => {
    expect(readResult(el('answer', []))).toMatchObject({ ok: false });
    expect(readResult(el('result', [], { firstcode: '0' }))).toEqual({
      ok: false,
      error: 'missing firstcode/secondcode',
    });
  });
});
