'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getClientMeta, type SignInError, safeReturnPath, setSessionCookie, signIn } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';

export type LoginError = 'invalid_input' | SignInError;
export type LoginState = { error: LoginError | null; email: string };

const loginForm = z.object({
  email: z.string().trim().max(254).pipe(z.email()),
  password: z.string().min(1).max(1024),
  next: z.string().max(2048).nullish(),
});

export async function signInAction(_previous: LoginState, formData: FormData): Promise<LoginState> {
  const typed = formData.get('email');
  const email = typeof typed === 'string' ? typed.slice(0, 254) : '';
  const parsed = loginForm.safeParse({
    email: formData.get('email'),
    password: formData.get('password'),
    next: formData.get('next'),
  });
  if (!parsed.success) return { error: 'invalid_input', email };
  const result = await signIn(await getDb(), {
    email: parsed.data.email,
    password: parsed.data.password,
    ...(await getClientMeta()),
  });
  if (!result.ok) return { error: result.error, email };
  await setSessionCookie(result.token, result.expiresAt);
  redirect(safeReturnPath(parsed.data.next));
}
