import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import { cache } from 'react';
import { type Db, getDb } from '@/lib/db/client';
import { products } from '@/lib/db/schema';
import { writeGeneration } from '@/lib/db/write-generation';

export type Product = typeof products.$inferSelect;

/** The active products, the same for every visitor; `version` names the table state they were read at. */
export type Catalogue = { version: string; list: Product[]; bySlug: ReadonlyMap<string, Product> };

function prepareCatalogueVersion(db: Db) {
  return db
    .select({
      rows: sql<number>`count(*)::int`,
      latest: sql<string | null>`max(${products.updatedAt})::text`,
    })
    .from(products)
    .prepare('catalogue_version');
}

const versionQueries = new WeakMap<Db, ReturnType<typeof prepareCatalogueVersion>>();
const catalogues = new WeakMap<Db, Catalogue>();
const knownVersions = new WeakMap<Db, { generation: number; version: string }>();

/**
 * The products table's state in one row (row count and newest `updated_at`), asked of the database so
 * that a change made by any process (the seed, a second server on the same PostgreSQL) shows at once.
 * Every write to `products` moves `updated_at` forward (an insert or a delete moves the count), see the
 * schema, so a version never comes back once the table has moved on.
 */
export async function catalogueVersion(db: Db): Promise<string> {
  // On PGlite nothing can have changed the products while the write counter stands, so the version is
  // not asked again (lib/db/write-generation.ts); taken before the read, so a write meanwhile moves it.
  const generation = writeGeneration(db);
  const known = knownVersions.get(db);
  if (generation !== undefined && known?.generation === generation) return known.version;
  let versionQuery = versionQueries.get(db);
  if (!versionQuery) {
    versionQuery = prepareCatalogueVersion(db);
    versionQueries.set(db, versionQuery);
  }
  const [row] = await versionQuery.execute();
  const version = `${row?.rows ?? 0}@${row?.latest ?? ''}`;
  if (generation !== undefined) knownVersions.set(db, { generation, version });
  return version;
}

/** The catalogue, read again only when its version (asked on every call) changed. */
export async function loadCatalogue(db: Db): Promise<Catalogue> {
  const version = await catalogueVersion(db);
  const cached = catalogues.get(db);
  if (cached?.version === version) return cached;
  // Read after the version: a write landing in between makes these rows newer than `version`, so the
  // next request sees a different version and reads again; the cache never keeps rows older than it says.
  const list = await db
    .select()
    .from(products)
    .where(eq(products.active, true))
    .orderBy(asc(products.sortOrder), asc(products.id));
  const catalogue: Catalogue = { version, list, bySlug: new Map(list.map((p) => [p.slug, p])) };
  catalogues.set(db, catalogue);
  return catalogue;
}

/** One version check per request, shared by a page and its metadata. */
const currentCatalogue = cache(async () => loadCatalogue(await getDb()));

export async function listActiveProducts(): Promise<Product[]> {
  return (await currentCatalogue()).list;
}

export async function findActiveProduct(slug: string): Promise<Product | undefined> {
  return (await currentCatalogue()).bySlug.get(slug);
}
