import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxDeliveries } from './schema';
import { startSandboxServer } from './standalone';
import { codes, paidBill, ws } from './test-helpers';

let dir: string;
let receiver: Server;
let accepting = false;
const received: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sandbox-'));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (!accepting) return void res.writeHead(503).end();
      received.push(new URLSearchParams(body).get('billnumber') ?? '');
      res
        .writeHead(200, { 'Content-Type': 'text/xml' })
        .end('<pushpaymentresult firstcode="0" secondcode="0"/>');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
});

afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

/** Deadline-based, not count-based: PGlite on a loaded CI machine can take seconds per step. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('persistence', () => {
  it('keeps bills across a restart on the same data folder and resumes pending notifications', async () => {
    const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
    const first = await startSandboxServer({ dataDir: dir, config: { notifyUrl, notifyIntervalMs: 60_000 } });
    const bill = await paidBill(first.url, { Delay: '1' });
    expect(
      codes(
        await ws(first.url, '/charge/charge.cfm', {
          Billnumber: bill.billnumber,
          Amount: '100.00',
          Currency: 'RUB',
        }),
      ),
    ).toBe('0/0');
    // The shop was down: the first attempt failed and the next one is a minute away.
    await waitUntil(async () => (await first.gateway.listDeliveries())[0]?.attempts.length === 1);
    // Time passes while the gateway is down: the retry becomes due before it comes back.
    await first.gateway.db.update(sandboxDeliveries).set({ nextAttemptAt: new Date() });
    await first.close();

    accepting = true;
    const second = await startSandboxServer({ dataDir: dir, config: { notifyUrl, notifyIntervalMs: 10 } });
    try {
      const r = await ws(second.url, '/orderresult/orderresult.cfm', { Billnumber: bill.billnumber });
      expect(r.order?.[0]).toMatchObject({ orderstate: 'PartialDelayed', orderamount: '1500.00' });
      expect(r.order?.[0]?.operation?.map((o) => o.operationtype)).toEqual(['100', '200']);
      await waitUntil(async () => received.length > 0);
      expect(received).toEqual([bill.billnumber]);
      const d = (await second.gateway.listDeliveries())[0];
      expect(d).toMatchObject({ billnumber: bill.billnumber, status: 'delivered' });
      expect(d?.attempts.map((a) => a.outcome)).toEqual(['failed', 'delivered']);
    } finally {
      await second.close();
    }
  }, 120_000);
});
