import 'server-only';
import { cookies } from 'next/headers';
import { DEFAULT_LOCALE, getDictionary, isLocale, LOCALE_COOKIE, type Locale } from './index';

/** The visitor's language: the `lang` cookie set by the language switch, else Russian. */
export async function getLocale(): Promise<Locale> {
  const value = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export async function getT() {
  return getDictionary(await getLocale());
}
