import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '@/lib/db/schema';
import { markReachedGateway } from '@/lib/shop/cleanup';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { runSync } from './sync';

describe('sync re-checks prefer orders that reached the gateway', () => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    h = await startPaymentsHarness({ engine: 'pglite' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('with room for one re-check, the order whose customer came back from the gateway is the one read', async () => {
    const visited = await h.createOrder({ amountKopecks: 10_000 });
    await markReachedGateway(h.database.db, visited.id);
    // Scripted orders, newer (the old rule read newest first), nobody tried to pay.
    const scripted = [];
    for (let i = 0; i < 3; i++) scripted.push(await h.createOrder({ amountKopecks: 10_000 }));
    const result = await runSync(h.database.db, h.gateway, { ...h.syncSettings, recheckLimit: 1 });
    expect(result.ok && result.summary.outcome).toBe('ok');
    const rows = await h.database.db
      .select({ id: orders.id, checked: orders.paymentCheckedAt })
      .from(orders)
      .where(inArray(orders.id, [visited.id, ...scripted.map((o) => o.id)]));
    const checked = rows.filter((r) => r.checked !== null).map((r) => r.id);
    expect(checked).toEqual([visited.id]);
  });
});
