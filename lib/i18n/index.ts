import { en } from './en';
import { type Dictionary, ru } from './ru';

export type { Dictionary };
export type Locale = 'ru' | 'en';

export const DEFAULT_LOCALE: Locale = 'ru';
export const LOCALE_COOKIE = 'lang';

const dictionaries: Record<Locale, Dictionary> = { ru, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'ru' || value === 'en';
}

export function getDictionary(locale: Locale): Dictionary {
  return dictionaries[locale];
}

/** Puts values into a dictionary text's `{name}` slots; a slot without a value stays visible. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}
