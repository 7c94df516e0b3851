/**
 * Parses a 50,000-operation ASSIST report in XML and in CSV, as it arrives in 64 KB chunks of bytes,
 * and maps it to bill records; prints whether the targets of issue #18 are met: at most 1 s, and a peak
 * heap growth of at most 3× the reply's size.
 * Run: npx tsx bench/assist-parse.ts. Each format runs in its own child process (with --expose-gc, so that
 * the baseline is measured after a collection) so that one format's garbage does not inflate the other's
 * peak memory. The reply's bytes are outside the heap, as a response body's chunks would be.
 * CPU time is printed beside wall time: on a loaded machine the wall time says more about the machine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { createBillReader } from '../lib/assist/current/replies';

const OPERATIONS = 50_000;
const BILLS = OPERATIONS / 2;
const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const TARGET_MS = 1000;
const TARGET_HEAP_RATIO = 3;

function date(i: number): string {
  const pad = (n: number) => n.toString().padStart(2, '0');
  return `01.10.2026 ${pad(Math.floor(i / 60) % 24)}:${pad(i % 60)}:${pad(i % 59)}`;
}

function billNumber(i: number): string {
  return (5960911000000000n + BigInt(i)).toString();
}

function xmlReport(): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<result firstcode="0" secondcode="0" count="',
    `${BILLS}">\n`,
  ];
  for (let i = 0; i < BILLS; i++) {
    const b = billNumber(i);
    parts.push(
      `<order><ordernumber>Заказ-${i}</ordernumber><billnumber>${b}</billnumber><orderamount> ${i % 100000}.00 </orderamount>`,
      `<ordercurrency>RUB</ordercurrency><orderstate>PartialCanceled</orderstate><packetdate>${date(i)}</packetdate>`,
      `<operation><billnumber>${b}.1</billnumber><operationtype>100</operationtype><operationstate>Success</operationstate>`,
      `<amount>${i % 100000}.00</amount><currency>RUB</currency><operationdate>${date(i)}</operationdate><responsecode>AS000</responsecode>`,
      `<message>Успешно</message><meannumber>411111******1111</meannumber></operation>`,
      `<operation><billnumber>${b}.2</billnumber><operationtype>300</operationtype><operationstate>Success</operationstate>`,
      `<amount>0.50</amount><currency>RUB</currency><operationdate>${date(i)}</operationdate><responsecode>AS000</responsecode>`,
      '<message>Возврат</message></operation></order>\n',
    );
  }
  parts.push('</result>\n');
  return parts.join('');
}

function csvReport(): string {
  const rows = [
    'OrderNumber;BillNumber;OrderState;OrderAmount;OrderCurrency;OperationType;OperationState;Amount;Currency;OperationDate;PacketDate;ResponseCode;Message;MeanNumber;BankName',
  ];
  for (let i = 0; i < BILLS; i++) {
    const b = billNumber(i);
    const common = `Заказ-${i};`;
    const tail = `${i % 100000}.00;RUB`;
    rows.push(
      `${common}${b}.1;PartialCanceled;${tail};100;Success;${i % 100000}.00;RUB;${date(i)};${date(i)};AS000;Успешно;411111******1111;Сбербанк`,
      `${common}${b}.2;PartialCanceled;${tail};300;Success;0.50;RUB;${date(i)};${date(i)};AS000;"Возврат; частичный";;Сбербанк`,
    );
  }
  return rows.join('\r\n');
}

/**
 * The report's bytes in chunks, cut without regard for characters, tags or rows. The text is made here,
 * so that no frame of `run` still holds it when the baseline is measured.
 */
function chunks(format: 'xml' | 'csv'): Buffer[] {
  const bytes = Buffer.from(format === 'xml' ? xmlReport() : csvReport());
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) out.push(Buffer.from(bytes.subarray(at, at + CHUNK)));
  return out;
}

// Cheaper than process.memoryUsage(), which reads the resident set size from the OS on every call.
const heapUsed = () => getHeapStatistics().used_heap_size;

function run(format: 'xml' | 'csv'): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const body = chunks(format);
  const inputBytes = body.reduce((n, c) => n + c.length, 0);
  gc();
  const heapBefore = heapUsed();
  let heapPeak = heapBefore;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const reader = createBillReader(format);
  for (const chunk of body) {
    if (reader.write(chunk) !== null) break;
    heapPeak = Math.max(heapPeak, heapUsed());
  }
  const result = reader.end();
  heapPeak = Math.max(heapPeak, heapUsed());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  if (!result.ok) throw new Error(`${format}: ${JSON.stringify(result.error)}`);
  gc();
  const heapKept = heapUsed() - heapBefore;
  console.log(
    JSON.stringify({
      format,
      inputMB: inputBytes / MB,
      bills: result.bills.length,
      operations: result.bills.reduce((n, b) => n + b.operations.length, 0),
      ms,
      cpuMs: (used.user + used.system) / 1000,
      heapPeakMB: (heapPeak - heapBefore) / MB,
      heapKeptMB: heapKept / MB,
    }),
  );
}

const format = process.argv[2];
if (format === 'xml' || format === 'csv') {
  run(format);
} else {
  for (const f of ['xml', 'csv']) {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), f],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
    const ratio = r.heapPeakMB / r.inputMB;
    const name = r.format.toUpperCase();
    console.log(
      `${name}: ${r.operations} operations in ${r.bills} bills from ${r.inputMB.toFixed(1)} MB: ` +
        `${Math.round(r.ms)} ms (CPU ${Math.round(r.cpuMs)} ms); heap peak +${r.heapPeakMB.toFixed(1)} MB ` +
        `(${ratio.toFixed(1)}× the reply), kept +${r.heapKeptMB.toFixed(1)} MB after GC`,
    );
    const verdict = (ok: boolean, ratioToTarget: number) =>
      `${ok ? 'met' : 'MISSED'} (${ratioToTarget.toFixed(2)}× the target)`;
    console.log(
      `${name} target time ≤ ${TARGET_MS} ms: ${verdict(r.ms <= TARGET_MS, r.ms / TARGET_MS)}; ` +
        `memory ≤ ${TARGET_HEAP_RATIO}× the reply: ${verdict(ratio <= TARGET_HEAP_RATIO, ratio / TARGET_HEAP_RATIO)}`,
    );
  }
}
