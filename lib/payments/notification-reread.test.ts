import { describe, expect, it } from 'vitest';
import type { AssistGateway, BillReadOptions, GatewayBill, NotificationResult } from '@/lib/assist';
import { useTestDatabase } from '@/lib/testing/hooks';
import { handleNotification, type NotificationLog } from './notifications';
import { REREAD_MARGIN_MS } from './reread-window';

const BILL: GatewayBill = {
  billNumber: '5960911000000777',
  orderNumber: 'N-777',
  status: 'paid',
  rawStatus: 'Approved',
  amountKopecks: 10_000,
  currency: 'RUB',
  testMode: true,
  packetDate: new Date('2026-10-09T12:00:00Z'),
  responseCode: 'AS000',
  message: null,
  maskedCard: null,
  operations: [],
  // The bill was opened a week before the notification: the gateway's 3-day default would miss it.
  raw: { orderdate: '02.10.2026 08:30:00' },
};

describe('a notification that must be re-read (unverified)', () => {
  const database = useTestDatabase();

  const gatewayAnswering = (answer: Awaited<ReturnType<AssistGateway['bills']>>, seen: BillReadOptions[]) =>
    ({
      parseNotification: (): NotificationResult => ({
        ok: true,
        notification: {
          bill: BILL,
          billNumber: BILL.billNumber,
          testMode: true,
          verification: 'unverified',
          packetDateRaw: '09.10.2026 12:00:00',
        },
      }),
      notificationReply: () => ({ contentType: 'text/xml', body: '<pushpaymentresult/>' }),
      bills: async (_q: unknown, options: BillReadOptions) => {
        seen.push(options);
        return answer;
      },
    }) as unknown as AssistGateway;

  it('re-reads with a window from the order date it names, and asks for a redelivery when the budget is spent', async () => {
    const seen: BillReadOptions[] = [];
    const logs: NotificationLog[] = [];
    const reply = await handleNotification(
      {
        getDb: async () => database.db,
        gateway: gatewayAnswering(
          { ok: false, error: { kind: 'rate_limited', retryAfterSeconds: 300 } },
          seen,
        ),
        testPaymentsCount: true,
        log: (l) => logs.push(l),
      },
      new URLSearchParams({ billnumber: BILL.billNumber }),
    );
    expect(reply.status).toBe(503);
    expect(logs).toMatchObject([{ outcome: 'retry_later', detail: expect.stringContaining('budget spent') }]);
    expect(seen[0]?.since.toISOString()).toBe(
      new Date(Date.parse('2026-10-02T08:30:00Z') - REREAD_MARGIN_MS).toISOString(),
    );
  });
});
