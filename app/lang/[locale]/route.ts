import { sameOriginPath } from '@/lib/http/safe-next';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n';

/** Sets the language cookie and goes back to the page the visitor came from (same-origin paths only). */
export async function GET(request: Request, { params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) return new Response('Unknown language', { status: 404 });
  const target = sameOriginPath(new URL(request.url).searchParams.get('next'), '/');
  return new Response(null, {
    status: 303,
    headers: {
      Location: target,
      'Set-Cookie': `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`,
      'Cache-Control': 'no-store',
    },
  });
}
