import { formatAmount } from '../../assist/money';
import type { BillRow, OperationRow } from '../bills';
import { RESPONSE_MESSAGES } from '../cards';
import type { SandboxConfig } from '../config';
import { formatGmt } from '../dates';
import type { NotificationBody } from '../notify';
import { orderCheckvalue } from './reply';

/** The notification of docs/assist-protocol.md §4 for a finished payment attempt: lowercase names, UTF-8. */
export function currentNotification(
  config: SandboxConfig,
  bill: BillRow,
  operation: OperationRow,
  packetDate: Date,
): NotificationBody {
  const amount = formatAmount(operation.amount);
  const c = bill.customer;
  const fields: Record<string, string> = {
    merchant_id: bill.merchantId,
    ordernumber: bill.orderNumber,
    billnumber: bill.billnumber,
    testmode: '1',
    orderamount: formatAmount(bill.orderAmount),
    ordercurrency: bill.currency,
    amount,
    currency: operation.currency,
    orderstate: bill.state,
    responsecode: operation.responseCode ?? '',
    message: operation.message ?? '',
    customermessage: RESPONSE_MESSAGES[operation.responseCode ?? '']?.customer ?? '',
    recommendation: '',
    approvalcode: operation.approvalCode ?? '',
    meantypename: bill.meanTypeName ?? '',
    meannumber: operation.meanNumber ?? '',
    cardholder: bill.cardholder ?? '',
    firstname: c.firstname ?? '',
    lastname: c.lastname ?? '',
    email: c.email ?? '',
    orderdate: formatGmt(bill.createdAt),
    operationtype: String(operation.type),
    operationdate: formatGmt(operation.finishedAt ?? packetDate),
    packetdate: formatGmt(packetDate),
    checkvalue: orderCheckvalue(config.secret, {
      merchantId: bill.merchantId,
      orderNumber: bill.orderNumber,
      amount,
      currency: operation.currency,
      orderState: bill.state,
    }),
    // ASSIST signs with its PGP key as well; the sandbox has no such key, so the field is sent empty.
    signature: '',
  };
  return { body: new URLSearchParams(fields).toString(), charset: 'utf-8' };
}
