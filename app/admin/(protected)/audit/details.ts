import { AUDIT_ACTIONS, type AuditAction } from '@/lib/admin/audit';
import { type Dictionary, fill } from '@/lib/i18n';
import { formatRoubles } from '@/lib/shop/money-format';

type T = Dictionary['admin'];

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

function isAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

export function auditActionText(action: string, t: T): string {
  return isAuditAction(action) ? t.audit.actions[action] : action;
}

function kindText(kind: unknown, t: T): string {
  return kind === 'charge' || kind === 'cancel' ? t.audit.kinds[kind] : String(kind ?? '');
}

function stateText(state: unknown, t: T): string {
  const s = t.audit.states;
  return typeof state === 'string' && state in s ? s[state as keyof typeof s] : String(state ?? '');
}

/**
 * One line of details for a staff reader, from the entry's JSON. The log is append-only and older rows
 * may carry fields this version no longer writes, so every field is read defensively.
 */
export function auditDetailsText(entry: { action: string; details: Record<string, unknown> }, t: T): string {
  const d = entry.details;
  const a = t.audit;
  const parts: (string | null)[] = [];
  const action = entry.action;
  if (!isAuditAction(action)) return JSON.stringify(d).slice(0, 300);
  switch (action) {
    case 'staff.sign_in':
    case 'staff.sign_out':
      parts.push(str(d.ip) && fill(a.ip, { ip: str(d.ip) ?? '' }));
      break;
    case 'staff.sign_in_failed':
      parts.push(str(d.email), str(d.ip) && fill(a.ip, { ip: str(d.ip) ?? '' }));
      break;
    case 'staff.created':
    case 'staff.password_reset':
    case 'staff.disabled':
    case 'staff.enabled':
    case 'staff.role_changed':
      parts.push(str(d.email), str(d.role) && (t.roles[d.role as keyof T['roles']] ?? str(d.role)));
      break;
    case 'bill.action_requested': {
      const amount = int(d.amountKopecks);
      const reason = str(d.reason);
      parts.push(
        kindText(d.kind, t),
        amount === null
          ? a.whole
          : fill(a.amount, { amount: formatRoubles(amount, str(d.currency) ?? 'RUB') }),
        reason && (t.bill.reasons[reason as keyof T['bill']['reasons']] ?? reason),
        str(d.comment) && `«${str(d.comment)}»`,
      );
      break;
    }
    case 'bill.action_finished':
    case 'bill.action_settled':
      parts.push(`${kindText(d.kind, t)}: ${stateText(d.state, t)}`);
      break;
    case 'assist.sync_requested':
      parts.push(str(d.outcome) ?? str(d.refused));
      break;
    case 'fiscal.receipt_resent':
    case 'order.handed_over':
      parts.push(str(d.kind), str(d.state) ?? str(d.error));
      break;
    default: {
      const unhandled: never = action;
      return String(unhandled);
    }
  }
  return parts.filter((p): p is string => Boolean(p)).join(', ');
}
