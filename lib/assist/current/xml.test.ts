import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BILLION_LAUGHS_XML,
  CHARGE_XML,
  EMPTY_XML,
  ORDERRESULT_XML,
  ORDERSTATE_XML,
  XXE_XML,
} from './fixtures';
import { parseXmlReply } from './xml';

describe('parseXmlReply', () => {
  it('reads bare <order> elements behind an inline DTD, trimming padded values', () => {
    const r = parseXmlReply(ORDERSTATE_XML);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.firstCode).toBe(0);
    expect(r.orders).toHaveLength(2);
    expect(r.orders[0]?.fields.orderamount).toBe('1500.00');
    expect(r.orders[0]?.fields.packetdate).toBe('27.09.2016 23:24');
    expect(r.orders[1]?.fields.newfield).toBe('kept raw');
  });

  it('reads nested operations and <orders><order> wrappers', () => {
    const a = parseXmlReply(ORDERRESULT_XML);
    expect(a.ok && a.orders[0]?.operations.map((o) => o.billnumber)).toEqual([
      '5960911012345801.1',
      '5960911012345801.2',
    ]);
    expect(a.ok && a.orders[0]?.operations[1]?.message).toBe('');
    const b = parseXmlReply(CHARGE_XML);
    expect(b.ok && b.orders[0]?.fields.orderstate).toBe('PartialDelayed');
  });

  it('reads an empty report and decodes predefined entities', () => {
    expect(parseXmlReply(EMPTY_XML)).toEqual({ ok: true, firstCode: 0, secondCode: 0, orders: [] });
    const r = parseXmlReply(
      `<result firstcode="0" secondcode="0"><order><message>a &amp; b &#1046;&#x416; &amp;#1046; &lt;&gt;&quot;&apos;</message></order></result>`,
    );
    expect(r.ok && r.orders[0]?.fields.message).toBe('a & b ЖЖ &#1046; <>"\'');
  });

  it('never resolves an external entity', () => {
    const r = parseXmlReply(XXE_XML);
    expect(r).toEqual({ ok: false, error: 'reference to an undeclared entity' });
  });

  it('never expands entity definitions (billion laughs)', () => {
    const started = Date.now();
    expect(parseXmlReply(BILLION_LAUGHS_XML)).toEqual({
      ok: false,
      error: 'reference to an undeclared entity',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses an entity declaration smuggled outside a DOCTYPE', () => {
    expect(parseXmlReply('<!ENTITY x "y"><result firstcode="0" secondcode="0"/>').ok).toBe(false);
  });

  it.each([
    ['', /not well-formed|no <result>/],
    ['<html><body>502 Bad Gateway</body></html>', /no <result>/],
    ['<result firstcode="0" secondcode="0"><order>', /not well-formed/],
    ['{"result": "json"}', /not well-formed|no <result>/],
    ['<result><order><billnumber>1</billnumber></order></result>', /firstcode/],
    ['<result firstcode="x" secondcode="0"/>', /firstcode/],
  ])('returns a typed error for %j', (body, message) => {
    const r = parseXmlReply(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = parseXmlReply(s);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parseXmlReply(
          `<result firstcode="0" secondcode="0"><order><message>${s}</message></order></result>`,
        );
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});
