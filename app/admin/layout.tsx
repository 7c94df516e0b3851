import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './admin.css';

// Staff pages depend on the session cookie: never prerendered, never cached.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { robots: { index: false, follow: false } };

export default function AdminLayout({ children }: { children: ReactNode }) {
  return <div className="admin">{children}</div>;
}
