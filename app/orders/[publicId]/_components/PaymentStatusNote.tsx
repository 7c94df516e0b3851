import type { Dictionary } from '@/lib/i18n';

type StatusKey = keyof Dictionary['order']['paymentStatus'];

function statusKey(t: Dictionary, status: string): StatusKey {
  return status in t.order.paymentStatus ? (status as StatusKey) : 'unknown';
}

function tone(status: StatusKey): 'good' | 'bad' | 'wait' {
  switch (status) {
    case 'paid':
    case 'held':
    case 'partially_charged':
      return 'good';
    case 'declined':
    case 'expired':
      return 'bad';
    case 'unpaid':
    case 'in_process':
    case 'refunded':
    case 'partially_refunded':
    case 'unknown':
      return 'wait';
  }
}

/** The order's payment status in a word and in a sentence that tells the customer what it means for them. */
export function PaymentStatusNote({ t, status }: { t: Dictionary; status: string }) {
  const key = statusKey(t, status);
  return (
    <div className="status-note">
      <p>
        {t.order.status}:{' '}
        <span className={`status-pill ${tone(key)}`} data-testid="payment-status">
          {t.order.paymentStatus[key]}
        </span>
      </p>
      <p className="status-explain" data-testid="payment-status-explain">
        {t.order.statusExplain[key]}
      </p>
    </div>
  );
}
