import { describe, expect, it } from 'vitest';
import { testOperation } from '@/lib/testing/gateway-records';
import { operationToRow } from './bill-rows';

describe('operationToRow', () => {
  it('carries every field of the operation, and its bill', () => {
    const op = testOperation('5960911000000001.2', {
      kind: 'cancel',
      rawKind: '300',
      amountKopecks: 150,
      at: new Date('2026-03-01T10:00:00Z'),
      message: 'Возврат',
      approvalCode: '123456',
    });
    expect(operationToRow('5960911000000001', op)).toStrictEqual({ ...op, billNumber: '5960911000000001' });
  });
});
