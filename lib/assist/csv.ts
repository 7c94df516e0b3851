import { type Decoder, decoderFor } from './charset';
import { type ChunkReader, readChunks } from './chunks';

/**
 * The CSV form of the report (Format=1): `;`-separated with a header row. Its columns are not published
 * (docs/assist-protocol.md §9), so cells are mapped by header name to the XML field names where a name is known and
 * kept under their own header otherwise.
 */

export type CsvReplyResult =
  | { ok: true; firstCode: number; secondCode: number; rows: Array<Record<string, string>> }
  | { ok: false; error: string };

type Split = { ok: true; rows: string[][] } | { ok: false; error: string };

const blank = (cell: string) => cell.trim() === '';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export type CsvSplitter = ChunkReader;

const CACHE_SLOTS = 4096;
// Bytes: a message of 32 Cyrillic letters (as long as the bills share, see intern.ts) takes 64 in UTF-8.
const CACHE_WIDTH = 64;

/**
 * Decodes short cells through a cache keyed by their bytes, so that a cell seen recently costs no new
 * string: a report repeats its states, codes, currencies, dates and names from row to row and from
 * column to column, and every bill keeps its row's strings. One slot per hash of the bytes (a newer cell
 * takes the slot), compared byte for byte, so a hit is always the string those bytes decode to.
 */
function cachedDecoder(decode: Decoder): Decoder {
  const keys = new Uint8Array(CACHE_SLOTS * CACHE_WIDTH);
  const lengths = new Uint8Array(CACHE_SLOTS);
  const values: string[] = new Array(CACHE_SLOTS).fill('');
  return (bytes, start, end) => {
    const n = end - start;
    if (n === 0) return '';
    if (n > CACHE_WIDTH) return decode(bytes, start, end);
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
    const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
    const base = slot * CACHE_WIDTH;
    if (lengths[slot] === n) {
      let i = 0;
      while (i < n && keys[base + i] === bytes[start + i]) i++;
      if (i === n) return values[slot] as string;
    }
    const value = decode(bytes, start, end);
    for (let i = 0; i < n; i++) keys[base + i] = bytes[start + i] as number;
    lengths[slot] = n;
    values[slot] = value;
    return value;
  };
}

/**
 * Splits `;`-separated bytes with optional "quoted" cells (doubled quotes inside) into rows as they
 * arrive, skipping blank rows. Separators, quotes and line ends are ASCII, so rows are found in the bytes
 * and each cell is decoded on its own: a character split across chunks is decoded whole, and no cell
 * holds on to a chunk. `onRow` is given the splitter's own array of cells, filled anew for the next row
 * (one array for a whole report rather than one per row): a caller that keeps the cells copies them.
 */
export function createCsvSplitter(
  onRow: (cells: string[]) => string | null,
  options: { charset?: string; separator?: string } = {},
): CsvSplitter {
  const separator = options.separator ?? ';';
  const separatorByte = separator.charCodeAt(0);
  const decoder = decoderFor(options.charset ?? 'utf-8');
  let failed: string | null =
    decoder === null ? `unsupported charset "${options.charset?.slice(0, 40)}"` : null;
  const decode = decoder === null ? null : cachedDecoder(decoder);
  let bytes: Buffer = Buffer.alloc(0);
  let scanned = 0;
  let rowNumber = 0;
  const cells: string[] = [];
  let count = 0;

  function cell(value: string): void {
    cells[count++] = value;
  }

  function emit(): void {
    rowNumber++;
    // Mostly the length it had: the array keeps its room.
    cells.length = count;
    if (cells.every(blank)) return;
    failed = onRow(cells);
  }

  /**
   * Scans one row that contains quotes from `pos`: a quote opens a quoted cell only where the cell so far
   * is blank, a doubled quote inside one is a quote, and the row ends at a CR, LF or CRLF outside quotes.
   * The row is found in the bytes and each cell decoded on its own (a cell is one piece unless it holds
   * a doubled quote or text after its closing quote), as for rows without quotes. Returns where the next
   * row starts, or -1 when the bytes end before the row does and more may come.
   */
  function quoted(pos: number, final: boolean): number {
    const dec = decode as Decoder;
    const len = bytes.length;
    count = 0;
    let done = ''; // the current cell's pieces before `from`
    let from = pos;
    let inQuotes = false;
    for (let i = pos; i < len; i++) {
      const b = bytes[i];
      if (inQuotes) {
        if (b !== QUOTE) continue;
        if (i + 1 === len && !final) return -1;
        const doubled = bytes[i + 1] === QUOTE;
        // A doubled quote keeps one of its two.
        done += dec(bytes, from, doubled ? i + 1 : i);
        inQuotes = doubled;
        from = doubled ? i + 2 : i + 1;
        if (doubled) i++;
      } else if (b === QUOTE && (done + dec(bytes, from, i)).trim() === '') {
        inQuotes = true;
        done = '';
        from = i + 1;
      } else if (b === separatorByte) {
        cell(done + dec(bytes, from, i));
        done = '';
        from = i + 1;
      } else if (b === LF || b === CR) {
        if (b === CR && i + 1 === len && !final) return -1;
        cell(done + dec(bytes, from, i));
        emit();
        return b === CR && bytes[i + 1] === LF ? i + 2 : i + 1;
      }
    }
    if (!final) return -1;
    if (inQuotes) {
      failed = `unterminated quoted cell at row ${rowNumber + 1}`;
      return len;
    }
    cell(done + dec(bytes, from, len));
    emit();
    return len;
  }

  function scan(chunk: Buffer, final: boolean): number {
    bytes = chunk;
    let pos = 0;
    const len = bytes.length;
    let quote = -1;
    while (pos < len && failed === null) {
      const lf = bytes.indexOf(LF, Math.max(pos, scanned));
      if (lf === -1 && !final) {
        scanned = len;
        break;
      }
      const end = lf === -1 ? len : lf;
      // One search finds the next quote for every row before it.
      if (quote < pos) {
        quote = bytes.indexOf(QUOTE, pos);
        if (quote === -1) quote = len;
      }
      if (quote < end) {
        const next = quoted(pos, final);
        if (next === -1) {
          scanned = 0;
          break;
        }
        pos = next;
      } else {
        const lineEnd = end > pos && bytes[end - 1] === CR ? end - 1 : end;
        count = 0;
        let from = pos;
        for (let at = bytes.indexOf(separatorByte, from); at !== -1 && at < lineEnd; ) {
          cell((decode as Decoder)(bytes, from, at));
          from = at + 1;
          at = bytes.indexOf(separatorByte, from);
        }
        cell((decode as Decoder)(bytes, from, lineEnd));
        emit();
        pos = lf === -1 ? len : lf + 1;
      }
      scanned = 0;
    }
    if (scanned > 0) scanned -= pos;
    return pos;
  }

  return readChunks({ scan, failure: () => failed, finish: () => null }, 'a CSV row');
}

/** Splits `;`-separated text with optional "quoted" cells (doubled quotes inside) into rows. */
export function splitCsv(text: string, separator = ';'): Split {
  const rows: string[][] = [];
  const splitter = createCsvSplitter(
    (cells) => {
      rows.push([...cells]);
      return null;
    },
    { separator },
  );
  splitter.write(Buffer.from(text));
  const error = splitter.end();
  return error === null ? { ok: true, rows } : { ok: false, error };
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

export type CsvCodes = { firstCode: number; secondCode: number };

export interface CsvReplyReader {
  write(chunk: Uint8Array): string | null;
  end(): { ok: true; codes: CsvCodes } | { ok: false; error: string };
}

/**
 * Reads a CSV reply as it arrives: either the error row `error;<firstcode>;<secondcode>;` or a header
 * plus rows, each row going to `onRow` keyed by field name as soon as it is complete. `spareRow` may give
 * back a row this reader gave `onRow` and nothing keeps any more, to be filled with the next row.
 */
export function createCsvReplyReader(
  onRow: (row: Record<string, string>) => string | null,
  options: { charset?: string; spareRow?: () => Record<string, string> | null } = {},
): CsvReplyReader {
  let keys: string[] | null = null;
  // A row with every column already in place, copied for each row. Read by JSON.parse, it holds its
  // properties in the object itself, and so do its copies; a row filled key by key from {} keeps all but
  // four in a separate store, which it outgrows three times on the way (24 bytes more a row, kept by
  // every bill, and 190 more of garbage).
  let template: Record<string, string> = {};
  let codes: CsvCodes | null = null;
  let data = 0;
  function header(cells: string[]): string | null {
    if (cells[0]?.trim().toLowerCase() === 'error') {
      const first = cells[1]?.trim() ?? '';
      const second = cells[2]?.trim() ?? '';
      if (!/^\d+$/.test(first) || !/^\d+$/.test(second)) return 'malformed error row';
      codes = { firstCode: Number(first), secondCode: Number(second) };
      keys = [];
      return null;
    }
    // A trailing separator leaves an empty last header cell; it names nothing.
    const names = cells.map((h) => h.trim());
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    const mapped = names.map((h) => ALIASES[normalize(h)] ?? h);
    if (!mapped.includes('billnumber')) return 'no billnumber column in the header';
    if (new Set(mapped).size !== mapped.length) return 'duplicate columns in the header';
    keys = mapped;
    // `__proto__` stays out: assigned to a row, it sets nothing, as it would on {}.
    const columns = mapped.filter((key) => key !== '__proto__').map((key) => [key, '']);
    template = JSON.parse(JSON.stringify(Object.fromEntries(columns)));
    codes = { firstCode: 0, secondCode: 0 };
    return null;
  }
  const splitter = createCsvSplitter((cells) => {
    if (keys === null) return header(cells);
    data++;
    // Rows after an error row are not read: the error is the answer.
    if (codes?.firstCode !== 0 || codes.secondCode !== 0) return null;
    while (cells.length > keys.length && cells[cells.length - 1]?.trim() === '') cells.pop();
    if (cells.length !== keys.length)
      return `row ${data + 1}: ${cells.length} cells for ${keys.length} columns`;
    const row = options.spareRow?.() ?? { ...template };
    for (let j = 0; j < keys.length; j++) row[keys[j] as string] = (cells[j] as string).trim();
    return onRow(row);
  }, options);
  return {
    write: (chunk) => splitter.write(chunk),
    end() {
      const error = splitter.end();
      if (error !== null) return { ok: false, error };
      return codes === null ? { ok: false, error: 'empty reply' } : { ok: true, codes };
    },
  };
}

/** Parses a whole CSV reply: either the error row or a header plus rows. */
export function parseCsvReply(body: string): CsvReplyResult {
  const rows: Array<Record<string, string>> = [];
  const reader = createCsvReplyReader((row) => {
    rows.push(row);
    return null;
  });
  reader.write(Buffer.from(body));
  const r = reader.end();
  if (!r.ok) return r;
  return { ok: true, ...r.codes, rows: r.codes.firstCode === 0 && r.codes.secondCode === 0 ? rows : [] };
}
