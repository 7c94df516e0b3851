import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createCsvReplyReader, createCsvSplitter, parseCsvReply, splitCsv } from './csv';
import { REPORT_CSV } from './current/fixtures';

describe('splitCsv', () => {
  it('handles quotes, doubled quotes, separators inside quotes and CRLF', () => {
    expect(splitCsv('a;"b;c";"d ""e"""\r\nf;g;h\n')).toEqual({
      ok: true,
      rows: [
        ['a', 'b;c', 'd "e"'],
        ['f', 'g', 'h'],
      ],
    });
  });

  it('gives each row its own cells, whatever the lengths of the rows before it', () => {
    expect(splitCsv('a;b;c\nd\n"e";f;g;h\ni;j')).toEqual({
      ok: true,
      rows: [['a', 'b', 'c'], ['d'], ['e', 'f', 'g', 'h'], ['i', 'j']],
    });
  });

  it('refuses an unterminated quote', () => {
    expect(splitCsv('a;"b\nc')).toEqual({ ok: false, error: 'unterminated quoted cell at row 1' });
  });
});

describe('parseCsvReply', () => {
  it('maps columns by header name and keeps unknown columns under their own name', () => {
    const r = parseCsvReply(REPORT_CSV);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows).toHaveLength(3);
    expect(r.rows[1]).toMatchObject({
      ordernumber: 'A-1',
      billnumber: '5960911000000001.2',
      amount: '500.00',
      message: 'Возврат; частичный',
      lastname: 'Иванов',
      BankName: 'Сбербанк',
    });
    expect(r.rows[2]?.BankName).toBe('ВТБ "24"');
  });

  it('accepts legacy-style header spellings', () => {
    const r = parseCsvReply(
      'Order Number;Payment No.;Order State;Order Total;Currency Code;Paket date\nX;1;Approved;1.00;RUB;01.01.2020 00:00',
    );
    expect(r.ok && r.rows[0]).toEqual({
      ordernumber: 'X',
      billnumber: '1',
      orderstate: 'Approved',
      orderamount: '1.00',
      ordercurrency: 'RUB',
      packetdate: '01.01.2020 00:00',
    });
  });

  it('keeps a column named __proto__ out of the row, as assigning it to a plain object does', () => {
    const r = parseCsvReply('BillNumber;__proto__;Amount\n1;x;2.00\n3;y;4.00');
    expect(r.ok && r.rows).toEqual([
      { billnumber: '1', amount: '2.00' },
      { billnumber: '3', amount: '4.00' },
    ]);
    if (r.ok) for (const row of r.rows) expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });

  it('reads the error row', () => {
    expect(parseCsvReply('error;5;108;\r\n')).toEqual({ ok: true, firstCode: 5, secondCode: 108, rows: [] });
    expect(parseCsvReply('error;x;;').ok).toBe(false);
  });

  it('an empty report is a header without rows; an empty body is an error', () => {
    expect(parseCsvReply('OrderNumber;BillNumber;OrderState\r\n')).toEqual({
      ok: true,
      firstCode: 0,
      secondCode: 0,
      rows: [],
    });
    expect(parseCsvReply('')).toEqual({ ok: false, error: 'empty reply' });
    expect(parseCsvReply('\uFEFF  \n')).toEqual({ ok: false, error: 'empty reply' });
  });

  it('refuses ragged rows and headers without a billnumber', () => {
    expect(parseCsvReply('OrderNumber;BillNumber\nA;1;extra;cells')).toEqual({
      ok: false,
      error: 'row 2: 4 cells for 2 columns',
    });
    expect(parseCsvReply('<html>oops</html>')).toEqual({
      ok: false,
      error: 'no billnumber column in the header',
    });
    expect(parseCsvReply('BillNumber;Payment No\n1;2').ok).toBe(false);
  });
});

describe('createCsvReplyReader', () => {
  it('fills a spare row it is given back with the next row, every column anew', () => {
    const seen: string[] = [];
    const objects = new Set<Record<string, string>>();
    let spare: Record<string, string> | null = null;
    const reader = createCsvReplyReader(
      (row) => {
        seen.push(JSON.stringify(row));
        objects.add(row);
        spare = row.billnumber === '2' ? null : row;
        return null;
      },
      { spareRow: () => spare },
    );
    reader.write(Buffer.from('BillNumber;Amount;Message\n1;1.00;a\n2;2.00;\n3;;"c"\n4;4.00;d'));
    expect(reader.end()).toEqual({ ok: true, codes: { firstCode: 0, secondCode: 0 } });
    expect(seen).toEqual([
      '{"billnumber":"1","amount":"1.00","message":"a"}',
      '{"billnumber":"2","amount":"2.00","message":""}',
      '{"billnumber":"3","amount":"","message":"c"}',
      '{"billnumber":"4","amount":"4.00","message":"d"}',
    ]);
    // Row 1 was given back for row 2, row 2 was kept, row 3 was new and given back for row 4.
    expect(objects.size).toBe(2);
  });
});

describe('createCsvSplitter', () => {
  /** Splits the bytes of `text` fed in the given pieces. */
  function rows(text: string | Buffer, cuts: number[], charset?: string): string[][] | { error: string } {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    const out: string[][] = [];
    const splitter = createCsvSplitter(
      (cells) => {
        out.push([...cells]);
        return null;
      },
      { charset },
    );
    const at = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
    for (let i = 1; i < at.length; i++) {
      const error = splitter.write(bytes.subarray(at[i - 1], at[i]));
      if (error !== null) return { error };
    }
    const error = splitter.end();
    return error === null ? out : { error };
  }

  it('gives the same rows wherever the bytes are cut: in a quoted cell, a line end or a character', () => {
    const text = '\uFEFFa;"b;\r\nc";"d ""е"""\r\nЖ;g;h\r\n\r\nx;"y"\rz;w';
    const whole = rows(text, []);
    expect(whole).toEqual([
      ['a', 'b;\r\nc', 'd "е"'],
      ['Ж', 'g', 'h'],
      ['x', 'y'],
      ['z', 'w'],
    ]);
    const length = Buffer.byteLength(text);
    for (let i = 1; i < length; i++) expect(rows(text, [i]), `cut at ${i}`).toEqual(whole);
    expect(rows(text, [...Array(length).keys()])).toEqual(whole);
  });

  it('opens quotes only at a blank cell start and keeps what follows the closing quote', () => {
    const text = ' "ab"c;x"y";"";\u00a0"Ж""""";"q"\r\n';
    const whole = rows(text, []);
    expect(whole).toEqual([['abc', 'x"y"', '', 'Ж""', 'q']]);
    const length = Buffer.byteLength(text);
    for (let i = 1; i < length; i++) expect(rows(text, [i]), `cut at ${i}`).toEqual(whole);
  });

  it('gives every cell its own value when many short cells share cache slots', () => {
    // More distinct short cells than the decoding cache has slots, each seen twice and in both charsets.
    const values = Array.from({ length: 10_000 }, (_, i) => `${i % 2 ? 'Ж' : 'z'}${i.toString(36)}`);
    const text = values.map((v, i) => `${v};${values[(i * 7919) % values.length]};${v}`).join('\n');
    const expected = values.map((v, i) => [v, values[(i * 7919) % values.length], v]);
    expect(rows(text, [65_536])).toEqual(expected);
    expect(rows(iconv.encode(text, 'win1251'), [4_096], 'windows-1251')).toEqual(expected);
  });

  it('decodes the charset it is given and refuses an unterminated quote at the end', () => {
    expect(rows(iconv.encode('Заказ;"Сбер"\n', 'win1251'), [3], 'windows-1251')).toEqual([['Заказ', 'Сбер']]);
    expect(rows('a;"b\nc', [4])).toEqual({ error: 'unterminated quoted cell at row 1' });
    expect(rows('a;b', [], 'ebcdic')).toEqual({ error: 'unsupported charset "ebcdic"' });
  });
});
