import { type NextRequest, NextResponse } from 'next/server';
import { getEnv } from '@/lib/env';
import { originOf, pageCsp } from '@/lib/http/csp';

/**
 * A fresh nonce per page request for the Content-Security-Policy; Next reads it from the request's CSP
 * header and puts it on its own scripts. Route handlers that serve their own documents (the cp1251 pay
 * page, the sandbox gateway) and static files are not matched.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = pageCsp({
    nonce,
    gatewayOrigin: originOf(getEnv().assist.server),
    dev: process.env.NODE_ENV === 'development',
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  // Lets the admin layout send a signed-out visitor back to the page they asked for after sign-in.
  headers.set('x-pathname', request.nextUrl.pathname + request.nextUrl.search);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api|pay/|sandbox|_next/static|_next/image|products/.*\\.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
