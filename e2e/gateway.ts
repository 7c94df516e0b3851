import { type APIRequestContext, expect } from '@playwright/test';

/*
 * The journeys' view of the sandbox gateway's own records and of the shop's cron route. The e2e demo
 * runs with SANDBOX_FAULTS=1 (introspection and fault injection) and a CRON_SECRET pinned by
 * playwright.config.ts.
 */
const SANDBOX = '/sandbox/assist';

export type SandboxBill = {
  billnumber: string;
  orderNumber: string;
  state: string;
  orderAmount: number;
  held: number;
  captured: number;
};

export async function sandboxBills(request: APIRequestContext, orderNumber: string): Promise<SandboxBill[]> {
  const reply = await request.get(`${SANDBOX}/__bills`);
  expect(reply.status(), 'the e2e demo runs the sandbox with SANDBOX_FAULTS=1').toBe(200);
  const { bills } = (await reply.json()) as { bills: SandboxBill[] };
  return bills.filter((b) => b.orderNumber === orderNumber);
}

export type SandboxDelivery = { billnumber: string; status: string };

export async function sandboxDeliveries(request: APIRequestContext): Promise<SandboxDelivery[]> {
  const reply = await request.get(`${SANDBOX}/__deliveries`);
  expect(reply.status()).toBe(200);
  return ((await reply.json()) as { deliveries: SandboxDelivery[] }).deliveries;
}

/** Makes the sandbox drop the next `count` result notifications: they are never sent. */
export async function dropNextNotifications(request: APIRequestContext, count = 1): Promise<void> {
  const reply = await request.post(`${SANDBOX}/__faults`, {
    data: { service: 'notify', mode: 'drop', count },
  });
  expect(reply.status()).toBe(201);
}

/**
 * One report sync through the cron route, as Vercel Cron or `npm run cron` would call it. The route
 * refuses while another run holds the lease (409) or the minimum interval has not passed (429 with
 * Retry-After; the demo's own cron loop may have just run), so this waits as a scheduler's next tick would.
 */
export async function runCronSync(request: APIRequestContext): Promise<{ outcome: string }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const reply = await request.get('/api/cron/assist-sync', {
      headers: { Authorization: `Bearer ${process.env.CRON_SECRET}` },
    });
    if (reply.status() === 200) return (await reply.json()) as { outcome: string };
    expect([409, 429], `cron route answered ${reply.status()}: ${await reply.text()}`).toContain(
      reply.status(),
    );
    const waitSeconds = Math.min(Number(reply.headers()['retry-after'] ?? '2') || 2, 30);
    expect(Date.now() + waitSeconds * 1000, 'the cron route kept refusing for 90 s').toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000 + 200));
  }
}
