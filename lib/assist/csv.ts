/**
 * The CSV form of the report (Format=1): `;`-separated with a header row. Its columns are not published
 * (docs/assist-protocol.md §9), so cells are mapped by header name to the XML field names where a name is known and
 * kept under their own header otherwise.
 */

export type CsvReplyResult =
  | { ok: true; firstCode: number; secondCode: number; rows: Array<Record<string, string>> }
  | { ok: false; error: string };

type Split = { ok: true; rows: string[][] } | { ok: false; error: string };

/** Scans one row that contains quotes, from `start`; returns the cells and where the next row starts. */
function quotedRow(text: string, start: number, separator: string): { row: string[]; next: number } | null {
  const row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === separator) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      return { row, next: ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1 };
    } else cell += ch;
  }
  if (quoted) return null;
  row.push(cell);
  return { row, next: text.length };
}

/** Splits `;`-separated text with optional "quoted" cells (doubled quotes inside) into rows. */
export function splitCsv(text: string, separator = ';'): Split {
  const rows: string[][] = [];
  let i = 0;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    const line = text.slice(i, end);
    // Most rows hold no quotes: split them directly, scan only the rest character by character.
    if (!line.includes('"')) {
      rows.push((line.endsWith('\r') ? line.slice(0, -1) : line).split(separator));
      i = end + 1;
      continue;
    }
    const r = quotedRow(text, i, separator);
    if (r === null) return { ok: false, error: `unterminated quoted cell at row ${rows.length + 1}` };
    rows.push(r.row);
    i = r.next;
  }
  return { ok: true, rows: rows.filter((r) => r.some((c) => c.trim() !== '')) };
}

function normalize(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Header spellings seen in ASSIST reports (current and legacy names) → the XML field names. */
const ALIASES: Record<string, string> = {
  ordernumber: 'ordernumber',
  billnumber: 'billnumber',
  paymentno: 'billnumber',
  orderstate: 'orderstate',
  orderamount: 'orderamount',
  ordertotal: 'orderamount',
  ordercurrency: 'ordercurrency',
  currencycode: 'ordercurrency',
  amount: 'amount',
  currency: 'currency',
  operationtype: 'operationtype',
  operationstate: 'operationstate',
  operationdate: 'operationdate',
  orderdate: 'orderdate',
  packetdate: 'packetdate',
  paketdate: 'packetdate',
  responsecode: 'responsecode',
  resultcode: 'responsecode',
  message: 'message',
  testmode: 'testmode',
  meannumber: 'meannumber',
  cardnumber: 'meannumber',
  approvalcode: 'approvalcode',
  meantypename: 'meantypename',
  cardholder: 'cardholder',
  lastname: 'lastname',
  firstname: 'firstname',
  middlename: 'middlename',
  email: 'email',
};

/** Parses a CSV reply: either the error row `error;<firstcode>;<secondcode>;` or a header plus rows. */
export function parseCsvReply(body: string): CsvReplyResult {
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, error: 'empty reply' };
  const split = splitCsv(text);
  if (!split.ok) return split;
  const [header, ...data] = split.rows;
  if (header === undefined) return { ok: false, error: 'empty reply' };
  if (header[0]?.trim().toLowerCase() === 'error') {
    const first = header[1]?.trim() ?? '';
    const second = header[2]?.trim() ?? '';
    if (!/^\d+$/.test(first) || !/^\d+$/.test(second)) return { ok: false, error: 'malformed error row' };
    return { ok: true, firstCode: Number(first), secondCode: Number(second), rows: [] };
  }
  // A trailing separator leaves an empty last header cell; it names nothing.
  const names = header.map((h) => h.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const keys = names.map((h) => ALIASES[normalize(h)] ?? h);
  if (!keys.includes('billnumber')) return { ok: false, error: 'no billnumber column in the header' };
  if (new Set(keys).size !== keys.length) return { ok: false, error: 'duplicate columns in the header' };
  const rows: Array<Record<string, string>> = [];
  for (const [i, cells] of data.entries()) {
    while (cells.length > keys.length && cells[cells.length - 1]?.trim() === '') cells.pop();
    if (cells.length !== keys.length) {
      return { ok: false, error: `row ${i + 2}: ${cells.length} cells for ${keys.length} columns` };
    }
    const row: Record<string, string> = {};
    for (const [j, key] of keys.entries()) row[key] = (cells[j] ?? '').trim();
    rows.push(row);
  }
  return { ok: true, firstCode: 0, secondCode: 0, rows };
}
