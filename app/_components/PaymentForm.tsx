import type { PaymentForm as Form } from '@/lib/assist';

/**
 * The hidden-field form that sends the customer to the gateway, exactly as the adapter built it: one
 * hidden input per field, the gateway's URL and the protocol's submission charset.
 */
export function PaymentForm({ form, submitLabel, id }: { form: Form; submitLabel: string; id?: string }) {
  return (
    <form id={id} method={form.method} action={form.action} acceptCharset={form.acceptCharset}>
      {form.fields.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </form>
  );
}
