import type { GatewayBill, GatewayOperation } from '@/lib/assist';

/** A successful card payment of 1,500.00 RUB as the gateway reports it; `extra` changes any field. */
export function testOperation(operationId: string, extra: Partial<GatewayOperation> = {}): GatewayOperation {
  return {
    operationId,
    kind: 'payment',
    rawKind: '100',
    outcome: 'success',
    rawOutcome: 'Success',
    amountKopecks: 150_000,
    currency: 'RUB',
    at: new Date('2026-03-01T10:00:00Z'),
    responseCode: 'AS000',
    message: null,
    maskedCard: null,
    approvalCode: null,
    ...extra,
  };
}

/** A paid bill of 1,500.00 RUB for order A-1 with its one payment operation; `extra` changes any field. */
export function testBill(billNumber: string, extra: Partial<GatewayBill> = {}): GatewayBill {
  return {
    billNumber,
    orderNumber: 'A-1',
    status: 'paid',
    rawStatus: 'Approved',
    amountKopecks: 150_000,
    currency: 'RUB',
    testMode: false,
    packetDate: new Date('2026-03-01T10:05:00Z'),
    responseCode: 'AS000',
    message: null,
    maskedCard: null,
    operations: [testOperation(`${billNumber}.1`)],
    raw: { orderstate: 'Approved' },
    ...extra,
  };
}
