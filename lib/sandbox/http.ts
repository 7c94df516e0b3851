/**
 * The sandbox gateway's router: the one module that picks a protocol. It maps every path of both
 * protocols (payment forms, web services, the fiscal service, the test controls under `/__…`) to its
 * handler, applies armed faults, and writes the reply. One file over 300 lines because the path table
 * is the sandbox's map: split by protocol, the fault handling and the shared reply writing would be
 * repeated on each side.
 */
import type { FormCharset } from '../assist/form-body';
import { logEvent } from '../log';
import { createBill, finishAttempt, getBill } from './bills';
import { REPORT_SHAPES, type ReportShape } from './config';
import { fiscalService, logBillReceipt } from './current/fiscal';
import { currentNotification } from './current/notification';
import { validateOrder } from './current/order';
import { errorReply, renderReply } from './current/reply';
import { authenticate, readFormat, runService } from './current/services';
import {
  type FaultMode,
  type FaultSpec,
  NOTIFY_MODES,
  OUTCOME_MODES,
  SHAPE_MODES,
  TRANSPORT_MODES,
  takeFault,
  type WebService,
} from './faults';
import { getSandboxGateway, type SandboxGateway } from './gateway';
import {
  LEGACY_FORM_PATHS,
  LEGACY_SERVICE_PATHS,
  type LegacyService,
  legacyNotification,
  runLegacyService,
  validateLegacyOrder,
} from './legacy/protocol';
import { recordDelivery } from './notify';
import { errorPage, type Lang, notFoundPage, paymentPage, receiptLogPage, resultPage } from './pages';
import { decideCard, returnUrl } from './payment';
import { type FormParseResult, parseUrlEncoded } from './urlencoded';

export interface SandboxHttpOptions {
  /** Path the sandbox is mounted under, e.g. `/sandbox/assist`; '' for a server of its own. */
  prefix?: string;
  /** Defaults to the process-wide gateway configured from the environment. */
  gateway?: SandboxGateway;
}

const MAX_BODY = 1 << 20;

const SERVICE_PATHS: Record<string, WebService> = {
  '/orderstate/orderstate.cfm': 'orderstate',
  '/orderresult/orderresult.cfm': 'orderresult',
  '/resultbydate/resultbydate.cfm': 'resultbydate',
  '/charge/charge.cfm': 'charge',
  '/cancel/wscancel.cfm': 'cancel',
  '/cancel/cancel.cfm': 'cancel',
};

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

const html = (body: string, status = 200) => new Response(body, { status, headers: PAGE_HEADERS });
const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });

/**
 * The sandbox gateway's whole HTTP surface on web-standard Request/Response, so the Next route and
 * the standalone node:http server share it.
 */
export async function handleSandboxRequest(
  request: Request,
  opts: SandboxHttpOptions = {},
): Promise<Response> {
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  const url = new URL(request.url);
  if (!url.pathname.startsWith(prefix)) return text('Not Found', 404);
  // ColdFusion paths are case-insensitive.
  const path = url.pathname.slice(prefix.length).toLowerCase();
  const method = request.method.toUpperCase();
  try {
    const gateway = opts.gateway ?? (await getSandboxGateway());
    const service = SERVICE_PATHS[path];
    if (service) {
      if (method !== 'POST') return text('Method Not Allowed', 405, { Allow: 'POST' });
      return await serviceRequest(request, gateway, service);
    }
    const legacyService = LEGACY_SERVICE_PATHS[path];
    if (legacyService) {
      if (method !== 'POST') return text('Method Not Allowed', 405, { Allow: 'POST' });
      return await legacyServiceRequest(request, gateway, legacyService);
    }
    const legacyMode = LEGACY_FORM_PATHS[path];
    if (legacyMode) {
      if (method !== 'POST' && method !== 'GET')
        return text('Method Not Allowed', 405, { Allow: 'GET, POST' });
      return await orderRequest(request, url, gateway, prefix, legacyMode);
    }
    switch (path) {
      case '/fiscal/receipt.cfm':
      case '/fiscal/fullcalculation.cfm':
        if (method !== 'POST') return text('Method Not Allowed', 405, { Allow: 'POST' });
        return await fiscalRequest(
          request,
          gateway,
          path === '/fiscal/receipt.cfm' ? 'receipt' : 'fullcalculation',
        );
      case '/fiscal/log':
        return method === 'GET'
          ? html(receiptLogPage(await gateway.listReceipts(), gateway.config.merchantName))
          : text('Method Not Allowed', 405, { Allow: 'GET' });
      case '/__receipts':
        return gateway.config.faultsEnabled && method === 'GET'
          ? json({ receipts: await gateway.listReceipts() })
          : text('Not Found', 404);
      case '/pay/order.cfm':
        if (method !== 'POST' && method !== 'GET')
          return text('Method Not Allowed', 405, { Allow: 'GET, POST' });
        return await orderRequest(request, url, gateway, prefix);
      case '/pay/process.cfm':
        if (method !== 'POST') return text('Method Not Allowed', 405, { Allow: 'POST' });
        return await processRequest(request, gateway, prefix);
      case '/__faults':
        return gateway.config.faultsEnabled ? await faultsRequest(request, gateway) : text('Not Found', 404);
      case '/__reply-shape':
        return gateway.config.faultsEnabled
          ? await replyShapeRequest(request, gateway)
          : text('Not Found', 404);
      case '/__bills':
        return gateway.config.faultsEnabled && method === 'GET'
          ? json({ bills: await gateway.listBills() })
          : text('Not Found', 404);
      case '/__deliveries':
        return gateway.config.faultsEnabled && method === 'GET'
          ? json({ deliveries: await gateway.listDeliveries() })
          : text('Not Found', 404);
      default:
        return text('Not Found', 404);
    }
  } catch (err) {
    logEvent('sandbox_request_failed', { error: err }, 'error');
    return text('Internal Server Error', 500);
  }
}

type BodyResult = { ok: true; fields: FormParseResult } | { ok: false; response: Response };

async function readForm(request: Request, fallbackCharset: FormCharset = 'utf-8'): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY) return { ok: false, response: text('Payload Too Large', 413) };
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > MAX_BODY) return { ok: false, response: text('Payload Too Large', 413) };
  return { ok: true, fields: parseUrlEncoded(body, request.headers.get('content-type'), fallbackCharset) };
}

/** Waits `ms` unless the caller goes away first. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** A reply that never completes: the body errors, so the connection is dropped without an answer. */
function brokenResponse(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new Error('sandbox fault: connection dropped'));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
}

/** Well-formed, with codes 0/0, but a row element no public source shows: must be refused, not skipped. */
const UNKNOWN_ELEMENT_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<result firstcode="0" secondcode="0" count="1">' +
  '<transaction><billnumber>1</billnumber></transaction></result>\n';

const MALFORMED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<result firstcode="0" secondcode="0" count="1"><order><ordernumber>';

async function serviceRequest(
  request: Request,
  gateway: SandboxGateway,
  service: WebService,
): Promise<Response> {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const parsedFields = form.fields.ok ? form.fields.fields : new Map<string, string>();
  const asked = readFormat(service, parsedFields);
  if (!asked.ok) return renderReply(asked.format, asked.reply);
  const reportShape = gateway.reportShape();
  // The `csv` variant answers the report in CSV whatever Format asked: a gateway set up that way.
  const format =
    service === 'resultbydate' && reportShape === 'csv' ? { ok: true, format: 1 as const } : asked;
  if (!form.fields.ok) return renderReply(format.format, errorReply(4, 0));
  const faulted = await transportFault(request, gateway, service, {
    malformed: () => new Response(MALFORMED_XML, { headers: { 'Content-Type': 'text/xml; charset=utf-8' } }),
    unknownElement: () =>
      new Response(UNKNOWN_ELEMENT_XML, { headers: { 'Content-Type': 'text/xml; charset=utf-8' } }),
    frequency: () => renderReply(format.format, errorReply(17, 3)),
  });
  if (faulted) return faulted;
  const action = service === 'charge' || service === 'cancel';
  const reply = await runService(service, parsedFields, {
    db: gateway.db,
    config: gateway.config,
    now: gateway.now(),
    outcomeFault: action ? await takeArmed(gateway, service, OUTCOME_MODES) : null,
    shapeFault: action ? await takeArmed(gateway, service, SHAPE_MODES) : null,
    reportShape,
  });
  return renderReply(format.format, reply);
}

function takeArmed(gateway: SandboxGateway, service: WebService, modes: readonly FaultMode[]) {
  return gateway.config.faultsEnabled ? takeFault(gateway.db, service, modes) : Promise.resolve(null);
}

/**
 * The one place an armed transport fault becomes a reply, for both protocols: each passes its own
 * garbage and its own "too frequent" answer. Null: no fault (or only a delay), serve the request.
 */
async function transportFault(
  request: Request,
  gateway: SandboxGateway,
  service: WebService,
  answers: { malformed: () => Response; unknownElement?: () => Response; frequency: () => Response },
): Promise<Response | null> {
  const fault = await takeArmed(gateway, service, TRANSPORT_MODES);
  switch (fault?.mode) {
    case '500':
      return text('Internal Server Error', 500);
    case 'hang':
      await sleep(fault.delayMs ?? gateway.config.hangMs, request.signal);
      return brokenResponse();
    case 'malformed':
      return answers.malformed();
    case 'unknown_element':
      return (answers.unknownElement ?? answers.malformed)();
    case 'frequency':
      return answers.frequency();
    case 'delay':
      await sleep(fault.delayMs ?? 0, request.signal);
      return null;
    default:
      return null;
  }
}

const langOf = (fields: Map<string, string>): Lang => {
  const l = fields.get('language')?.trim().toUpperCase();
  return l === 'EN' || l === '1' ? 'EN' : 'RU';
};

/**
 * The payment form of either protocol: `/pay/order.cfm` (current) or a legacy `/shops/*.cfm` form
 * (`legacyMode` 1 or 2). Both lead to the same bill and payment page; a legacy form's body defaults to
 * windows-1251 when the browser names no charset.
 */
async function orderRequest(
  request: Request,
  url: URL,
  gateway: SandboxGateway,
  prefix: string,
  legacyMode?: 1 | 2,
): Promise<Response> {
  const fallback: FormCharset = legacyMode ? 'windows-1251' : 'utf-8';
  let parsed: FormParseResult;
  if (request.method.toUpperCase() === 'GET') {
    // The URL keeps the query percent-encoded, so the same byte-level decoding applies.
    parsed = parseUrlEncoded(Buffer.from(url.search.slice(1), 'latin1'), null, fallback);
  } else {
    const form = await readForm(request, fallback);
    if (!form.ok) return form.response;
    parsed = form.fields;
  }
  if (!parsed.ok) return html(errorPage('RU', 4, 0, parsed.error), 400);
  const lang = langOf(parsed.fields);
  const valid = legacyMode
    ? validateLegacyOrder(parsed.fields, gateway.config, legacyMode)
    : validateOrder(parsed.fields, gateway.config);
  if (!valid.ok) {
    const e = valid.error;
    return html(errorPage(lang, e.firstcode, e.secondcode, e.message), 400);
  }
  const bill = await createBill(gateway.db, valid.bill, gateway.now(), gateway.config.billTimeoutSeconds);
  return html(
    paymentPage({ bill, merchantName: gateway.config.merchantName, action: `${prefix}/pay/process.cfm` }),
  );
}

/** Legacy services share the faults of their current counterparts (report, charge, cancel). */
const LEGACY_FAULTS: Record<LegacyService, WebService> = {
  results: 'resultbydate',
  postauth: 'charge',
  rvr: 'cancel',
};

async function legacyServiceRequest(
  request: Request,
  gateway: SandboxGateway,
  service: LegacyService,
): Promise<Response> {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const reply = (body: string) =>
    new Response(body, {
      headers: {
        'Content-Type': service === 'results' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8',
      },
    });
  if (!form.fields.ok) return reply(`ERROR:${form.fields.error}\n`);
  const counterpart = LEGACY_FAULTS[service];
  const faulted = await transportFault(request, gateway, counterpart, {
    // Cut off mid-line: a header without its rows' cells, or an item without its value.
    malformed: () =>
      reply(service === 'results' ? 'Order Number;Payment No.;Order State\nA-1;12' : 'Billnumber'),
    frequency: () => reply('ERROR:request frequency exceeded\n'),
  });
  if (faulted) return faulted;
  const action = service !== 'results';
  const result = await runLegacyService(service, form.fields.fields, {
    db: gateway.db,
    config: gateway.config,
    now: gateway.now(),
    outcomeFault: action ? await takeArmed(gateway, counterpart, OUTCOME_MODES) : null,
  });
  return reply(result.body);
}

async function processRequest(request: Request, gateway: SandboxGateway, prefix: string): Promise<Response> {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  if (!form.fields.ok) return html(errorPage('RU', 4, 0, form.fields.error), 400);
  const fields = form.fields.fields;
  const now = gateway.now();
  const bill = await getBill(gateway.db, fields.get('billnumber')?.trim() ?? '', now);
  if (!bill) return html(notFoundPage(langOf(fields)), 404);
  const merchantName = gateway.config.merchantName;
  if (bill.state !== 'In Process') return html(resultPage(bill, merchantName), 409);
  const decision = decideCard(fields, bill, now);
  if (!decision.ok) {
    return html(
      paymentPage({
        bill,
        merchantName,
        action: `${prefix}/pay/process.cfm`,
        error: decision.error,
        expiry: fields.get('expiry'),
        holder: fields.get('holder'),
      }),
    );
  }
  const notifyFault = gateway.config.faultsEnabled
    ? await takeFault(gateway.db, 'notify', NOTIFY_MODES)
    : null;
  const result = await finishAttempt(
    gateway.db,
    bill.billnumber,
    decision.outcome,
    now,
    async (tx, finished) => {
      // A bill speaks the protocol of the form that created it.
      const notification = finished.bill.protocol === 'legacy' ? legacyNotification : currentNotification;
      const body = notification(gateway.config, finished.bill, finished.operation, now);
      await recordDelivery(tx, gateway.config, finished, body, notifyFault);
      // A one-stage payment takes the money now, so its receipt is printed now; a hold's at the charge.
      if (decision.outcome.approved && !finished.bill.delay) await logBillReceipt(tx, finished.bill, now);
    },
  );
  if (!result.ok) return html(resultPage(result.bill ?? bill, merchantName), 409);
  // The notification goes out in the background; the customer's redirect never waits for the shop.
  gateway.kickNotifier();
  const target = returnUrl(result.bill, decision.outcome.approved);
  if (!target) return html(resultPage(result.bill, merchantName));
  return new Response(null, { status: 303, headers: { Location: target, 'Cache-Control': 'no-store' } });
}

/** `GET` the current report reply shape, `POST {"report": "payment"|"order"|"orders"|"csv"}` to switch it. */
async function replyShapeRequest(request: Request, gateway: SandboxGateway): Promise<Response> {
  switch (request.method.toUpperCase()) {
    case 'GET':
      return json({ report: gateway.reportShape() });
    case 'POST': {
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json({ ok: false, error: 'body must be JSON' }, 400);
      }
      const report = (body as { report?: unknown } | null)?.report;
      if (!(REPORT_SHAPES as readonly unknown[]).includes(report)) {
        return json({ ok: false, error: `report must be one of ${REPORT_SHAPES.join(', ')}` }, 400);
      }
      gateway.setReportShape(report as ReportShape);
      return json({ ok: true, report });
    }
    default:
      return text('Method Not Allowed', 405, { Allow: 'GET, POST' });
  }
}

/** The fiscal services (`/fiscal/…`): credentials as for every web service, then the receipt. */
async function fiscalRequest(
  request: Request,
  gateway: SandboxGateway,
  kind: 'receipt' | 'fullcalculation',
): Promise<Response> {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  if (!form.fields.ok) return renderReply(3, errorReply(4, 0));
  const denied = authenticate(form.fields.fields, gateway.config);
  if (denied) return renderReply(3, denied);
  const reply = await fiscalService(kind, form.fields.fields, {
    db: gateway.db,
    merchantId: gateway.config.merchantId,
    now: gateway.now(),
  });
  return renderReply(3, reply);
}

async function faultsRequest(request: Request, gateway: SandboxGateway): Promise<Response> {
  switch (request.method.toUpperCase()) {
    case 'GET':
      return json({ faults: await gateway.listFaults() });
    case 'DELETE':
      await gateway.clearFaults();
      return new Response(null, { status: 204 });
    case 'POST': {
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json({ ok: false, error: 'body must be JSON' }, 400);
      }
      // armFault validates with zod; the cast only names the shape it checks for.
      const armed = await gateway.armFault(body as FaultSpec);
      return armed.ok ? json(armed, 201) : json(armed, 400);
    }
    default:
      return text('Method Not Allowed', 405, { Allow: 'GET, POST, DELETE' });
  }
}
