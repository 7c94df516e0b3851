import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AssistConfig, AssistGateway, ChequeItem } from '@/lib/assist';
import { createAssistGateway, decodeFormBody, parseAssistConfig } from '@/lib/assist';
import { checkvalue, formCheckvalueInput } from '@/lib/assist/checkvalue';
import { encodeForm } from '@/lib/assist/form-body';
import { orders } from '@/lib/db/schema';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import type { Actor, BillActionRequest } from '@/lib/payments/admin-actions';
import { handleNotification } from '@/lib/payments/notifications';
import type { SyncSettings } from '@/lib/payments/sync';
import type { SandboxConfig } from '@/lib/sandbox/config';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { type SandboxServer, startSandboxServer } from '@/lib/sandbox/standalone';

/**
 * A shop and the sandbox gateway talking over real HTTP, for integration tests: the shop's database
 * (PGlite or PostgreSQL), the adapter pointed at a standalone sandbox, and a notification receiver that
 * runs the same handler as the /api/assist/notify route.
 */
export type PaymentsHarness = {
  database: TestDatabase;
  sandbox: SandboxServer;
  gateway: AssistGateway;
  config: AssistConfig;
  clock: { now: Date };
  syncSettings: SyncSettings;
  notifyUrl: string;
  /** What the receiver answers while set (e.g. to simulate the shop being down). */
  receiverOverride: { status: number } | null;
  /** Every notification body the receiver got, in order, for replay tests. */
  received: URLSearchParams[];
  /** Waits for the first notification about a bill to reach the receiver. */
  notificationFor(billNumber: string): Promise<URLSearchParams>;
  /** Runs the notification handler on a body, as the route does. */
  deliver(fields: URLSearchParams, testPaymentsCount?: boolean): ReturnType<typeof handleNotification>;
  createOrder(input: { amountKopecks: number; twoStage?: boolean }): Promise<typeof orders.$inferSelect>;
  /** Opens the sandbox payment page for an order; returns the new billnumber. */
  openBill(
    order: { orderNumber: string; totalKopecks: number; twoStage: boolean; email?: string },
    receipt?: ChequeItem[],
  ): Promise<string>;
  pay(billNumber: string, card?: string): Promise<Response>;
  waitForDeliveries(): Promise<void>;
  close(): Promise<void>;
};

export async function startPaymentsHarness(
  options: {
    engine?: 'pglite' | 'postgres';
    sandbox?: Partial<SandboxConfig>;
    secret?: string | null;
    /** `legacy` runs the shop on the 2010 protocol (ASSIST_PROTOCOL=legacy) against the same sandbox. */
    protocol?: 'current' | 'legacy';
    /** ASSIST_FISCAL=1: receipts ride with payments, charges and refunds. */
    fiscal?: boolean;
  } = {},
): Promise<PaymentsHarness> {
  // The shared clock runs with real time; a test moves it by assigning `clock.now`, which shifts it.
  let offsetMs = 0;
  const clock = {
    get now(): Date {
      return new Date(Date.now() + offsetMs);
    },
    set now(value: Date) {
      offsetMs = value.getTime() - Date.now();
    },
  };
  const database = await createTestDatabase({ engine: options.engine });
  const harness = { receiverOverride: null, received: [] as URLSearchParams[] } as PaymentsHarness;
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      // Legacy notifications arrive in windows-1251: decoded by their charset, as the route should.
      const fields = decodeFormBody(
        Buffer.concat(chunks),
        req.headers['content-type'] ?? null,
        options.protocol === 'legacy' ? 'windows-1251' : 'utf-8',
      );
      harness.received.push(fields);
      if (harness.receiverOverride) {
        res.writeHead(harness.receiverOverride.status).end();
        return;
      }
      const reply = await harness.deliver(fields);
      res.writeHead(reply.status, { 'Content-Type': reply.contentType }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/assist/notify`;
  const sandbox = await startSandboxServer({
    dataDir: 'memory',
    now: () => clock.now,
    config: {
      notifyUrl,
      notifyIntervalMs: 30,
      notifyTimeoutMs: 2000,
      faultsEnabled: true,
      hangMs: 4000,
      billTimeoutSeconds: 600,
      ...options.sandbox,
    },
  });
  const parsed = parseAssistConfig({
    ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
    ASSIST_LOGIN: DEMO_MERCHANT.login,
    ASSIST_PASSWORD: DEMO_MERCHANT.password,
    ASSIST_SECRET: options.secret === null ? undefined : (options.secret ?? DEMO_MERCHANT.secret),
    ASSIST_SERVER: sandbox.url,
    ASSIST_TEST_MODE: '1',
    ASSIST_TIMEOUT_MS: '3000',
    ASSIST_PROTOCOL: options.protocol,
    ASSIST_FISCAL: options.fiscal ? '1' : undefined,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const gateway = createAssistGateway(parsed.config, {
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
    now: () => clock.now,
  });
  let seq = 0;
  Object.assign(harness, {
    database,
    sandbox,
    gateway,
    config: parsed.config,
    clock,
    notifyUrl,
    deliver: (fields: URLSearchParams, testPaymentsCount = true) =>
      handleNotification(
        {
          getDb: async () => database.db,
          gateway: harness.gateway,
          testPaymentsCount,
          log: () => {},
          now: () => clock.now,
        },
        fields,
      ),
    syncSettings: {
      minIntervalSeconds: 0,
      initialLookbackHours: 72,
      overlapMinutes: 30,
      maxWindows: 7,
      recheckLimit: 50,
      testPaymentsCount: true,
      now: () => clock.now,
    },
    async createOrder(input: { amountKopecks: number; twoStage?: boolean }) {
      seq++;
      const [order] = await database.db
        .insert(orders)
        .values({
          publicId: `pub${Date.now().toString(36)}${seq}`.padEnd(22, 'x').slice(0, 22),
          orderNumber: `${Date.now()}${String(seq).padStart(4, '0')}`,
          subtotalKopecks: input.amountKopecks,
          totalKopecks: input.amountKopecks,
          twoStage: input.twoStage ?? false,
          lastName: 'Тестов',
          firstName: 'Тест',
          email: 'test@example.ru',
          expiresAt: new Date(Date.now() + 86_400_000),
        })
        .returning();
      if (!order) throw new Error('order insert failed');
      return order;
    },
    async openBill(
      order: { orderNumber: string; totalKopecks: number; twoStage: boolean; email?: string },
      receipt?: ChequeItem[],
    ) {
      const form = gateway.paymentForm({
        ...(receipt ? { receipt, customer: { email: order.email ?? 'test@example.ru' } } : {}),
        orderNumber: order.orderNumber,
        amountKopecks: order.totalKopecks,
        currency: 'RUB',
        twoStage: order.twoStage,
        language: 'RU',
        returnUrlOk: 'http://shop.test/ok',
        returnUrlNo: 'http://shop.test/no',
      });
      if (!form.ok) throw new Error(form.error.message);
      // Encoded as a browser would, by the form's accept-charset (windows-1251 for the legacy protocol).
      const body =
        form.form.acceptCharset.toLowerCase() === 'windows-1251'
          ? encodeForm(Object.fromEntries(form.form.fields), 'windows-1251')
          : new URLSearchParams(form.form.fields).toString();
      const res = await fetch(form.form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      const html = await res.text();
      const bill = /name="billnumber" value="(\d+)"/.exec(html)?.[1];
      if (!bill) throw new Error(`order.cfm: ${res.status} ${html.slice(0, 300)}`);
      return bill;
    },
    pay(billNumber: string, card = '4111 1111 1111 1111') {
      return fetch(`${sandbox.url}/pay/process.cfm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          billnumber: billNumber,
          card_number: card,
          expiry: '12/39',
          cvc: '123',
          holder: 'TEST TESTOV',
        }).toString(),
        redirect: 'manual',
      });
    },
    async notificationFor(billNumber: string) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const found = harness.received.find(
          (f) => (f.get('billnumber') ?? f.get('BillNumber')) === billNumber,
        );
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no notification for ${billNumber} after 15 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async waitForDeliveries() {
      const deadline = Date.now() + 15_000;
      while ((await sandbox.gateway.pendingDeliveries()) > 0) {
        if (Date.now() > deadline) throw new Error('notifications still pending after 15 s');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await sandbox.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await database.close();
    },
  });
  return harness;
}

/** A notification exactly as the gateway would sign it, for forgery and redelivery tests. */
export function signedNotification(
  fields: Record<string, string>,
  secret: string = DEMO_MERCHANT.secret,
): URLSearchParams {
  const x =
    (fields.merchant_id ?? '') +
    (fields.ordernumber ?? '') +
    (fields.amount ?? '') +
    (fields.currency ?? '') +
    (fields.orderstate ?? '');
  return new URLSearchParams({ ...fields, checkvalue: checkvalue(secret, x) });
}

export { formCheckvalueInput };

/** A staff charge (or, with `over`, any action) on a bill as the bill page sends it, with a fresh key. */
export function billActionRequest(
  billNumber: string,
  actor: Actor,
  over: Partial<BillActionRequest> = {},
): BillActionRequest {
  return {
    billNumber,
    kind: 'charge',
    amountKopecks: null,
    reason: null,
    comment: '',
    actor,
    idempotencyKey: `action-${randomUUID()}`,
    holdWarningDays: 14,
    testPaymentsCount: true,
    ...over,
  };
}
