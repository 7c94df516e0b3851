'use client';

import { useActionState } from 'react';
import type { Dictionary } from '@/lib/i18n';
import { type LoginError, type LoginState, signInAction } from './actions';

type Text = Dictionary['admin']['login'];

function errorText(error: LoginError, t: Text): string {
  switch (error) {
    case 'invalid_input':
      return t.errors.invalid_input;
    case 'bad_credentials':
      return t.errors.bad_credentials;
    case 'rate_limited':
      return t.errors.rate_limited;
    default: {
      const unhandled: never = error;
      return unhandled;
    }
  }
}

export function LoginForm({ t, next }: { t: Text; next: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(signInAction, {
    error: null,
    email: '',
  });
  const invalid = state.error ? true : undefined;
  return (
    <form
      action={action}
      className="admin-form"
      noValidate
      aria-describedby={state.error ? 'login-error' : undefined}
    >
      {state.error ? (
        <p id="login-error" className="admin-error" role="alert" data-testid="login-error">
          {errorText(state.error, t)}
        </p>
      ) : null}
      <input type="hidden" name="next" value={next} />
      <div className="admin-field">
        <label htmlFor="login-email">{t.email}</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          maxLength={254}
          defaultValue={state.email}
          aria-invalid={invalid}
        />
      </div>
      <div className="admin-field">
        <label htmlFor="login-password">{t.password}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          aria-invalid={invalid}
        />
      </div>
      <button type="submit" className="button" disabled={pending} aria-busy={pending}>
        {pending ? t.pending : t.submit}
      </button>
    </form>
  );
}
