import { createHash } from 'node:crypto';

/**
 * Content-Security-Policy for the shop's pages. Scripts run only with the per-request nonce (Next adds
 * it to its own scripts) or by hash; never 'unsafe-inline'. Forms may post only to us and to the
 * payment gateway, so an injected form cannot send a customer elsewhere. See docs/adr/0005-csp.md.
 */
export function pageCsp(options: { nonce: string; gatewayOrigin: string; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    // React and Next may set style attributes; styles cannot run code, scripts are what CSP guards here.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${options.gatewayOrigin}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The cp1251 /pay page: one known inline script, allowed by its hash, and a form to the gateway. */
export function payPageCsp(options: { script: string; gatewayOrigin: string }): string {
  const hash = createHash('sha256').update(options.script, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    `form-action ${options.gatewayOrigin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function originOf(url: string): string {
  return new URL(url).origin;
}
