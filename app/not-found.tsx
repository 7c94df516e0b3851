import { getT } from '@/lib/i18n/server';

export default async function NotFound() {
  const t = await getT();
  return (
    <section>
      <h1>{t.errors.notFoundTitle}</h1>
      <p>{t.errors.notFoundText}</p>
    </section>
  );
}
