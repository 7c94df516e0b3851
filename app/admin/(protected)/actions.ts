'use server';

import { redirect } from 'next/navigation';
import { clearSessionCookie, getClientMeta, getSessionToken, signOut } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';

export async function signOutAction(): Promise<void> {
  const token = await getSessionToken();
  if (token) await signOut(await getDb(), token, await getClientMeta());
  await clearSessionCookie();
  redirect('/admin/login');
}
