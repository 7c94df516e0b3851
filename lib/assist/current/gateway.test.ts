import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkvalue } from '../checkvalue';
import { createAssistGateway, parseAssistConfig } from '../index';
import { ORDERRESULT_XML } from './fixtures';

describe('createAssistGateway (current API)', () => {
  it('wires form, reads and notifications behind the interface', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        res.end(ORDERRESULT_XML);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const parsed = parseAssistConfig({
        ASSIST_MERCHANT_ID: '111111',
        ASSIST_LOGIN: 'l',
        ASSIST_PASSWORD: 'p',
        ASSIST_SECRET: 'secret',
        ORDER_NUMBER_PREFIX: 'B-',
        ASSIST_SERVER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      const gateway = createAssistGateway(parsed.config);
      expect(gateway.protocol).toBe('current');

      const form = gateway.paymentForm({
        orderNumber: '1',
        amountKopecks: 100,
        currency: 'RUB',
        twoStage: false,
        language: 'EN',
      });
      expect(form.ok && form.form.action).toMatch(/\/pay\/order\.cfm$/);

      const bills = await gateway.bills({ billNumber: '5960911012345801' }, { since: new Date(0) });
      expect(bills.ok && bills.bills[0]?.status).toBe('partially_refunded');

      const x = '111111B-77100.00RUBApproved';
      const note = gateway.parseNotification({
        merchant_id: '111111',
        ordernumber: 'B-77',
        billnumber: '5960911012345801',
        orderamount: '100.00',
        ordercurrency: 'RUB',
        orderstate: 'Approved',
        packetdate: '01.10.2016 09:00:01',
        checkvalue: checkvalue('secret', x),
      });
      expect(note.ok && note.notification.verification).toBe('verified');
      expect(gateway.notificationReply(note).body).toContain('firstcode="0"');
    } finally {
      server.close();
    }
  });
});
