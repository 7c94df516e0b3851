import { z } from 'zod';
import { type AssistConfig, parseAssistConfig } from '@/lib/assist';
import type { PostgresTarget } from '@/lib/db/connect';
import { POOL_DEFAULTS } from '@/lib/db/postgres-options';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { DEFAULT_SHOP_TIME_ZONE, isTimeZone } from '@/lib/shop/time-zone';

/**
 * The environment, validated once. Every consumer reads `getEnv()`; a bad variable stops start-up with
 * one message naming every problem, instead of a stack trace from deep inside a driver.
 */

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const postgresUrl = z
  .string()
  .refine(
    (v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v),
    'expected a postgres:// or postgresql:// connection URL',
  );

const baseSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_URL_DIRECT: postgresUrl.optional(),
  DATABASE_PGBOUNCER: flag,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  DATABASE_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  // Set by Vercel in every deployment: the pool defaults become the serverless ones.
  VERCEL: z.string().optional(),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  ALLOW_EMBEDDED_DB: flag,
  CRON_SECRET: z.string().min(16, 'expected at least 16 characters').optional(),
  ASSIST_MODE: z.enum(['gateway', 'sandbox']).default('gateway'),
  ASSIST_TWO_STAGE: flag,
  ASSIST_SYNC_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  ASSIST_SYNC_INITIAL_LOOKBACK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  ASSIST_SYNC_OVERLAP_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(30),
  ASSIST_SYNC_MAX_WINDOWS: z.coerce.number().int().min(1).max(90).default(7),
  ASSIST_SYNC_RECHECK_LIMIT: z.coerce.number().int().min(0).max(1000).default(50),
  ASSIST_RETURN_CHECKS_PER_MINUTE: z.coerce.number().int().min(0).max(600).default(30),
  ORDER_EXPIRY_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .default(60 * 24),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  ASSIST_NOTIFICATION_REREADS_PER_MINUTE: z.coerce.number().int().min(0).max(600).default(30),
  // Legacy results.cfm answers at most once per 10 minutes; only a test gateway may be asked more often.
  ASSIST_LEGACY_REPORT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  ORDERS_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20),
  SHOP_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'expected an IANA time zone name such as Europe/Moscow')
    .default(DEFAULT_SHOP_TIME_ZONE),
  ORDER_NUMBER_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,16}$/, 'expected 1-16 letters, digits or dashes')
    .optional(),
});

export type Env = Omit<z.infer<typeof baseSchema>, 'APP_URL'> & {
  APP_URL: string;
  database:
    | (Required<Omit<PostgresTarget, 'directUrl'>> & { directUrl?: string })
    | { kind: 'pglite'; dir: string };
  assist: AssistConfig;
};

/**
 * In sandbox mode the shop talks to the built-in gateway with the demo merchant unless told otherwise.
 * Outside it nothing is filled in: a missing credential is a configuration error, never a sandbox.
 */
function assistEnv(source: Record<string, string>, mode: 'gateway' | 'sandbox', appUrl: string) {
  if (mode !== 'sandbox') return source;
  const hasMerchant = source.ASSIST_MERCHANT_ID || source.ASSIST_SHOP_IDP;
  return {
    ASSIST_TEST_MODE: '1',
    ASSIST_SERVER: `${appUrl}${BUILT_IN_SANDBOX_PATH}`,
    ...(hasMerchant
      ? {}
      : {
          ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
          ASSIST_LOGIN: DEMO_MERCHANT.login,
          ASSIST_PASSWORD: DEMO_MERCHANT.password,
          ASSIST_SECRET: DEMO_MERCHANT.secret,
        }),
    ...source,
  };
}

export type EnvResult = { ok: true; env: Env } | { ok: false; errors: string[] };

/** Empty strings mean "unset": `.env` files and CI often export `VAR=` for optional values. */
function withoutEmpty(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function loadEnv(source: Record<string, string | undefined>): EnvResult {
  const values = withoutEmpty(source);
  const parsed = baseSchema.safeParse(values);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    };
  }
  const e = parsed.data;
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const assist = parseAssistConfig(assistEnv(values, e.ASSIST_MODE, appUrl));
  const errors: string[] = assist.ok ? [] : [...assist.errors];
  if (!assist.ok && e.ASSIST_MODE === 'gateway') {
    errors.push(
      'ASSIST_MODE: set ASSIST_MODE=sandbox to use the built-in test gateway instead of real ASSIST',
    );
  }
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL && !e.ALLOW_EMBEDDED_DB) {
    errors.push(
      'DATABASE_URL: required in production. The embedded PGlite database is one connection in one ' +
        'process and needs a persistent disk; set ALLOW_EMBEDDED_DB=1 to run it anyway (the demo does).',
    );
  }
  if (errors.length || !assist.ok) return { ok: false, errors };
  return {
    ok: true,
    env: {
      ...e,
      APP_URL: appUrl,
      database: e.DATABASE_URL ? postgresTarget(e.DATABASE_URL, e) : { kind: 'pglite', dir: e.PGLITE_DIR },
      assist: assist.config,
    },
  };
}

function postgresTarget(url: string, e: z.infer<typeof baseSchema>): Env['database'] {
  const defaults = e.VERCEL ? POOL_DEFAULTS.serverless : POOL_DEFAULTS.server;
  return {
    kind: 'postgres',
    url,
    pooled: e.DATABASE_PGBOUNCER,
    ...(e.DATABASE_URL_DIRECT ? { directUrl: e.DATABASE_URL_DIRECT } : {}),
    pool: {
      max: e.DATABASE_POOL_MAX ?? defaults.max,
      idleTimeoutSeconds: e.DATABASE_IDLE_TIMEOUT_SECONDS ?? defaults.idleTimeoutSeconds,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? defaults.statementTimeoutMs,
    },
  };
}

export class EnvError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid configuration:\n${errors.map((e) => `  - ${e}`).join('\n')}\nSee .env.example.`);
    this.name = 'EnvError';
  }
}

/** Where the built-in sandbox gateway is mounted in the app. */
export const BUILT_IN_SANDBOX_PATH = '/sandbox/assist';

/**
 * Whether this process serves the built-in sandbox gateway: sandbox mode with the shop pointed at it.
 * A shop in sandbox mode whose ASSIST_SERVER names another gateway (a sandbox run on its own, shared by
 * several instances) must not open a store of its own that nothing uses.
 */
export function servesBuiltInSandbox(env: Pick<Env, 'ASSIST_MODE' | 'APP_URL' | 'assist'>): boolean {
  return env.ASSIST_MODE === 'sandbox' && env.assist.server === `${env.APP_URL}${BUILT_IN_SANDBOX_PATH}`;
}

const cache = globalThis as typeof globalThis & { __assistStorefrontEnv?: Env };

/** The validated environment of this process; throws EnvError listing every bad variable. */
export function getEnv(): Env {
  if (cache.__assistStorefrontEnv) return cache.__assistStorefrontEnv;
  const result = loadEnv(process.env);
  if (!result.ok) throw new EnvError(result.errors);
  cache.__assistStorefrontEnv = result.env;
  return result.env;
}
