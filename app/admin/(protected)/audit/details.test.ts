import { describe, expect, it } from 'vitest';
import { getDictionary } from '@/lib/i18n';
import { auditActionText, auditDetailsText } from './details';

const t = getDictionary('ru').admin;
const en = getDictionary('en').admin;

describe('audit entries shown to staff', () => {
  it('a partial refund request: kind, amount in roubles, reason and comment', () => {
    const text = auditDetailsText(
      {
        action: 'bill.action_requested',
        details: {
          kind: 'cancel',
          amountKopecks: 500_000,
          currency: 'RUB',
          reason: 'customer',
          comment: 'Часть',
        },
      },
      t,
    );
    expect(text.replace(/\s/g, ' ')).toBe('отмена/возврат, сумма 5 000,00 ₽, По просьбе покупателя, «Часть»');
  });

  it('a full charge has no amount of its own; a finished action shows its outcome', () => {
    expect(
      auditDetailsText(
        { action: 'bill.action_requested', details: { kind: 'charge', amountKopecks: null } },
        t,
      ),
    ).toBe('списание, вся сумма');
    expect(
      auditDetailsText(
        { action: 'bill.action_finished', details: { kind: 'charge', state: 'succeeded' } },
        en,
      ),
    ).toBe('charge: succeeded');
  });

  it('sign-ins show the address; failed ones the typed email too', () => {
    expect(auditDetailsText({ action: 'staff.sign_in', details: { ip: '198.51.100.7' } }, t)).toBe(
      'IP 198.51.100.7',
    );
    expect(
      auditDetailsText({ action: 'staff.sign_in_failed', details: { email: 'x@y.ru', ip: '::1' } }, t),
    ).toBe('x@y.ru, IP ::1');
  });

  it('reads old or odd rows defensively: wrong types are left out, unknown actions shown raw', () => {
    expect(auditDetailsText({ action: 'bill.action_requested', details: { amountKopecks: '5' } }, t)).toBe(
      'вся сумма',
    );
    expect(auditDetailsText({ action: 'shop.renamed', details: { to: 'Лавка' } }, t)).toBe('{"to":"Лавка"}');
    expect(auditActionText('shop.renamed', t)).toBe('shop.renamed');
    expect(auditActionText('assist.sync_requested', en)).toBe('Sync requested');
  });
});
