import { isLocale, LOCALE_COOKIE } from '@/lib/i18n';

/** Sets the language cookie and goes back to the page the visitor came from (same-origin paths only). */
export async function GET(request: Request, { params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) return new Response('Unknown language', { status: 404 });
  const url = new URL(request.url);
  const back = url.searchParams.get('next') ?? '/';
  const target = back.startsWith('/') && !back.startsWith('//') ? back : '/';
  return new Response(null, {
    status: 303,
    headers: {
      Location: target,
      'Set-Cookie': `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`,
    },
  });
}
