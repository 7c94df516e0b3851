import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/testing/hooks';
import { products } from './schema';
import { DEMO_CATALOGUE, seedCatalogue } from './seed';

describe('seedCatalogue', () => {
  const database = useTestDatabase();

  it('is idempotent and seeds at least 8 products with both payment kinds', async () => {
    await seedCatalogue(database.db);
    await seedCatalogue(database.db);
    const rows = await database.db.select().from(products);
    expect(rows.length).toBe(DEMO_CATALOGUE.length);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.some((r) => r.payTwoStage)).toBe(true);
    expect(rows.some((r) => !r.payTwoStage)).toBe(true);
    for (const r of rows) {
      expect(Number.isInteger(r.priceKopecks)).toBe(true);
      expect(r.nameEn, r.slug).toMatch(/^[\x20-\x7e\u00c0-\u024f\u2013-\u201d×]+$/);
      expect(r.descriptionEn, r.slug).toBeTruthy();
      expect(existsSync(path.join(process.cwd(), 'public', r.imagePath)), r.imagePath).toBe(true);
    }
  });
});
