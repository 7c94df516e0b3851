import { describe, expect, it } from 'vitest';
import { localized } from './localized';

describe('localized', () => {
  const product = { name: 'Самовар', nameEn: 'Samovar', description: 'Латунь', descriptionEn: 'Brass' };

  it('gives the English text in English and the Russian one in Russian', () => {
    expect(localized(product, 'en')).toEqual({ name: 'Samovar', description: 'Brass' });
    expect(localized(product, 'ru')).toEqual({ name: 'Самовар', description: 'Латунь' });
  });

  it('falls back to Russian where the English text is missing or blank', () => {
    expect(localized({ ...product, nameEn: null, descriptionEn: '  ' }, 'en')).toEqual({
      name: 'Самовар',
      description: 'Латунь',
    });
    expect(localized({ name: 'Ложка', nameEn: null }, 'en')).toEqual({ name: 'Ложка', description: '' });
  });
});
