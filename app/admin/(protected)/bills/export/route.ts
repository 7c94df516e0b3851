import { getStaffAccess, loginPath } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';
import { exportBillsCsv } from '@/lib/payments/bill-queries/export';
import { parseBillFilters } from '@/lib/payments/bill-queries/list';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /admin/bills/export: the filtered bill list as CSV. Route handlers are outside the protected
 * layout's reach, so the session and role are checked here.
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const access = await getStaffAccess('viewer');
  if (!access.ok) {
    if (access.error === 'forbidden') return new Response('Forbidden', { status: 403 });
    const back = `/admin/bills${url.search}`;
    return new Response(null, { status: 303, headers: { Location: loginPath(back) } });
  }
  const filters = parseBillFilters(Object.fromEntries(url.searchParams));
  const db = await getDb();
  const lines = exportBillsCsv(db, filters);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    // A BOM so that Excel reads the file as UTF-8 (Cyrillic messages).
    start(controller) {
      controller.enqueue(encoder.encode('\ufeff'));
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="bills-${stamp}.csv"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
