import { describe, expect, it } from 'vitest';
import { newPublicId } from './orders';
import { parseRecentOrders, RECENT_ORDERS_MAX, withRecentOrder } from './recent-orders';

describe('recent orders cookie', () => {
  it('keeps the newest first, without repeats, at most the limit', () => {
    const ids = Array.from({ length: RECENT_ORDERS_MAX + 2 }, () => newPublicId());
    let cookie: string | undefined;
    for (const id of ids) cookie = withRecentOrder(cookie, id);
    expect(parseRecentOrders(cookie)).toEqual(ids.slice(-RECENT_ORDERS_MAX).reverse());
    const again = withRecentOrder(cookie, ids[ids.length - 2] as string);
    expect(parseRecentOrders(again)[0]).toBe(ids[ids.length - 2]);
    expect(parseRecentOrders(again)).toHaveLength(RECENT_ORDERS_MAX);
  });

  it('drops whatever is not a public id', () => {
    const id = newPublicId();
    expect(parseRecentOrders(`../x,${id},<script>,${id}`)).toEqual([id]);
    expect(parseRecentOrders(undefined)).toEqual([]);
  });
});
