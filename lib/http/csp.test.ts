import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { originOf, pageCsp, payPageCsp } from './csp';

describe('CSP', () => {
  it('allows scripts only by nonce on pages, never unsafe-inline, and forms only to us and the gateway', () => {
    const csp = pageCsp({ nonce: 'abc', gatewayOrigin: 'https://payments.paysecure.ru', dev: false });
    const script = csp.split('; ').find((d) => d.startsWith('script-src')) ?? '';
    expect(script).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("form-action 'self' https://payments.paysecure.ru");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('allows the pay page script by its exact hash', () => {
    const script = "document.getElementById('pay-form').submit();";
    const hash = createHash('sha256').update(script).digest('base64');
    const csp = payPageCsp({ script, gatewayOrigin: 'http://localhost:3000' });
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).not.toContain("unsafe-inline'; script");
    expect(csp).toContain('form-action http://localhost:3000');
    expect(originOf('http://localhost:3000/sandbox/assist')).toBe('http://localhost:3000');
  });
});
