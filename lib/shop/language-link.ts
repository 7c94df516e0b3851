/**
 * The language switch's address: `/lang/<locale>?next=<the page being read>`, so switching keeps the
 * reader where they are. Only a same-site path is passed on (the /lang route checks it again).
 */
export function languageHref(locale: 'ru' | 'en', currentPath: string | null): string {
  const path = currentPath?.startsWith('/') && !currentPath.startsWith('//') ? currentPath : '/';
  return path === '/' ? `/lang/${locale}` : `/lang/${locale}?next=${encodeURIComponent(path)}`;
}
