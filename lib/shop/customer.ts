import { z } from 'zod';
import { assistKeeps, isCp1251 } from '@/lib/assist';

/**
 * The one rule for text ASSIST will see: it must survive windows-1251, the legacy protocol's charset
 * and the payment page's. Text that cannot (emoji, "ø", CJK) is refused at checkout with a clear
 * message, so what the customer typed is exactly what ASSIST receives, never silently mangled.
 */
export function isCp1251Safe(text: string): boolean {
  // Control characters are representable but no database text column or form field should carry them
  // (PostgreSQL refuses NUL outright).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
  if (/[\u0000-\u001f\u007f]/.test(text)) return false;
  return isCp1251(text);
}

export type CustomerFieldError = 'required' | 'too_long' | 'email' | 'phone' | 'charset' | 'characters';

/** The payment form's rule (lib/assist/form-rules.ts): text ASSIST would rewrite is refused here first. */
const keptByAssist = (v: string) => assistKeeps('text', v) === v;

const name = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'required')
    .max(max, 'too_long')
    .refine(isCp1251Safe, 'charset')
    .refine(keptByAssist, 'characters');

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'too_long')
    .refine(isCp1251Safe, 'charset')
    .refine(keptByAssist, 'characters')
    .transform((v) => (v === '' ? null : v));

/** Limits are ASSIST's (docs/assist-protocol.md §2): names ≤ 70, email ≤ 128, phone ≤ 20. */
const customerSchema = z.object({
  lastName: name(70),
  firstName: name(70),
  middleName: optionalText(70),
  email: z
    .string()
    .trim()
    .min(1, 'required')
    .max(128, 'too_long')
    .refine(keptByAssist, 'characters')
    .pipe(z.email('email')),
  phone: z
    .string()
    .trim()
    .max(20, 'too_long')
    .regex(/^(\+?[0-9 ()-]{5,20})?$/, 'phone')
    .transform((v) => (v === '' ? null : v.replace(/[^\d+]/g, ''))),
});

export type Customer = z.output<typeof customerSchema>;
export type CustomerInput = z.input<typeof customerSchema>;

export type CustomerResult =
  | { ok: true; customer: Customer }
  | { ok: false; errors: Partial<Record<keyof CustomerInput, CustomerFieldError>> };

export function parseCustomer(input: Record<string, unknown>): CustomerResult {
  const parsed = customerSchema.safeParse({
    lastName: String(input.lastName ?? ''),
    firstName: String(input.firstName ?? ''),
    middleName: String(input.middleName ?? ''),
    email: String(input.email ?? ''),
    phone: String(input.phone ?? ''),
  });
  if (parsed.success) return { ok: true, customer: parsed.data };
  const errors: Partial<Record<keyof CustomerInput, CustomerFieldError>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof CustomerInput;
    if (errors[field]) continue;
    const code = issue.message as CustomerFieldError;
    errors[field] = ['required', 'too_long', 'email', 'phone', 'charset', 'characters'].includes(code)
      ? code
      : 'required';
  }
  return { ok: false, errors };
}
