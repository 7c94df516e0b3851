/**
 * The sandbox's bill lifecycle as a pure function: (bill money state, event) → new state plus the
 * operation to record, or a typed refusal carrying the documented firstcode/secondcode (docs/assist-protocol.md §6).
 * No I/O and no clock: the store applies the result inside one transaction.
 */

export type OrderState =
  | 'In Process'
  | 'Delayed'
  | 'Approved'
  | 'PartialApproved'
  | 'PartialDelayed'
  | 'Canceled'
  | 'PartialCanceled'
  | 'Declined'
  | 'Timeout';

export const OPERATION_TYPE = { payment: 100, charge: 200, cancel: 300 } as const;

export interface BillMoney {
  state: OrderState;
  orderAmount: number;
  currency: string;
  /** Authorised and not yet charged. */
  held: number;
  /** Charged and not yet refunded. */
  captured: number;
  /** Whether a charge already succeeded on this bill (a bill is charged at most once). */
  charged: boolean;
}

export type BillEvent =
  | { type: 'approve'; delay: boolean }
  | { type: 'decline' }
  | { type: 'timeout' }
  /** `amount` omitted = the whole held amount. */
  | { type: 'charge'; amount?: number; currency?: string }
  /** `amount` omitted = everything that remains. */
  | { type: 'cancel'; amount?: number; currency?: string };

export interface Refusal {
  firstcode: number;
  secondcode: number;
  message: string;
}

export type Transition =
  | { ok: true; bill: BillMoney; operation: { type: number; amount: number } }
  | { ok: false; error: Refusal };

// Codes (docs/assist-protocol.md §6): 15 forbidden operation, 11 duplicate, 5 bad value; 108 AMOUNT, 105 CURRENCY.
const FORBIDDEN = 15;
const DUPLICATE = 11;
const BAD_VALUE = 5;
const AMOUNT = 108;
const CURRENCY = 105;

const refuse = (firstcode: number, secondcode: number, message: string): Transition => ({
  ok: false,
  error: { firstcode, secondcode, message },
});

/** States in which money can still be returned to the customer. */
const CANCELLABLE: ReadonlySet<OrderState> = new Set([
  'Delayed',
  'Approved',
  'PartialApproved',
  'PartialDelayed',
  'PartialCanceled',
]);

export function transition(bill: BillMoney, event: BillEvent): Transition {
  switch (event.type) {
    case 'approve':
    case 'decline':
    case 'timeout':
      return finishAttempt(bill, event);
    case 'charge':
      return charge(bill, event);
    case 'cancel':
      return cancel(bill, event);
  }
}

function finishAttempt(bill: BillMoney, event: BillEvent & { type: 'approve' | 'decline' | 'timeout' }) {
  if (bill.state !== 'In Process') {
    return refuse(FORBIDDEN, 0, `the payment attempt is over: bill is ${bill.state}`);
  }
  const amount = bill.orderAmount;
  if (event.type === 'approve') {
    const next: BillMoney = event.delay
      ? { ...bill, state: 'Delayed', held: amount }
      : { ...bill, state: 'Approved', captured: amount };
    return { ok: true, bill: next, operation: { type: OPERATION_TYPE.payment, amount } } as const;
  }
  const state: OrderState = event.type === 'decline' ? 'Declined' : 'Timeout';
  return { ok: true, bill: { ...bill, state }, operation: { type: OPERATION_TYPE.payment, amount } } as const;
}

function charge(bill: BillMoney, event: { amount?: number; currency?: string }): Transition {
  if (bill.charged) return refuse(DUPLICATE, 0, 'the bill has already been charged');
  if (bill.state !== 'Delayed')
    return refuse(FORBIDDEN, 0, `only a Delayed bill can be charged, bill is ${bill.state}`);
  if (event.currency !== undefined && event.currency !== bill.currency) {
    return refuse(BAD_VALUE, CURRENCY, `currency must be ${bill.currency}`);
  }
  const amount = event.amount ?? bill.held;
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return refuse(BAD_VALUE, AMOUNT, 'amount must be positive');
  if (amount > bill.held) return refuse(BAD_VALUE, AMOUNT, 'amount exceeds the held funds');
  // The rest of a partial hold is released: ASSIST charges a bill at most once.
  const state: OrderState = amount === bill.orderAmount ? 'Approved' : 'PartialDelayed';
  return {
    ok: true,
    bill: { ...bill, state, held: 0, captured: amount, charged: true },
    operation: { type: OPERATION_TYPE.charge, amount },
  };
}

function cancel(bill: BillMoney, event: { amount?: number; currency?: string }): Transition {
  if (!CANCELLABLE.has(bill.state)) return refuse(FORBIDDEN, 0, `a ${bill.state} bill cannot be canceled`);
  if (event.currency !== undefined && event.currency !== bill.currency) {
    return refuse(BAD_VALUE, CURRENCY, `currency must be ${bill.currency}`);
  }
  // Held funds are voided, charged funds refunded; a bill never has both at once.
  const remaining = bill.held > 0 ? bill.held : bill.captured;
  if (remaining <= 0) return refuse(FORBIDDEN, 0, 'nothing remains to cancel');
  const amount = event.amount ?? remaining;
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return refuse(BAD_VALUE, AMOUNT, 'amount must be positive');
  if (amount > remaining) return refuse(BAD_VALUE, AMOUNT, 'amount exceeds what remains on the bill');
  const next: BillMoney =
    bill.held > 0 ? { ...bill, held: bill.held - amount } : { ...bill, captured: bill.captured - amount };
  next.state = next.held + next.captured === 0 ? 'Canceled' : 'PartialCanceled';
  return { ok: true, bill: next, operation: { type: OPERATION_TYPE.cancel, amount } };
}
