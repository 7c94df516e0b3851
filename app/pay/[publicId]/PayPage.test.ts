import iconv from 'iconv-lite';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { getDictionary } from '@/lib/i18n';
import { encodeHtmlWindows1251 } from '@/lib/payments/cp1251';
import { AUTO_SUBMIT_SCRIPT, PayPage } from './PayPage';

describe('PayPage', () => {
  it('renders every hidden field escaped, the charset meta, the button and the auto-submit', () => {
    const html = renderToStaticMarkup(
      createElement(PayPage, {
        kind: 'form',
        t: getDictionary('ru'),
        orderNumber: '1042',
        amountKopecks: 150_000,
        currency: 'RUB',
        form: {
          action: 'http://gw.example/pay/order.cfm',
          method: 'POST',
          acceptCharset: 'UTF-8',
          fields: [
            ['OrderNumber', '1042'],
            ['OrderComment', 'Заказ "<b>&" 😀'],
          ],
        },
      }),
    );
    expect(html).toContain('<meta charSet="windows-1251"/>');
    expect(html).toContain('action="http://gw.example/pay/order.cfm"');
    expect(html).toContain('accept-charset="UTF-8"');
    expect(html).toContain(
      '<input type="hidden" name="OrderComment" value="Заказ &quot;&lt;b&gt;&amp;&quot; 😀"/>',
    );
    expect(html).toContain('<button type="submit" class="button">Перейти к оплате</button>');
    expect(html).toContain(AUTO_SUBMIT_SCRIPT);
    const decoded = iconv.decode(Buffer.from(encodeHtmlWindows1251(html)), 'win1251');
    expect(decoded).toContain('value="Заказ &quot;&lt;b&gt;&amp;&quot; &#128512;"');
  });
});
