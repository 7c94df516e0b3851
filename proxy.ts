import { type NextRequest, NextResponse } from 'next/server';
import { getEnv } from '@/lib/env';
import { originOf, pageCsp } from '@/lib/http/csp';
import { logEvent } from '@/lib/log';
import {
  isPrerender,
  isSharedPageRequest,
  newNonce,
  placeholderNonce,
  sharedPage,
  withNonce,
} from '@/lib/shop/shared-pages';

/**
 * A fresh nonce per page request for the Content-Security-Policy; Next reads it from the request's CSP
 * header and puts it on its own scripts. The catalogue and product pages may be answered from HTML kept
 * for every visitor like this one, with the fresh nonce put in (docs/adr/0007-shared-page-html.md).
 * Route handlers that serve their own documents (the cp1251 pay page, the sandbox gateway) and static
 * files get no CSP here.
 */
export async function proxy(request: NextRequest) {
  // A path that is not valid percent-encoded UTF-8 (`/products/%ff`) would throw while the page's
  // params are decoded: it names no page, so answer 400 rather than a 500.
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return new NextResponse('Bad request', { status: 400 });
  }
  // The cp1251 pay page sends its own headers; only its paths holding a `%` come here, for the check above.
  if (request.nextUrl.pathname.startsWith('/pay/')) return NextResponse.next();
  // The proxy's own render of a catalogue or product page for reuse carries a placeholder nonce, which
  // every response made from it replaces with a fresh one (lib/shop/shared-pages.ts).
  const nonce = isPrerender(request.headers) ? placeholderNonce() : newNonce();
  const csp = pageCsp({
    nonce,
    gatewayOrigin: originOf(getEnv().assist.server),
    dev: process.env.NODE_ENV === 'development',
  });
  if (
    process.env.NODE_ENV === 'production' &&
    nonce !== placeholderNonce() &&
    isSharedPageRequest(request.method, request.nextUrl, request.headers)
  ) {
    const page = await sharedPage(request.nextUrl, (name) => request.cookies.get(name)?.value).catch(
      (error: unknown) => {
        // The page's own render reports the same fault the way every page does.
        logEvent('shared_page_failed', { path: request.nextUrl.pathname, error }, 'error');
        return undefined;
      },
    );
    if (page) {
      const response = new NextResponse(withNonce(page, nonce), { headers: page.headers });
      response.headers.set('Content-Security-Policy', csp);
      return response;
    }
  }
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
    // Only a percent-encoded pay path can fail to decode: every other pay request skips the proxy,
    // which cost the page a third of its time (docs/performance.md). Matched against the raw path.
    '/pay/:path(.*%.*)',
    {
      source: '/((?!api|pay/|sandbox|_next/static|_next/image|products/.*\\.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
