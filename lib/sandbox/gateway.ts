import { asc } from 'drizzle-orm';
import { onShutdown } from '@/lib/ops/shutdown';
import { type BillWithOperations, listAllBills } from './bills';
import { type ReportShape, resolveSandboxConfig, type SandboxConfig } from './config';
import { openSandboxStore, type SandboxDb } from './db';
import { type ArmedFault, type ArmResult, armFault, clearFaults, type FaultSpec, listFaults } from './faults';
import { type DeliveryView, listDeliveries, Notifier, pendingDeliveries } from './notify';
import { type LoggedReceipt, sandboxFiscalReceipts } from './schema';

/** A bill as the introspection view shows it: what "nothing lost" tests compare the shop against. */
export interface SandboxBillSnapshot {
  billnumber: string;
  merchantId: string;
  orderNumber: string;
  state: string;
  /** Kopecks. */
  orderAmount: number;
  currency: string;
  /** Kopecks held and not yet charged. */
  held: number;
  /** Kopecks charged and not refunded. */
  captured: number;
  delay: boolean;
  testmode: 1;
  responseCode: string | null;
  meanNumber: string | null;
  createdAt: string;
  updatedAt: string;
  operations: Array<{
    billnumber: string;
    type: number;
    state: string;
    amount: number;
    finishedAt: string | null;
  }>;
}

export interface SandboxGateway {
  readonly config: SandboxConfig;
  readonly db: SandboxDb;
  /** The gateway's clock (injectable so tests can move past timeouts). */
  now(): Date;
  /** The shape resultbydate answers in now; tests switch it to run the shop against every variant. */
  reportShape(): ReportShape;
  setReportShape(shape: ReportShape): void;
  armFault(spec: FaultSpec): Promise<ArmResult>;
  clearFaults(): Promise<void>;
  listFaults(): Promise<ArmedFault[]>;
  listBills(): Promise<SandboxBillSnapshot[]>;
  listDeliveries(): Promise<DeliveryView[]>;
  /** The receipt log: every fiscal receipt the sandbox printed, oldest first. */
  listReceipts(): Promise<LoggedReceipt[]>;
  /** Notifications still to be sent: tests wait for 0 before comparing the shop with the gateway. */
  pendingDeliveries(): Promise<number>;
  /** Wakes the notification sender after a new delivery was recorded. */
  kickNotifier(): void;
  close(): Promise<void>;
}

export interface SandboxGatewayOptions {
  /** A PGlite data folder, or `'memory'`; default `SANDBOX_DIR` or `.data/sandbox`. */
  dataDir?: string;
  config?: Partial<SandboxConfig>;
  now?: () => Date;
  migrationsFolder?: string;
}

const defaultDataDir = () => process.env.SANDBOX_DIR || '.data/sandbox';

function snapshot({ bill, operations }: BillWithOperations): SandboxBillSnapshot {
  return {
    billnumber: bill.billnumber,
    merchantId: bill.merchantId,
    orderNumber: bill.orderNumber,
    state: bill.state,
    orderAmount: bill.orderAmount,
    currency: bill.currency,
    held: bill.held,
    captured: bill.captured,
    delay: bill.delay,
    testmode: 1,
    responseCode: bill.responseCode,
    meanNumber: bill.meanNumber,
    createdAt: bill.createdAt.toISOString(),
    updatedAt: bill.updatedAt.toISOString(),
    operations: operations.map((o) => ({
      billnumber: `${o.billnumber}.${o.seq}`,
      type: o.type,
      state: o.state,
      amount: o.amount,
      finishedAt: o.finishedAt?.toISOString() ?? null,
    })),
  };
}

/** Opens a gateway on its own store and starts (resumes) its notification sender. */
export async function openSandboxGateway(opts: SandboxGatewayOptions = {}): Promise<SandboxGateway> {
  const config = resolveSandboxConfig(opts.config);
  const store = await openSandboxStore(opts.dataDir ?? defaultDataDir(), opts.migrationsFolder);
  const { db } = store;
  const now = opts.now ?? (() => new Date());
  const notifier = new Notifier(db, config);
  notifier.kick();
  let reportShape = config.reportShape;
  return {
    config,
    db,
    now,
    reportShape: () => reportShape,
    setReportShape: (shape) => {
      reportShape = shape;
    },
    armFault: (spec) => armFault(db, spec, now()),
    clearFaults: () => clearFaults(db),
    listFaults: () => listFaults(db),
    listBills: async () => (await listAllBills(db, now())).map(snapshot),
    listDeliveries: () => listDeliveries(db),
    listReceipts: () => db.select().from(sandboxFiscalReceipts).orderBy(asc(sandboxFiscalReceipts.id)),
    pendingDeliveries: () => pendingDeliveries(db),
    kickNotifier: () => notifier.kick(),
    close: async () => {
      await notifier.stop();
      await store.release();
    },
  };
}

const GATEWAY_KEY = Symbol.for('assist-storefront.sandbox.gateway');
const holder = globalThis as unknown as { [GATEWAY_KEY]?: Promise<SandboxGateway> };

/**
 * The process-wide gateway configured from the environment, opened on first use. Cached on
 * globalThis because Next bundles each route handler separately.
 */
export function getSandboxGateway(): Promise<SandboxGateway> {
  let pending = holder[GATEWAY_KEY];
  if (!pending) {
    const opening = openSandboxGateway();
    pending = opening;
    holder[GATEWAY_KEY] = opening;
    opening.then(
      (gateway) => onShutdown('sandbox gateway', () => gateway.close()),
      () => {
        if (holder[GATEWAY_KEY] === opening) delete holder[GATEWAY_KEY];
      },
    );
  }
  return pending;
}
