import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** Catalogue. Prices are integer kopecks; `payTwoStage` marks goods made to order (paid with Delay=1). */
export const products = pgTable(
  'products',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** English name and description; the Russian ones stand in while these are empty. */
    nameEn: text('name_en'),
    descriptionEn: text('description_en'),
    priceKopecks: bigint('price_kopecks', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('RUB'),
    imagePath: text('image_path').notNull(),
    payTwoStage: boolean('pay_two_stage').notNull().default(false),
    /** 54-FZ receipt data (lib/assist/cheque.ts): null takes the shop-wide default from the settings. */
    vatRate: text('vat_rate'),
    paymentSubject: text('payment_subject'),
    /** Marking code for goods that carry one (Честный знак); printed on the receipt. */
    markingCode: text('marking_code'),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Moved by every write (drizzle's onUpdate; the seed's upsert sets it): the catalogue cache's version. */
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check('products_price_nonnegative', sql`${t.priceKopecks} >= 0`),
    check(
      'products_vat_rate_known',
      sql`${t.vatRate} is null or ${t.vatRate} in ('none', '0', '5', '7', '10', '20', '22', '5/105', '7/107', '10/110', '20/120', '22/122')`,
    ),
    check(
      'products_payment_subject_known',
      sql`${t.paymentSubject} is null or ${t.paymentSubject} in ('goods', 'excise', 'work', 'service', 'payment', 'other')`,
    ),
  ],
);

/**
 * Fed order numbers until `counters` took over; it only gives an existing shop's counter its start.
 * A sequence is neither gap-free (a rolled-back checkout burns a number) nor restart-stable (PostgreSQL
 * logs 32 values ahead, so after an unclean stop, as the embedded database's usually is, it jumps).
 */
export const orderNumberSeq = pgSequence('order_number_seq', { startWith: 1000 });

/**
 * Gap-free counters: a row updated inside the transaction that uses the number, so a rolled-back
 * checkout gives its number back and a restart never skips any. Concurrent checkouts wait on the row.
 */
export const counters = pgTable('counters', {
  name: text('name').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

/**
 * A customer's order. `orderNumber` is what ASSIST sees (digits and dashes only); `publicId` is the
 * unguessable id in customer URLs. `paymentStatus` is a cache of the actual-status rule over the
 * order's bills, recomputed in the transaction that changes a bill.
 */
export const orders = pgTable(
  'orders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    publicId: text('public_id').notNull().unique(),
    orderNumber: text('order_number').notNull().unique(),
    status: text('status').notNull().default('new'),
    paymentStatus: text('payment_status').notNull().default('unpaid'),
    paymentFlags: jsonb('payment_flags').$type<string[]>().notNull().default([]),
    subtotalKopecks: bigint('subtotal_kopecks', { mode: 'number' }).notNull(),
    totalKopecks: bigint('total_kopecks', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('RUB'),
    twoStage: boolean('two_stage').notNull().default(false),
    /**
     * When the customer first came back from the gateway's page (the return URL): evidence the order
     * reached the gateway, so the sync's re-checks look at it before orders nobody tried to pay.
     */
    reachedGatewayAt: timestamp('reached_gateway_at', { withTimezone: true }),
    /** Last time the gateway was asked about this order (return page throttle, sync re-checks). */
    paymentCheckedAt: timestamp('payment_checked_at', { withTimezone: true }),
    language: text('language').notNull().default('ru'),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    email: text('email').notNull(),
    phone: text('phone'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('orders_total_nonnegative', sql`${t.totalKopecks} >= 0`),
    index('orders_created_at_idx').on(t.createdAt),
    // The cron run's clean-up of unpaid orders past their expiry.
    index('orders_unpaid_expires_idx').on(t.expiresAt).where(sql`${t.paymentStatus} = 'unpaid'`),
  ],
);

/** A product snapshot at purchase time: later catalogue edits never change a placed order. */
export const orderItems = pgTable(
  'order_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: bigint('product_id', { mode: 'number' }).references(() => products.id, {
      onDelete: 'set null',
    }),
    productSlug: text('product_slug').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    unitPriceKopecks: bigint('unit_price_kopecks', { mode: 'number' }).notNull(),
    quantity: integer('quantity').notNull(),
    lineTotalKopecks: bigint('line_total_kopecks', { mode: 'number' }).notNull(),
    /** The product's receipt data when bought (null: the shop default when the receipt is made). */
    vatRate: text('vat_rate'),
    paymentSubject: text('payment_subject'),
    markingCode: text('marking_code'),
  },
  (t) => [
    check('order_items_quantity_positive', sql`${t.quantity} > 0`),
    index('order_items_order_id_idx').on(t.orderId),
  ],
);

/** A visitor's cart, identified by a random token in an httpOnly cookie. */
export const carts = pgTable('carts', {
  id: text('id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cartItems = pgTable(
  'cart_items',
  {
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    productId: bigint('product_id', { mode: 'number' })
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.cartId, t.productId] }),
    check('cart_items_quantity_positive', sql`${t.quantity} > 0`),
  ],
);
/**
 * Counters for rate limits and progressive delays (sign-in, order placing, notification re-reads), in the
 * database so they hold across instances and restarts. One row per key; `until` is the time before which
 * the key is refused (or, for a rate, the theoretical time its budget is spent up to). Stale rows are
 * removed by the cron run.
 */
export const throttles = pgTable(
  'throttles',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull().default(0),
    until: timestamp('until', { withTimezone: true }).notNull().default(sql`'epoch'`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('throttles_updated_at_idx').on(t.updatedAt)],
);

export * from '@/lib/admin/schema';
export * from '@/lib/payments/admin-actions-schema';
export * from '@/lib/payments/fiscal-schema';
export * from '@/lib/payments/schema';
