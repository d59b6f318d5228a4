// createDataPlane: one per process of the SaaS's application. It holds the
// routing records, the writes in flight, the metric counters and one
// background loop that keeps moving tenants' records fresh and publishes this
// process's reader state (lib/routing/readers.ts describes the protocol).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { journalItems, journalTableFor, putJournalItems } from "../routing/journal-entry";
import { putReaderState, readerHeartbeatMs } from "../routing/reader-state";
import { isWatched, routingCacheTtlMs, type RoutingRecord } from "../routing/record";
import { tenantCredentialsRequest, type CredentialsProvider, type TenantCredentialsRequest } from "./credentials";
import { PlanEnforcer } from "./enforcement";
import { MetricsRecorder, type MetricsOptions } from "./metrics";
import { RoutingCache } from "./routing";
import { TenantClient, type JournalKeys, type Placement } from "./tenant-client";
import { WritesInFlight } from "./writes-in-flight";

export interface DataPlaneOptions {
  /** The console's routing table (its TENANT_ROUTING_TABLE). */
  routingTable: string;
  /**
   * The console's readers table (its TENANT_ROUTING_READERS_TABLE): this process
   * acknowledges routing changes of moving tenants there, so a freeze lasts only
   * as long as needed. Null: take no part (the console then waits out the routing cache).
   */
  readersTable: string | null;
  /**
   * Where this process journals the keys of a moving tenant's writes before it sends them, so the console's
   * freeze reads only those keys (docs/data-plane.md "The write journal"). Default: the readers table's name +
   * "-journal" (the console's); null: keep no journal (the console then reads every item of a tenant it moves).
   */
  journalTable?: string | null;
  /** The region of the routing and readers tables (and the default CloudWatch client). */
  region: string;
  /** This process's name in the readers table; default host-pid-random. */
  readerId?: string;
  /**
   * The DynamoDB client for a region (default: one `new DynamoDBClient({ region })`
   * per region). With `credentialsFor`, called with the tenant's vended
   * credentials for each tenant placement; cache nothing there, the library does.
   */
  clientFor?: (region: string, credentials?: CredentialsProvider) => DynamoDBClient;
  /**
   * AWS mode: vended per-tenant credentials. Called once per tenant and
   * placement with the session policy for its tables and partitions; return a
   * provider (e.g. one that calls STS AssumeRole with `Policy: JSON.stringify(request.sessionPolicy)`).
   */
  credentialsFor?: (request: TenantCredentialsRequest) => CredentialsProvider;
  /** A write of a frozen tenant waits up to `waitMs` (default 2,000) for the freeze to lift, then fails with TenantWriteFrozenError. */
  freeze?: { waitMs?: number };
  /** "in-process": enforce the routing record's rate, burst and daily quota here (per process); "off" (default): API Gateway does. */
  enforcement?: "in-process" | "off";
  /** Per-tenant metrics in the console's contract; default off. */
  metrics?: MetricsOptions;
  /**
   * Learn which tenants are being moved by scanning the routing table every
   * routingCacheTtlMs (default: true with a readers table), so this process
   * acknowledges moves of tenants it has not served yet. Without it, a move of a
   * tenant this process never touched waits for its acknowledgement until the move times out.
   */
  watchAllTenants?: boolean;
  /** Background failures (routing reads, reader state, metric publishing); default: logged once per distinct message. */
  onError?: (error: unknown) => void;
}

/** How often the background loop runs (moving tenants are re-read every movingRoutingTtlMs within it). */
const loopIntervalMs = 50;

/** The data plane of one process; see createDataPlane. */
export class DataPlane {
  /** This process's name in the readers table. */
  readonly readerId: string;
  private readonly routing: RoutingCache;
  private readonly writes = new WritesInFlight();
  private readonly metrics: MetricsRecorder;
  private readonly enforcer: PlanEnforcer | null;
  private readonly clients = new Map<string, DynamoDBClient>();
  private readonly clientFor: (region: string, credentials?: CredentialsProvider) => DynamoDBClient;
  private readonly onError: (error: unknown) => void;
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  private scannedAt = -Infinity;
  private published = { at: -Infinity, acks: "" };
  private closed = false;
  /** Null once the journal table turned out not to exist: this process then says it keeps no journal. */
  private journalTable: string | null;
  private journaled = 0;

  constructor(private readonly options: DataPlaneOptions) {
    this.readerId = options.readerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const defaultClients = new Map<string, DynamoDBClient>();
    this.clientFor =
      options.clientFor ??
      ((region, credentials) => {
        if (credentials) return new DynamoDBClient({ region, credentials, maxAttempts: 3 });
        let client = defaultClients.get(region);
        if (!client) {
          client = new DynamoDBClient({ region, maxAttempts: 3 });
          defaultClients.set(region, client);
        }
        return client;
      });
    const seen = new Set<string>();
    this.onError =
      options.onError ??
      ((error) => {
        const message = error instanceof Error ? error.message : String(error);
        if (seen.has(message)) return;
        seen.add(message);
        console.error(`data plane: ${message}`);
      });
    this.journalTable =
      options.readersTable === null
        ? null
        : options.journalTable === undefined
          ? journalTableFor(options.readersTable)
          : options.journalTable;
    this.routing = new RoutingCache(() => this.clientFor(options.region), options.routingTable);
    this.metrics = new MetricsRecorder(options.metrics ?? { mode: "off" }, options.region, this.onError);
    this.enforcer = options.enforcement === "in-process" ? new PlanEnforcer() : null;
    this.metrics.start();
    this.timer = setInterval(() => void this.backgroundPass(), loopIntervalMs);
    this.timer.unref?.();
  }

  /** A client scoped to one tenant (cheap: get one per request). */
  forTenant(tenantId: string): TenantClient {
    if (this.closed) throw new Error("the data plane is closed");
    return new TenantClient(tenantId, {
      routing: this.routing,
      clientFor: (record, placement) => this.tenantDynamoDb(record, placement),
      metrics: this.metrics,
      enforcer: this.enforcer,
      freezeWaitMs: this.options.freeze?.waitMs ?? 2_000,
      writes: this.writes,
      operation: `data plane ${this.readerId}`,
      journal: this.journalTable === null ? null : (record, stamp, keys) => this.journal(record, stamp, keys),
    });
  }

  /** Every tenant's routing record (one scan of the routing table, reused for routingCacheTtlMs unless `fresh`): for fleet-wide jobs. */
  tenants(options: { fresh?: boolean } = {}): Promise<RoutingRecord[]> {
    return this.routing.all(options);
  }

  /** Publishes the metrics counted since the last flush now (stamped `timestampMs`, default now). */
  flushMetrics(timestampMs?: number): Promise<void> {
    return this.metrics.flush(timestampMs);
  }

  /**
   * One pass of the background loop now: learn moving tenants (when due),
   * re-read their records, publish this reader's state. The loop runs it every 50 ms.
   */
  async syncRouting(nowMs = Date.now()): Promise<void> {
    if (this.options.readersTable !== null && this.options.watchAllTenants !== false && nowMs - this.scannedAt >= routingCacheTtlMs) {
      await this.routing.all({ fresh: true });
      this.scannedAt = nowMs;
    }
    await this.routing.refreshMoving(nowMs);
    await this.publishReaderState(nowMs);
  }

  /** The routing version of each moving or frozen tenant this process acknowledges: the one it holds, or older while a write under it is in flight. */
  acknowledgements(): Record<string, number> {
    const acks: Record<string, number> = {};
    for (const record of this.routing.records()) {
      if (isWatched(record)) acks[record.tenantId] = Math.min(record.version, this.writes.oldestVersion(record.tenantId));
    }
    return acks;
  }

  /** For each moving or frozen tenant, a time every write of it landing from now on was stamped at or after (its oldest write in flight, or now). */
  writesLandingFrom(nowMs = Date.now()): Record<string, number> {
    const from: Record<string, number> = {};
    for (const record of this.routing.records()) {
      if (isWatched(record)) from[record.tenantId] = Math.min(nowMs, this.writes.oldestStamp(record.tenantId));
    }
    return from;
  }

  /** The change stamp of the tenant's oldest write still in flight (Infinity when none). */
  oldestWriteInFlight(tenantId: string): number {
    return this.writes.oldestStamp(tenantId);
  }

  /** Stops the background loop and the metric timer, then publishes the last metrics. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.metrics.stop();
    await this.metrics.flush();
  }

  private async backgroundPass(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      await this.syncRouting();
    } catch (error) {
      this.onError(error);
    } finally {
      this.busy = false;
    }
  }

  private async publishReaderState(nowMs: number): Promise<void> {
    const table = this.options.readersTable;
    if (table === null) return;
    const acks = this.acknowledgements();
    const journal = this.journalTable !== null;
    const serialised = JSON.stringify({ acks, journal: this.journalTable });
    if (serialised === this.published.acks && nowMs - this.published.at < readerHeartbeatMs) return;
    await putReaderState(
      this.clientFor(this.options.region),
      {
        readerId: this.readerId,
        heartbeatAt: nowMs,
        acks,
        writesFrom: this.writesLandingFrom(nowMs),
        journal,
        journalTable: this.journalTable,
      },
      table,
    );
    this.published = { at: nowMs, acks: serialised };
  }

  private async journal(record: RoutingRecord, stamp: number, keys: JournalKeys): Promise<void> {
    const table = this.journalTable;
    if (table === null) return;
    try {
      await putJournalItems(
        this.clientFor(this.options.region),
        table,
        journalItems(record.journal!, this.readerId, ++this.journaled, stamp, keys),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      // A deployment without the journal table: keep none and say so (from the next reader state on, published before
      // this process acknowledges any later routing version), so the console reads the tenant's items instead.
      this.journalTable = null;
      this.onError(new Error(`the journal table ${table} does not exist: this process keeps no write journal`));
    }
  }

  private tenantDynamoDb(record: RoutingRecord, placement: Placement): DynamoDBClient {
    if (!this.options.credentialsFor) return this.clientFor(placement.region);
    const tables = [record.placement, ...(record.bridge ? [record.bridge] : [])].map((p) => ({ tableName: p.tableName, region: p.region }));
    const key = `${record.tenantId}|${placement.region}|${JSON.stringify(tables)}|${record.keyScheme.template}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.clientFor(
        placement.region,
        this.options.credentialsFor(tenantCredentialsRequest(record.tenantId, record.keyScheme, tables)),
      );
      this.clients.set(key, client);
    }
    return client;
  }
}

/**
 * The data plane for one process of a SaaS application: tenant-scoped DynamoDB
 * access that follows the console's routing (placement, write freezes, the
 * readers protocol, the catch-up stamp), optional in-process plan enforcement
 * and per-tenant metrics in the console's contract. Call `close()` on shutdown.
 *
 * @example
 * const dataPlane = createDataPlane({ routingTable: "tsc-routing", readersTable: "tsc-routing-readers", region: "eu-west-1",
 *   metrics: { mode: "emf", namespace: "TenantStorage" } });
 * await dataPlane.forTenant("acme").put({ PK: "TENANT#acme", SK: "ORDER#1", total: 42 });
 */
export function createDataPlane(options: DataPlaneOptions): DataPlane {
  return new DataPlane(options);
}
