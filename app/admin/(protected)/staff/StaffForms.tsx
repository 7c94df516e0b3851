'use client';

import { useActionState } from 'react';
import type { StaffRole } from '@/lib/admin/schema';
import { type Dictionary, fill } from '@/lib/i18n';
import { changeStaffAction, createStaffAction, type StaffFormError, type StaffFormState } from './actions';

type T = Dictionary['admin'];
const IDLE: StaffFormState = { kind: 'idle' };

function errorText(error: StaffFormError, t: T['staff']): string {
  switch (error) {
    case 'forbidden':
    case 'invalid_form':
    case 'invalid_email':
    case 'invalid_role':
    case 'duplicate_email':
    case 'not_found':
    case 'self':
    case 'last_admin':
    case 'unchanged':
      return t.errors[error];
    default: {
      const unhandled: never = error;
      return unhandled;
    }
  }
}

/** What the last submit did; a new password is shown here once and never again. */
function Outcome({ state, t }: { state: StaffFormState; t: T['staff'] }) {
  switch (state.kind) {
    case 'idle':
      return null;
    case 'error':
      return (
        <p className="admin-error" role="alert" data-testid="staff-result">
          {errorText(state.error, t)}
        </p>
      );
    case 'created':
    case 'changed':
      return (
        <div className="admin-success" role="status" data-testid="staff-result">
          <p>
            {fill(state.kind === 'created' ? t.results.created : t.results.changed, { email: state.email })}
          </p>
          {state.password ? (
            <p>
              {fill(t.results.password, { email: state.email })}{' '}
              <code data-testid="staff-password">{state.password}</code>
              <br />
              {t.results.passwordNote}
            </p>
          ) : null}
        </div>
      );
    default: {
      const unhandled: never = state;
      return String(unhandled);
    }
  }
}

export function CreateStaffForm({ t }: { t: T }) {
  const [state, action, pending] = useActionState(createStaffAction, IDLE);
  const s = t.staff;
  return (
    <form
      action={action}
      className="admin-filters"
      aria-labelledby="staff-create-title"
      data-testid="staff-create"
    >
      <h2 id="staff-create-title">{s.createTitle}</h2>
      <div className="admin-field">
        <label htmlFor="staff-email">{s.email}</label>
        <input id="staff-email" name="email" type="email" required maxLength={254} autoComplete="off" />
      </div>
      <div className="admin-field">
        <label htmlFor="staff-role">{s.role}</label>
        <select id="staff-role" name="role" defaultValue="viewer">
          <option value="viewer">{t.roles.viewer}</option>
          <option value="admin">{t.roles.admin}</option>
        </select>
      </div>
      <div className="admin-filter-buttons">
        <button type="submit" className="button" disabled={pending}>
          {pending ? s.pending : s.create}
        </button>
      </div>
      <Outcome state={state} t={s} />
    </form>
  );
}

/** One person's buttons: only the changes that apply to their current state are offered. */
export function StaffRowActions({
  member,
  t,
}: {
  member: { id: number; email: string; role: StaffRole; disabled: boolean };
  t: T;
}) {
  const [state, action, pending] = useActionState(changeStaffAction, IDLE);
  const s = t.staff;
  const other: StaffRole = member.role === 'admin' ? 'viewer' : 'admin';
  return (
    <div className="admin-inline-buttons">
      <form action={action} className="admin-inline-form">
        <input type="hidden" name="staffId" value={member.id} />
        <input type="hidden" name="kind" value="role" />
        <input type="hidden" name="role" value={other} />
        <button type="submit" className="button secondary" disabled={pending}>
          {s.saveRole}: {t.roles[other]}
        </button>
      </form>
      <form action={action} className="admin-inline-form">
        <input type="hidden" name="staffId" value={member.id} />
        <input type="hidden" name="kind" value={member.disabled ? 'enable' : 'disable'} />
        <button type="submit" className="button secondary" disabled={pending}>
          {member.disabled ? s.enable : s.disable}
        </button>
      </form>
      <form action={action} className="admin-inline-form">
        <input type="hidden" name="staffId" value={member.id} />
        <input type="hidden" name="kind" value="reset_password" />
        <button type="submit" className="button secondary" disabled={pending}>
          {s.resetPassword}
        </button>
      </form>
      <Outcome state={state} t={s} />
    </div>
  );
}
