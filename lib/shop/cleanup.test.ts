import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assistBills, carts, orders, throttles } from '@/lib/db/schema';
import { claimRate } from '@/lib/ops/throttle';
import { useTestDatabase } from '@/lib/testing/hooks';
import { cleanUpAbandoned, markReachedGateway } from './cleanup';
import { claimOrderPlacement } from './orders';

describe('clean-up of abandoned carts and expired unpaid orders', () => {
  const database = useTestDatabase();
  const db = () => database.db;
  const day = 86_400_000;

  async function order(n: string, expiredDaysAgo: number) {
    const [o] = await db()
      .insert(orders)
      .values({
        publicId: `pub-${n}`.padEnd(22, 'x'),
        orderNumber: n,
        subtotalKopecks: 100,
        totalKopecks: 100,
        lastName: 'Т',
        firstName: 'Т',
        email: 't@example.ru',
        expiresAt: new Date(Date.now() - expiredDaysAgo * day),
      })
      .returning();
    if (!o) throw new Error('insert failed');
    return o;
  }

  it('removes old carts and long-expired unpaid orders nobody took to the gateway, and nothing else', async () => {
    await db()
      .insert(carts)
      .values([
        { id: 'old-cart', updatedAt: new Date(Date.now() - 40 * day) },
        { id: 'live-cart', updatedAt: new Date(Date.now() - 2 * day) },
      ]);
    const stale = await order('5001', 10);
    const recent = await order('5002', 1);
    const visited = await order('5003', 10);
    await markReachedGateway(db(), visited.id);
    const billed = await order('5004', 10);
    await db().insert(assistBills).values({
      billNumber: '9000000000000001',
      orderNumber: billed.orderNumber,
      orderId: billed.id,
      rawStatus: 'Timeout',
      status: 'expired',
    });
    const paid = await order('5005', 10);
    await db().update(orders).set({ paymentStatus: 'paid' }).where(eq(orders.id, paid.id));
    await claimRate(db(), 'old-key', 10, new Date(Date.now() - 3 * day));

    const summary = await cleanUpAbandoned(db());
    expect(summary).toEqual({ carts: 1, orders: 1, throttles: 1 });
    const left = (await db().select({ n: orders.orderNumber }).from(orders)).map((r) => r.n).sort();
    expect(left).toEqual(['5002', '5003', '5004', '5005']);
    expect(left).not.toContain(stale.orderNumber);
    expect(recent.orderNumber).toBe('5002');
    expect((await db().select().from(carts)).map((c) => c.id)).toEqual(['live-cart']);
    expect(await db().select().from(throttles).where(sql`${throttles.key} = 'old-key'`)).toEqual([]);
  });

  it('limits order placements per client per hour', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await claimOrderPlacement(db(), '203.0.113.5', 3));
    expect(results).toEqual([true, true, true, false, false]);
    expect(await claimOrderPlacement(db(), '203.0.113.6', 3)).toBe(true);
  });
});
