import { responseCodeText } from '@/lib/assist';
import type { Dictionary, Locale } from '@/lib/i18n';
import { formatRoubles } from '@/lib/shop/money-format';
import { formatShopDateTime } from '@/lib/shop/time-zone';

type T = Dictionary['admin'];

/** A history row's field in words; a field the dictionary does not know stays as stored (loud, not hidden). */
export function historyFieldText(field: string, t: T): string {
  const fields = t.bill.historyFields;
  return field in fields ? fields[field as keyof typeof fields] : field;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function dateText(value: string, locale: Locale): string {
  return formatShopDateTime(new Date(value), locale, { dateStyle: 'short', timeStyle: 'medium' });
}

function word<K extends string>(words: Record<K, string>, key: unknown): string | null {
  return typeof key === 'string' && key in words ? words[key as K] : null;
}

type OperationValue = {
  operationId: string;
  kind?: string;
  outcome?: string;
  amountKopecks?: number | null;
  currency?: string | null;
  at?: string | null;
};

/**
 * A history value (jsonb as stored) in words of the reader's language and the shop's time zone:
 * statuses and operations from the dictionary, dates and money formatted, response codes explained.
 */
export function historyValueText(field: string, value: unknown, t: T, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '—';
  const b = t.bill;
  switch (field) {
    case 'created':
    case 'status':
      return word(t.statuses, value) ?? String(value);
    case 'testMode':
      return value === true ? b.yes : value === false ? b.no : String(value);
    case 'amountKopecks':
      return typeof value === 'number' ? formatRoubles(value) : String(value);
    case 'responseCode':
      return typeof value === 'string' ? `${value} — ${responseCodeText(value)[locale]}` : String(value);
    case 'operation': {
      if (typeof value !== 'object' || !('operationId' in value)) return JSON.stringify(value);
      const op = value as OperationValue;
      return [
        word(b.opKinds, op.kind) ?? op.kind,
        word(b.opOutcomes, op.outcome) ?? op.outcome,
        typeof op.amountKopecks === 'number' ? formatRoubles(op.amountKopecks, op.currency ?? 'RUB') : null,
        typeof op.at === 'string' && ISO_DATE.test(op.at) ? dateText(op.at, locale) : null,
        op.operationId,
      ]
        .filter(Boolean)
        .join(' · ');
    }
  }
  if (typeof value === 'string') return ISO_DATE.test(value) ? dateText(value, locale) : value;
  if (typeof value === 'boolean') return value ? b.yes : b.no;
  return JSON.stringify(value);
}
