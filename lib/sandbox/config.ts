import { z } from 'zod';
import { ru } from '../i18n/ru';
import { DEMO_MERCHANT } from './demo-merchant';

/**
 * How resultbydate answers. `payment` (default): flat `<payment>` rows, the shape a production script
 * reads; `order`: `<order>` with nested `<operation>`; `orders`: the same wrapped in `<orders>`; `csv`:
 * the CSV report whatever `Format` asks. docs/assist-protocol.md §5.4 gives each one's source.
 */
export const REPORT_SHAPES = ['payment', 'order', 'orders', 'csv'] as const;
export type ReportShape = (typeof REPORT_SHAPES)[number];

/** Everything the sandbox gateway needs to know; every field has a default so a bare demo runs. */
export interface SandboxConfig {
  merchantId: string;
  login: string;
  password: string;
  /** Secret word for checkvalues; empty = the merchant has none (form checkvalue optional, replies unsigned). */
  secret: string;
  /** Shown on the payment page as the merchant's name. */
  merchantName: string;
  /** Where result notifications are POSTed (the merchant cabinet setting on the real gateway). */
  notifyUrl: string;
  /** An `In Process` bill older than this becomes `Timeout`. */
  billTimeoutSeconds: number;
  /** Scale of the notification retry schedule: retry k waits `notifyIntervalMs × RETRY_MULTIPLIERS[k]`. */
  notifyIntervalMs: number;
  /** How long one notification attempt may take before it counts as "no reply". */
  notifyTimeoutMs: number;
  /** Fault injection and the introspection endpoints (`/__faults`, `/__bills`); off = 404. */
  faultsEnabled: boolean;
  /** How long a `hang` fault keeps the caller waiting when the fault names no delay. */
  hangMs: number;
  /** Shape of charge/cancel replies: each service's documented one, or one shape for both. */
  actionReply: 'documented' | 'flat' | 'nested';
  /** Legacy postauth/rvr replies: a bare `ERROR:` (as django-assist-ru saw) or `name:value` items. */
  legacyActionReply: 'bare' | 'items';
  /** The shape of resultbydate replies at start (`SANDBOX_REPORT_SHAPE`); `/__reply-shape` changes it. */
  reportShape: ReportShape;
}

const positiveInt = z.coerce.number().int().positive();
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const EnvSchema = z.object({
  ASSIST_MERCHANT_ID: z.preprocess(blankToUndefined, z.string().regex(/^\d+$/).optional()),
  ASSIST_SHOP_IDP: z.preprocess(blankToUndefined, z.string().regex(/^\d+$/).optional()),
  ASSIST_LOGIN: z.preprocess(blankToUndefined, z.string().optional()),
  ASSIST_PASSWORD: z.preprocess(blankToUndefined, z.string().optional()),
  ASSIST_SECRET: z.preprocess(blankToUndefined, z.string().optional()),
  APP_URL: z.preprocess(blankToUndefined, z.url().optional()),
  PORT: z.preprocess(blankToUndefined, positiveInt.optional()),
  SANDBOX_MERCHANT_NAME: z.preprocess(blankToUndefined, z.string().max(100).default(ru.shop.name)),
  SANDBOX_NOTIFY_URL: z.preprocess(blankToUndefined, z.url().optional()),
  SANDBOX_BILL_TIMEOUT_SECONDS: z.preprocess(blankToUndefined, positiveInt.default(1200)),
  SANDBOX_NOTIFY_INTERVAL_MS: z.preprocess(blankToUndefined, positiveInt.default(60_000)),
  SANDBOX_NOTIFY_TIMEOUT_MS: z.preprocess(blankToUndefined, positiveInt.default(15_000)),
  SANDBOX_HANG_MS: z.preprocess(blankToUndefined, positiveInt.default(60_000)),
  SANDBOX_FAULTS: z.preprocess(blankToUndefined, z.enum(['0', '1', 'true', 'false']).optional()),
  SANDBOX_ACTION_REPLY: z.preprocess(
    blankToUndefined,
    z.enum(['documented', 'flat', 'nested']).default('documented'),
  ),
  SANDBOX_LEGACY_ACTION_REPLY: z.preprocess(blankToUndefined, z.enum(['bare', 'items']).default('bare')),
  SANDBOX_REPORT_SHAPE: z.preprocess(blankToUndefined, z.enum(REPORT_SHAPES).default('payment')),
});

export type SandboxConfigResult = { ok: true; config: SandboxConfig } | { ok: false; error: string };

/** Reads the sandbox configuration from the environment (process.env by default). */
export function parseSandboxConfig(
  env: Record<string, string | undefined> = process.env,
): SandboxConfigResult {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, error: `invalid sandbox configuration: ${z.prettifyError(parsed.error)}` };
  }
  const e = parsed.data;
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/+$/, '');
  // Mirrors the shop's rule (lib/env.ts): without a merchant id everything is the demo merchant; with
  // one, the given credentials count, and a missing secret word means the merchant has none.
  const merchantId = e.ASSIST_MERCHANT_ID ?? e.ASSIST_SHOP_IDP;
  return {
    ok: true,
    config: {
      merchantId: merchantId ?? DEMO_MERCHANT.merchantId,
      login: e.ASSIST_LOGIN ?? DEMO_MERCHANT.login,
      password: e.ASSIST_PASSWORD ?? DEMO_MERCHANT.password,
      secret: e.ASSIST_SECRET ?? (merchantId === undefined ? DEMO_MERCHANT.secret : ''),
      merchantName: e.SANDBOX_MERCHANT_NAME,
      notifyUrl: e.SANDBOX_NOTIFY_URL ?? `${appUrl}/api/assist/notify`,
      billTimeoutSeconds: e.SANDBOX_BILL_TIMEOUT_SECONDS,
      notifyIntervalMs: e.SANDBOX_NOTIFY_INTERVAL_MS,
      notifyTimeoutMs: e.SANDBOX_NOTIFY_TIMEOUT_MS,
      faultsEnabled: e.SANDBOX_FAULTS === '1' || e.SANDBOX_FAULTS === 'true',
      hangMs: e.SANDBOX_HANG_MS,
      actionReply: e.SANDBOX_ACTION_REPLY,
      legacyActionReply: e.SANDBOX_LEGACY_ACTION_REPLY,
      reportShape: e.SANDBOX_REPORT_SHAPE,
    },
  };
}

/** The environment's configuration with `overrides` on top; throws with a readable message when invalid. */
export function resolveSandboxConfig(
  overrides: Partial<SandboxConfig> = {},
  env: Record<string, string | undefined> = process.env,
): SandboxConfig {
  const base = parseSandboxConfig(env);
  if (!base.ok) throw new Error(base.error);
  return { ...base.config, ...overrides };
}
