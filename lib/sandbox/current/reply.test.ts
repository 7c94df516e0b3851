import { describe, expect, it } from 'vitest';
import { formatGmt, readWindow, windowWidthMs } from '../dates';
import { escapeXml, renderReply } from './reply';

const fields = (o: Record<string, string>) =>
  new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));

describe('replies', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"\'\u0001\tz')).toBe('a&#60;b&#62;&#38;&#34;&#39;\tz');
  });

  it('renders CSV and <payment> rows as one flat row per operation, with quoting and error rows', async () => {
    const reply = {
      firstcode: 0,
      secondcode: 0,
      orders: [
        {
          fields: [
            ['billnumber', '1'],
            ['ordercomment', 'a;"b"'],
          ] as Array<[string, string]>,
          operations: [
            [
              ['billnumber', '1.1'],
              ['amount', '1.00'],
            ] as Array<[string, string]>,
          ],
        },
      ],
    };
    expect(await renderReply(1, reply).text()).toBe('billnumber;ordercomment;amount\n1.1;"a;""b""";1.00\n');
    const payment = await renderReply(3, { ...reply, rows: 'payment' }).text();
    expect(payment).toContain('count="1"');
    expect(payment).toContain(
      '<payment><billnumber>1.1</billnumber><ordercomment>a;&#34;b&#34;</ordercomment><amount>1.00</amount></payment>',
    );
    expect(await renderReply(1, { firstcode: 7, secondcode: 102, orders: [] }).text()).toBe('error;7;102;\n');
    expect(await renderReply(3, { firstcode: 7, secondcode: 102, orders: [] }).text()).toContain(
      '<result firstcode="7" secondcode="102" count="0">',
    );
  });
});

describe('dates', () => {
  const now = new Date('2026-11-27T10:30:15Z');
  it('formats GMT as dd.mm.yyyy hh:mm:ss', () => {
    expect(formatGmt(new Date('2026-01-02T03:04:05Z'))).toBe('02.01.2026 03:04:05');
  });
  it('reads windows with defaults and refuses impossible dates', () => {
    const def = readWindow(fields({}), now, 3_600_000);
    expect(def.ok && [def.window.start.toISOString(), def.window.end.toISOString()]).toEqual([
      '2026-11-27T09:30:15.000Z',
      '2026-11-27T10:30:15.000Z',
    ]);
    const day = readWindow(
      fields({
        StartYear: '2026',
        StartMonth: '2',
        StartDay: '1',
        EndYear: '2026',
        EndMonth: '2',
        EndDay: '1',
      }),
      now,
      0,
    );
    expect(day.ok && day.window.end.toISOString()).toBe('2026-02-01T23:59:59.999Z');
    expect(day.ok && windowWidthMs(day.window)).toBe(23 * 3_600_000 + 59 * 60_000);
    expect(readWindow(fields({ StartYear: '2026', StartMonth: '2', StartDay: '30' }), now, 0).ok).toBe(false);
    expect(readWindow(fields({ StartYear: '2026', StartMonth: 'x', StartDay: '1' }), now, 0).ok).toBe(false);
    expect(readWindow(fields({ StartYear: '2026' }), now, 0).ok).toBe(false);
  });
});
