import type { Locale } from '@/lib/i18n';

type Translatable = {
  name: string;
  nameEn?: string | null;
  description?: string;
  descriptionEn?: string | null;
};

/**
 * A catalogue text in the visitor's language. Russian is the catalogue's own language; an English text
 * left empty falls back to it, so a product added without a translation still shows.
 */
export function localized(item: Translatable, locale: Locale): { name: string; description: string } {
  const english = locale === 'en';
  return {
    name: (english && item.nameEn?.trim()) || item.name,
    description: (english && item.descriptionEn?.trim()) || (item.description ?? ''),
  };
}
