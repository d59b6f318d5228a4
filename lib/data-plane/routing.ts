// The routing records this process holds: one tenant's record is re-read when
// it is older than routingCacheTtlMs, or movingRoutingTtlMs while the tenant is
// being moved or frozen (so a freeze or a cut-over is seen within a fraction of
// a second). Reads of one tenant are coalesced; a read never replaces a newer
// version with an older one.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readerLeaseMs } from "../routing/reader-state";
import { isWatched, movingRoutingTtlMs, routingCacheTtlMs, type RoutingRecord } from "../routing/record";
import { readRoutingRecord, readRoutingRecords } from "../routing/routing-item";
import { TenantRoutingUnavailableError } from "./errors";

export interface HeldRecord {
  /** Null: the tenant has no routing record (held as long as a record would be). */
  record: RoutingRecord | null;
  /** When the read that returned it began (what the record vouches for). */
  readAt: number;
}

/** How long a held record may be used: shorter while the tenant is being moved or frozen. */
export function routingTtlOf(record: RoutingRecord | null): number {
  return record && isWatched(record) ? movingRoutingTtlMs : routingCacheTtlMs;
}

export class RoutingCache {
  private readonly held = new Map<string, HeldRecord>();
  private readonly reading = new Map<string, Promise<HeldRecord>>();
  private scan: { at: number; records: RoutingRecord[] } | undefined;
  private scanning: Promise<RoutingRecord[]> | undefined;

  constructor(
    private readonly client: () => DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The tenant's record, no older than its TTL; a recent copy when the read fails, else TenantRoutingUnavailableError. */
  async resolve(tenantId: string, nowMs = Date.now()): Promise<HeldRecord> {
    const held = this.held.get(tenantId);
    if (held && nowMs - held.readAt < routingTtlOf(held.record)) return held;
    try {
      return await this.read(tenantId);
    } catch (error) {
      // Reads while its copy is recent: a moving tenant's writes are fenced by readAt (see mayWrite).
      if (held?.record && nowMs - held.readAt <= routingCacheTtlMs + readerLeaseMs) return held;
      throw new TenantRoutingUnavailableError(tenantId, error);
    }
  }

  /** Re-reads the tenant's record now (joining a read already under way). */
  read(tenantId: string): Promise<HeldRecord> {
    let pending = this.reading.get(tenantId);
    if (!pending) {
      const startedAt = Date.now();
      pending = readRoutingRecord(this.client(), tenantId, this.tableName)
        .then((record) => this.hold(tenantId, record, startedAt))
        .finally(() => this.reading.delete(tenantId));
      this.reading.set(tenantId, pending);
    }
    return pending;
  }

  private hold(tenantId: string, record: RoutingRecord | null, readAt: number): HeldRecord {
    const current = this.held.get(tenantId);
    // An older answer (a scan page read before a newer single read): keep the newer record.
    if (current?.record && (!record || record.version < current.record.version)) return current;
    const next = { record, readAt: Math.max(readAt, current?.readAt ?? readAt) };
    this.held.set(tenantId, next);
    return next;
  }

  /** Every record in the routing table (one scan, reused for routingCacheTtlMs unless `fresh`); fills the per-tenant cache. */
  async all(options: { fresh?: boolean } = {}): Promise<RoutingRecord[]> {
    const now = Date.now();
    if (!options.fresh && this.scan && now - this.scan.at < routingCacheTtlMs) return this.records();
    if (!this.scanning) {
      const startedAt = now;
      this.scanning = readRoutingRecords(this.client(), this.tableName)
        .then((records) => {
          for (const record of records) this.hold(record.tenantId, record, startedAt);
          this.scan = { at: startedAt, records };
          return records;
        })
        .finally(() => (this.scanning = undefined));
    }
    await this.scanning;
    return this.records();
  }

  /** The held records (as the latest reads left them), tenants without a record left out. */
  records(): RoutingRecord[] {
    return [...this.held.values()].map((h) => h.record).filter((r): r is RoutingRecord => r !== null);
  }

  /** Re-reads every held record of a moving or frozen tenant older than movingRoutingTtlMs. */
  async refreshMoving(nowMs = Date.now()): Promise<void> {
    const due = [...this.held.entries()].filter(
      ([, h]) => h.record && routingTtlOf(h.record) === movingRoutingTtlMs && nowMs - h.readAt >= movingRoutingTtlMs,
    );
    await Promise.all(due.map(([tenantId]) => this.read(tenantId)));
  }
}
