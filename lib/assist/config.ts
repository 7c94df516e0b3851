import { z } from 'zod';
import {
  DEFAULT_FISCAL_CODES,
  type FiscalCodes,
  PAYMENT_SUBJECTS,
  type PaymentSubject,
  rateAllowed,
  TAXATION_SYSTEMS,
  type TaxationSystem,
  VAT_RATES,
  type VatRate,
} from './cheque';

export const TEST_SERVER = 'https://payments.demo.paysecure.ru';
export const PRODUCTION_SERVER = 'https://payments.paysecure.ru';
/** The legacy (2010) protocol's hosts (docs/assist-protocol.md §1). */
const LEGACY_TEST_SERVER = 'https://test.assist.ru';
const LEGACY_PRODUCTION_SERVER = 'https://secure.assist.ru';

export type AssistProtocol = 'current' | 'legacy';

export interface AssistConfig {
  merchantId: string;
  login: string;
  password: string;
  /** The cabinet's secret word; null means notifications cannot be verified and must be re-read. */
  secret: string | null;
  testMode: boolean;
  /** Base URL without a trailing slash. */
  server: string;
  formMode: 1 | 2;
  timeoutMs: number;
  holdWarningDays: number;
  /** `ASSIST_PROTOCOL`; absent means `current`, so configs written before the legacy adapter stay valid. */
  protocol?: AssistProtocol;
  /**
   * Legacy only: the `DemoResult` AS code sent in test mode (`ASSIST_DEMO_RESULT`). Unset sends none, so
   * the test gateway's own test cards decide the outcome; never sent in production.
   */
  demoResult?: string;
  /**
   * `ORDER_NUMBER_PREFIX`: the shop's order numbers are this prefix and digits. A notification whose
   * order number is not in that grammar is not about one of our orders (nor a well-formed signed field).
   */
  orderNumberPrefix?: string;
  /** `ASSIST_FISCAL=1`: 54-FZ receipts ride with payments, charges and refunds. Current protocol only. */
  fiscal?: FiscalConfig;
}

/** The shop-wide receipt settings (README "Fiscal receipts (54-FZ)"). */
export interface FiscalConfig {
  taxation: TaxationSystem;
  /** For products that name no rate or subject of their own. */
  defaultVat: VatRate;
  defaultSubject: PaymentSubject;
  codes: FiscalCodes;
  /** The refund-receipt service's path: the public page gives its parameters, not a path we could confirm. */
  refundPath: string;
  fullCalculationPath: string;
}

export type AssistConfigResult = { ok: true; config: AssistConfig } | { ok: false; errors: string[] };

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** `true/false/1/0/yes/no/on/off`, case-insensitive. */
const envBoolean = z.string().refine((v) => TRUE.has(v.toLowerCase()) || FALSE.has(v.toLowerCase()), {
  message: 'expects true or false (1/0, yes/no)',
});

/** ASSIST keeps Merchant_ID in a signed 32-bit integer. */
const MAX_MERCHANT_ID = 2_147_483_647;

const envMerchantId = z
  .string()
  .regex(/^\d{1,10}$/, { message: 'expects the numeric merchant id' })
  .refine((v) => Number(v) >= 1 && Number(v) <= MAX_MERCHANT_ID, {
    message: `expects the numeric merchant id, 1..${MAX_MERCHANT_ID}`,
  });

const envServer = z.string().refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), {
  message: 'expects an http(s) URL such as https://payments.paysecure.ru',
});

function envInt(min: number, max: number, what: string) {
  return z
    .string()
    .regex(/^\d+$/, { message: `expects ${what}` })
    .refine(
      (v) => {
        const n = Number(v);
        return n >= min && n <= max;
      },
      { message: `expects ${what} between ${min} and ${max}` },
    );
}

const envTimeoutMs = envInt(100, 600_000, 'a timeout in milliseconds');
const envHoldWarningDays = envInt(1, 365, 'a number of days');
const envProtocol = z.enum(['current', 'legacy'], {
  message: 'expects current (payments.paysecure.ru) or legacy (the 2010 secure.assist.ru protocol)',
});
const envDemoResult = z.string().regex(/^AS\d{3}$/, { message: 'expects an AS code such as AS000' });
const envFormMode = z.enum(['1', '2'], {
  message: 'expects 1 (order data only) or 2 (with customer)',
});

/** Treats empty strings as unset: deploy tools often export `VAR=` for "not configured". */
function read(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/**
 * Reads ASSIST_* variables. Every problem is reported (not just the first), each naming the variable.
 * Defaults for a sandbox are the app's business: it fills the env it passes here.
 */
export function parseAssistConfig(env: Record<string, string | undefined>): AssistConfigResult {
  const errors: string[] = [];

  function check<T>(name: string, schema: z.ZodType<T>, value: string | undefined): T | undefined {
    if (value === undefined) return undefined;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    errors.push(`${name}: ${r.error.issues[0]?.message ?? 'invalid value'}`);
    return undefined;
  }

  function required(name: string, value: string | undefined, what: string): string | undefined {
    if (value === undefined) errors.push(`${name}: is required, expects ${what}`);
    return value;
  }

  const current = read(env, 'ASSIST_MERCHANT_ID');
  const legacy = read(env, 'ASSIST_SHOP_IDP');
  let merchantId: string | undefined;
  if (current !== undefined && legacy !== undefined && current !== legacy) {
    errors.push('ASSIST_MERCHANT_ID: differs from ASSIST_SHOP_IDP; set only one of them');
  } else if (current === undefined && legacy === undefined) {
    errors.push(
      'ASSIST_MERCHANT_ID: is required (or the legacy ASSIST_SHOP_IDP), expects the numeric merchant id',
    );
  } else {
    merchantId = check(
      current !== undefined ? 'ASSIST_MERCHANT_ID' : 'ASSIST_SHOP_IDP',
      envMerchantId,
      current ?? legacy,
    );
  }

  const login = required('ASSIST_LOGIN', read(env, 'ASSIST_LOGIN'), 'the web-service login');
  const password = required('ASSIST_PASSWORD', read(env, 'ASSIST_PASSWORD'), 'the web-service password');
  const secret = read(env, 'ASSIST_SECRET') ?? null;
  const testModeRaw = check('ASSIST_TEST_MODE', envBoolean, read(env, 'ASSIST_TEST_MODE'));
  const testMode = testModeRaw !== undefined && TRUE.has(testModeRaw.toLowerCase());
  const serverRaw = check('ASSIST_SERVER', envServer, read(env, 'ASSIST_SERVER'));
  const formMode = check('ASSIST_FORM_MODE', envFormMode, read(env, 'ASSIST_FORM_MODE'));
  const timeoutMs = check('ASSIST_TIMEOUT_MS', envTimeoutMs, read(env, 'ASSIST_TIMEOUT_MS'));
  const protocol = check('ASSIST_PROTOCOL', envProtocol, read(env, 'ASSIST_PROTOCOL')?.toLowerCase());
  const demoResult = check(
    'ASSIST_DEMO_RESULT',
    envDemoResult,
    read(env, 'ASSIST_DEMO_RESULT')?.toUpperCase(),
  );
  const holdDays = check(
    'ASSIST_HOLD_WARNING_DAYS',
    envHoldWarningDays,
    read(env, 'ASSIST_HOLD_WARNING_DAYS'),
  );

  const orderNumberPrefix = check(
    'ORDER_NUMBER_PREFIX',
    z.string().regex(/^[A-Za-z0-9-]{1,16}$/, { message: 'expected 1-16 letters, digits or dashes' }),
    read(env, 'ORDER_NUMBER_PREFIX'),
  );
  const fiscalOn = check('ASSIST_FISCAL', envBoolean, read(env, 'ASSIST_FISCAL'));
  const fiscal =
    fiscalOn !== undefined && TRUE.has(fiscalOn.toLowerCase())
      ? parseFiscal(env, errors, protocol === 'legacy')
      : undefined;

  if (errors.length > 0 || merchantId === undefined || login === undefined || password === undefined) {
    return { ok: false, errors };
  }
  // ASSIST_SERVER wins in every mode: django-assist-ru ignored it in test mode, which made a local
  // gateway impossible to point at.
  const isLegacy = protocol === 'legacy';
  const defaultServer = isLegacy
    ? testMode
      ? LEGACY_TEST_SERVER
      : LEGACY_PRODUCTION_SERVER
    : testMode
      ? TEST_SERVER
      : PRODUCTION_SERVER;
  const server = (serverRaw ?? defaultServer).replace(/\/+$/, '');
  return {
    ok: true,
    config: {
      merchantId,
      login,
      password,
      secret,
      testMode,
      server,
      formMode: formMode === '2' ? 2 : 1,
      timeoutMs: timeoutMs === undefined ? 30_000 : Number(timeoutMs),
      holdWarningDays: holdDays === undefined ? 14 : Number(holdDays),
      // Only set when chosen, so that the current protocol's config is exactly what it was.
      ...(isLegacy ? { protocol: 'legacy' as const } : {}),
      ...(demoResult !== undefined ? { demoResult } : {}),
      ...(orderNumberPrefix !== undefined ? { orderNumberPrefix } : {}),
      ...(fiscal ? { fiscal } : {}),
    },
  };
}

const jsonObject = (name: string, text: string | undefined, errors: string[]): Record<string, unknown> => {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  errors.push(`${name}: expects a JSON object`);
  return {};
};

/** `ASSIST_FISCAL_*`: every problem reported, as for the other variables. */
function parseFiscal(
  env: Record<string, string | undefined>,
  errors: string[],
  legacy: boolean,
): FiscalConfig | undefined {
  if (legacy) {
    errors.push(
      'ASSIST_FISCAL: fiscal receipts (54-FZ) need the current protocol; the legacy 2010 protocol has no ' +
        'receipt fields. Unset ASSIST_FISCAL or set ASSIST_PROTOCOL=current',
    );
    return undefined;
  }
  const before = errors.length;
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const v = read(env, name);
    if (v === undefined) return fallback;
    if ((values as readonly string[]).includes(v)) return v as T;
    errors.push(`${name}: expects one of ${values.join(', ')}`);
    return fallback;
  };
  const taxation = oneOf('ASSIST_FISCAL_TAXATION', TAXATION_SYSTEMS, 'osn');
  const defaultVat = oneOf('ASSIST_FISCAL_DEFAULT_VAT', VAT_RATES, taxation === 'osn' ? '22' : 'none');
  const defaultSubject = oneOf('ASSIST_FISCAL_DEFAULT_SUBJECT', PAYMENT_SUBJECTS, 'goods');
  if (!rateAllowed(taxation, defaultVat))
    errors.push(`ASSIST_FISCAL_DEFAULT_VAT: ${defaultVat} is not a rate of taxation system ${taxation}`);
  const tax = { ...DEFAULT_FISCAL_CODES.tax };
  for (const [k, v] of Object.entries(
    jsonObject('ASSIST_FISCAL_TAX_CODES', read(env, 'ASSIST_FISCAL_TAX_CODES'), errors),
  )) {
    if (!(VAT_RATES as readonly string[]).includes(k) || typeof v !== 'string' || !/^[\w-]{1,10}$/.test(v))
      errors.push(
        `ASSIST_FISCAL_TAX_CODES: ${k} must be one of ${VAT_RATES.join(', ')} with a code of 1-10 letters`,
      );
    else tax[k as VatRate] = v;
  }
  const fpmode = { ...DEFAULT_FISCAL_CODES.fpmode };
  for (const [k, v] of Object.entries(
    jsonObject('ASSIST_FISCAL_FPMODES', read(env, 'ASSIST_FISCAL_FPMODES'), errors),
  )) {
    if ((k !== 'full_payment' && k !== 'full_prepayment') || !Number.isInteger(v))
      errors.push('ASSIST_FISCAL_FPMODES: expects {"full_payment": <int>, "full_prepayment": <int>}');
    else fpmode[k] = v as number;
  }
  const path = (name: string, fallback: string) => {
    const v = read(env, name) ?? fallback;
    if (/^\/[\w./-]+$/.test(v)) return v;
    errors.push(`${name}: expects a path such as ${fallback}`);
    return fallback;
  };
  const refundPath = path('ASSIST_FISCAL_REFUND_PATH', '/fiscal/receipt.cfm');
  const fullCalculationPath = path('ASSIST_FISCAL_FULL_CALCULATION_PATH', '/fiscal/fullcalculation.cfm');
  if (errors.length > before) return undefined;
  return {
    taxation,
    defaultVat,
    defaultSubject,
    codes: { ...DEFAULT_FISCAL_CODES, tax, fpmode },
    refundPath,
    fullCalculationPath,
  };
}
