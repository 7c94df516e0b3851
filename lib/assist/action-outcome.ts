import { isExtendedBillNumber } from './billnumber';
import { codeOutcome, responseCodeText } from './codes';
import type { ActionResult } from './gateway';
import type { GatewayBill, GatewayOperation, LocalizedText } from './types';

function operationText(code: string | null, rawOutcome: string): LocalizedText {
  if (code !== null) return responseCodeText(code);
  return { ru: `Операция не выполнена (${rawOutcome})`, en: `Operation not performed (${rawOutcome})` };
}

/**
 * What a charge or cancel reply says happened. firstcode 0 only means the request was processed: the
 * operation's own result (its state, else its responsecode, else the order's) decides whether money
 * moved (docs.belassist.by page 88768674: a declined charge answers firstcode 0 with AS100–AS998).
 * A reply that names no result at all is not understood: the operation may have happened.
 */
export function actionOutcome(
  bills: GatewayBill[],
  billNumber: string,
  kind: 'charge' | 'cancel',
): ActionResult {
  const bill = bills.find((b) => b.billNumber === billNumber);
  if (!bill) {
    const other = bills[0]?.billNumber;
    return {
      ok: false,
      outcome: 'unknown',
      error: {
        kind: 'malformed',
        message: other ? `reply is about bill ${other}, not ${billNumber}` : 'reply holds no order',
      },
    };
  }
  const ops = bill.operations.filter((o) => o.kind === kind);
  const op: GatewayOperation | undefined = ops[ops.length - 1];
  const code = op?.responseCode ?? bill.responseCode;
  const outcome =
    op !== undefined && op.rawOutcome !== '' ? op.outcome : code === null ? null : codeOutcome(code);
  switch (outcome) {
    case null:
      return {
        ok: false,
        outcome: 'unknown',
        error: { kind: 'malformed', message: `reply names no ${kind} operation and no responsecode` },
      };
    case 'success':
      // A flat reply without an extended billnumber gives the operation no identity of its own: keeping
      // a made-up one would count the operation twice once a re-read brings the real one.
      return {
        ok: true,
        bill: { ...bill, operations: bill.operations.filter((o) => isExtendedBillNumber(o.operationId)) },
      };
    case 'pending':
      return {
        ok: false,
        outcome: 'pending',
        error: {
          kind: 'in_process',
          responseCode: code ?? '',
          text: operationText(code, op?.rawOutcome ?? ''),
        },
      };
    case 'failed':
      return {
        ok: false,
        outcome: 'failed',
        error: {
          kind: 'declined',
          responseCode: code ?? '',
          text: operationText(code, op?.rawOutcome ?? ''),
        },
      };
  }
}
