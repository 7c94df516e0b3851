'use client';

import { useActionState } from 'react';
import type { Dictionary } from '@/lib/i18n';
import type { CustomerInput } from '@/lib/shop/customer';
import { type CheckoutState, placeOrderAction } from './actions';

const initial: CheckoutState = { values: {}, fieldErrors: {}, formError: null };

type Field = { name: keyof CustomerInput; type: string; autoComplete: string; required: boolean };

const FIELDS: Field[] = [
  { name: 'lastName', type: 'text', autoComplete: 'family-name', required: true },
  { name: 'firstName', type: 'text', autoComplete: 'given-name', required: true },
  { name: 'middleName', type: 'text', autoComplete: 'additional-name', required: false },
  { name: 'email', type: 'email', autoComplete: 'email', required: true },
  { name: 'phone', type: 'tel', autoComplete: 'tel', required: false },
];

export function CheckoutForm({ t }: { t: Pick<Dictionary, 'checkout'> }) {
  const [state, action, pending] = useActionState(placeOrderAction, initial);
  return (
    <form action={action} className="form-grid" noValidate>
      {state.formError ? (
        <p className="alert error" role="alert">
          {t.checkout.errors[state.formError]}
        </p>
      ) : null}
      {FIELDS.map((f) => {
        const error = state.fieldErrors[f.name];
        const id = `checkout-${f.name}`;
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{t.checkout[f.name]}</label>
            <input
              id={id}
              name={f.name}
              type={f.type}
              autoComplete={f.autoComplete}
              required={f.required}
              defaultValue={state.values[f.name] ?? ''}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            {error ? (
              <p className="field-error" id={`${id}-error`}>
                {t.checkout.fieldErrors[error]}
              </p>
            ) : null}
          </div>
        );
      })}
      <button type="submit" className="button" disabled={pending} aria-busy={pending}>
        {pending ? t.checkout.submitting : t.checkout.submit}
      </button>
    </form>
  );
}
