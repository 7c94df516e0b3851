/**
 * Parses a 50,000-operation ASSIST report in XML and in CSV and maps it to bill records.
 * Run: npx tsx bench/assist-parse.ts. Each format runs in its own child process so that one format's
 * garbage does not inflate the other's peak memory.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { billsFromCsv, billsFromXml } from '../lib/assist/current/replies';

const OPERATIONS = 50_000;
const BILLS = OPERATIONS / 2;
const MB = 1024 * 1024;

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

function run(format: 'xml' | 'csv'): void {
  const body = format === 'xml' ? xmlReport() : csvReport();
  const rssBefore = process.resourceUsage().maxRSS / 1024;
  const started = process.hrtime.bigint();
  const result = format === 'xml' ? billsFromXml(body) : billsFromCsv(body);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!result.ok) throw new Error(`${format}: ${JSON.stringify(result.error)}`);
  const ops = result.bills.reduce((n, b) => n + b.operations.length, 0);
  const heap = getHeapStatistics();
  console.log(
    JSON.stringify({
      format,
      inputMB: +(Buffer.byteLength(body) / MB).toFixed(1),
      bills: result.bills.length,
      operations: ops,
      ms: Math.round(ms),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeParseMB: Math.round(rssBefore),
      heapUsedAfterMB: Math.round(heap.used_heap_size / MB),
      heapTotalMB: Math.round(heap.total_heap_size / MB),
    }),
  );
}

const format = process.argv[2];
if (format === 'xml' || format === 'csv') {
  run(format);
} else {
  for (const f of ['xml', 'csv']) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), f], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(child.stderr);
    const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
    console.log(
      `${r.format.toUpperCase()}: ${r.operations} operations in ${r.bills} bills from ${r.inputMB} MB: ${r.ms} ms; ` +
        `peak RSS ${r.peakRssMB} MB (${r.rssBeforeParseMB} MB before parsing); heap used ${r.heapUsedAfterMB} MB of ${r.heapTotalMB} MB`,
    );
  }
}
