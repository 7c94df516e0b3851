'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getStaffAccess, loginPath } from '@/lib/admin/auth';
import { STAFF_ROLES } from '@/lib/admin/schema';
import { type CreateStaffError, createStaff } from '@/lib/admin/staff';
import { changeStaff, type StaffChangeError } from '@/lib/admin/staff-management';
import { getDb } from '@/lib/db/client';

export type StaffFormError = 'forbidden' | 'invalid_form' | CreateStaffError | StaffChangeError;
export type StaffFormState =
  | { kind: 'idle' }
  | { kind: 'created' | 'changed'; email: string; password: string | null }
  | { kind: 'error'; error: StaffFormError };

const PAGE = '/admin/staff';

async function administrator() {
  const access = await getStaffAccess('admin');
  if (!access.ok && access.error === 'signed_out') redirect(loginPath(PAGE));
  return access;
}

const createForm = z.object({ email: z.string().max(254), role: z.enum(STAFF_ROLES) });

export async function createStaffAction(
  _previous: StaffFormState,
  formData: FormData,
): Promise<StaffFormState> {
  const access = await administrator();
  if (!access.ok) return { kind: 'error', error: 'forbidden' };
  const parsed = createForm.safeParse({ email: formData.get('email'), role: formData.get('role') });
  if (!parsed.success) return { kind: 'error', error: 'invalid_form' };
  const created = await createStaff(await getDb(), parsed.data, access.staff);
  if (!created.ok) return { kind: 'error', error: created.error };
  revalidatePath(PAGE);
  return { kind: 'created', email: created.staff.email, password: created.password };
}

const changeForm = z.discriminatedUnion('kind', [
  z.object({ staffId: z.coerce.number().int().positive(), kind: z.literal('disable') }),
  z.object({ staffId: z.coerce.number().int().positive(), kind: z.literal('enable') }),
  z.object({ staffId: z.coerce.number().int().positive(), kind: z.literal('reset_password') }),
  z.object({
    staffId: z.coerce.number().int().positive(),
    kind: z.literal('role'),
    role: z.enum(STAFF_ROLES),
  }),
]);

export async function changeStaffAction(
  _previous: StaffFormState,
  formData: FormData,
): Promise<StaffFormState> {
  const access = await administrator();
  if (!access.ok) return { kind: 'error', error: 'forbidden' };
  const parsed = changeForm.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) return { kind: 'error', error: 'invalid_form' };
  const { staffId, ...change } = parsed.data;
  const result = await changeStaff(await getDb(), staffId, change, access.staff);
  if (!result.ok) return { kind: 'error', error: result.error };
  revalidatePath(PAGE);
  return { kind: 'changed', email: result.email, password: result.password };
}
