import iconv from 'iconv-lite';
import { z } from 'zod';
import type { AssistConfig } from './config';
import type { FieldIssue, FormResult, PaymentFormInput } from './gateway';
import { MAX_KOPECKS } from './money';

/** True when every character survives a round trip through windows-1251. */
export function isCp1251(text: string): boolean {
  return iconv.decode(iconv.encode(text, 'win1251'), 'win1251') === text;
}

// Control characters would survive into a hidden input and into the signed X; refuse them outright.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match control characters
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

/**
 * Characters ASSIST silently removes from what the form sends (eng.docs.belassist.by page 26641290):
 * from OrderNumber, and from names, the comment and the other text fields. A removed character changes
 * the order number its replies and checkvalues carry, or the name and e-mail on the receipt, so such
 * text is refused before signing rather than sent and rewritten.
 */
const ASSIST_REMOVES = { orderNumber: /[<>'";]/g, text: /[<>"='/();]/g } as const;

/** The text as ASSIST keeps it. */
export function assistKeeps(kind: keyof typeof ASSIST_REMOVES, text: string): string {
  return text.replace(ASSIST_REMOVES[kind], '');
}

const REMOVED_MESSAGE = {
  orderNumber: 'must not contain < > \' " ; (ASSIST removes them)',
  text: 'must not contain < > " = \' / ( ) ; (ASSIST removes them)',
} as const;

/** Refuses text ASSIST would rewrite; the same rule for the payment form and the checkout. */
function keptAsIs<T extends z.ZodType<string>>(schema: T, kind: keyof typeof ASSIST_REMOVES) {
  return schema.refine((v) => assistKeeps(kind, v) === v, { message: REMOVED_MESSAGE[kind] });
}

/** OrderComment: 256 characters, the most conservative limit ASSIST documents. */
export const ORDER_COMMENT_MAX = 256;

/** A free-text form field of at most `max` characters, without control characters. */
export function formText(max: number) {
  return z
    .string()
    .max(max, { message: `at most ${max} characters` })
    .regex(NO_CONTROL, { message: 'must not contain control characters' });
}

/** A return URL (≤ 256 characters, http or https), built on the protocol's own text rule. */
function formUrl(text: (max: number) => z.ZodType<string>) {
  return text(256).refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), {
    message: 'must be an http(s) URL',
  });
}

/**
 * The payment form input both protocols validate, on the protocol's own text rule (the legacy form must
 * also fit windows-1251) and comment limit. Each protocol adds the payment methods it knows.
 */
export function paymentFormInputFields(plain: (max: number) => z.ZodString, commentMax: number) {
  const url = () => formUrl(plain);
  const text = (max: number) => keptAsIs(plain(max), 'text');
  const customer = z.object({
    lastName: text(70).optional(),
    firstName: text(70).optional(),
    middleName: text(70).optional(),
    email: keptAsIs(
      plain(128).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'must be an e-mail address' }),
      'text',
    ).optional(),
    phone: z
      .string()
      .regex(/^\+?\d{5,19}$/, { message: 'must be digits with an optional leading +, at most 20 characters' })
      .optional(),
    address: text(256).optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2,3}$/, { message: 'must be a 2- or 3-letter country code' })
      .optional(),
    state: z
      .string()
      .regex(/^[A-Za-z0-9]{1,3}$/, { message: 'at most 3 letters or digits' })
      .optional(),
    city: text(70).optional(),
    zip: text(25).optional(),
  });
  return {
    orderNumber: keptAsIs(plain(128).min(1, { message: 'is required' }), 'orderNumber'),
    amountKopecks: z
      .number()
      .int({ message: 'must be a whole number of kopecks' })
      .min(1, { message: 'must be positive' })
      .max(MAX_KOPECKS, { message: `at most ${MAX_KOPECKS} kopecks` }),
    currency: z.string().regex(/^[A-Z]{3}$/, { message: 'must be 3 capital letters, e.g. RUB' }),
    twoStage: z.boolean(),
    language: z.enum(['RU', 'EN']),
    returnUrl: url().optional(),
    returnUrlOk: url().optional(),
    returnUrlNo: url().optional(),
    comment: text(commentMax).optional(),
    customer: customer.optional(),
  };
}

type InvalidOrder = Extract<FormResult, { ok: false }>;

/**
 * Validates a payment form's input for either protocol: the schema, the customer fields mode 2 requires,
 * and any issues the protocol adds. Every issue is reported; the first one names the field.
 */
export function checkFormInput<T>(
  schema: z.ZodType<T>,
  input: PaymentFormInput,
  formMode: AssistConfig['formMode'],
  protocolIssues: FieldIssue[] = [],
): { ok: true; order: T } | InvalidOrder {
  const parsed = schema.safeParse(input);
  const issues: FieldIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const customer = input.customer ?? {};
  if (formMode === 2) {
    for (const key of ['lastName', 'firstName', 'email'] as const) {
      if (!customer[key]) issues.push({ field: `customer.${key}`, message: 'is required in form mode 2' });
    }
  }
  issues.push(...protocolIssues);
  const first = issues[0];
  if (first || !parsed.success) {
    return {
      ok: false,
      error: {
        kind: 'invalid_order',
        field: first?.field ?? '',
        message: first?.message ?? 'invalid',
        issues,
      },
    };
  }
  return { ok: true, order: parsed.data };
}
