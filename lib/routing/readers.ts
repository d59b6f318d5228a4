// How the console knows the data plane has seen a routing change (a write
// freeze, a cut-over) without waiting out the whole cache lifetime. Every
// data-plane process ("reader") keeps one item in the readers table: a
// heartbeat and, for each tenant an operation is moving, the routing version
// it acknowledges. A reader acknowledges version V only when it holds V (or
// newer) and none of its writes issued under an older version is still in
// flight, so once every live reader acknowledges a freeze, no write of the
// tenant can still land.
//
// Each reader also vouches, per moving tenant, for a time every write of the
// tenant it sends from then on was stamped (updatedAt) at or after: the oldest
// stamp of its writes in flight, or the time it published. Catch-up passes
// start their next window there, so a write that lands late (SDK retries, a
// stalled process) is still copied, however long it took.
//
// A reader that cannot refresh its routing for longer than readerLeaseMs stops
// writing for moving tenants (it fences itself), so a reader whose heartbeat
// has lapsed can be ignored. With no reader registered at all (a data plane
// that does not speak this protocol) the console falls back to waiting out the
// routing cache.
import { ResourceNotFoundException, ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTenantTable } from "../storage/tenant-tables";
import { journalTableFor } from "./journal-entry";
import { routingCacheTtlMs } from "./record";
import { readerLeaseMs, readerSchema, type ReaderState } from "./reader-state";
import { config } from "../config/config";

export { putReaderState, readerHeartbeatMs, readerLeaseMs, readerSchema, type ReaderState } from "./reader-state";

/** Requests already in flight when the cache expires still land; allow them this long in the fallback wait. */
const fallbackDrainMs = 2_000;

export function routingReadersTableName(): string {
  return config().TENANT_ROUTING_READERS_TABLE;
}

/** The readers table and the journal table beside it (lib/routing/journal-entry.ts). */
export async function ensureReadersTable(client: DynamoDBClient, tableName = routingReadersTableName()): Promise<void> {
  for (const name of [tableName, journalTableFor(tableName)])
    await ensureTenantTable(client, name, { capacityMode: "on_demand", readUnitsPerSec: 1_000, writeUnitsPerSec: 1_000 });
}

/** Readers whose heartbeat is within the lease; none when the table does not exist. */
async function liveReaders(client: DynamoDBClient, nowMs: number, tableName = routingReadersTableName()): Promise<ReaderState[]> {
  return (await readerStates(client, tableName)).filter((reader) => nowMs - reader.heartbeatAt <= readerLeaseMs);
}

/** Every reader's item, lapsed ones included; none when the table does not exist. */
export async function readerStates(client: DynamoDBClient, tableName = routingReadersTableName()): Promise<ReaderState[]> {
  const readers: ReaderState[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  try {
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        const parsed = readerSchema.safeParse(JSON.parse(item.body?.S ?? "null"));
        if (parsed.success) readers.push(parsed.data);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return [];
    throw error;
  }
  return readers;
}

/** The ids of the readers whose heartbeat is within the lease. */
export async function liveReaderIds(client: DynamoDBClient, tableName = routingReadersTableName()): Promise<string[]> {
  return (await liveReaders(client, Date.now(), tableName)).map((reader) => reader.readerId).sort();
}

/**
 * A time every write of the tenant that lands from now on was stamped at or after, as the live readers vouch
 * (a reader that names no bound for the tenant counts from its lease before its heartbeat); now with no reader.
 */
export async function writesLandingFrom(client: DynamoDBClient, tenantId: string, tableName = routingReadersTableName()): Promise<number> {
  const now = Date.now();
  const readers = await liveReaders(client, now, tableName);
  return Math.min(now, ...readers.map((reader) => reader.writesFrom[tenantId] ?? reader.heartbeatAt - readerLeaseMs));
}

export interface ReadersSaw {
  /** Live readers that acknowledged; 0 means the fallback wait was used. */
  readers: number;
  waitedMs: number;
}

/**
 * Resolves once every live reader acknowledges `version` of the tenant's
 * routing record (or, with no reader registered, once the routing cache has
 * expired everywhere). Fails after `timeoutMs`, naming the readers that lag.
 */
export async function waitForReaders(
  client: DynamoDBClient,
  tenantId: string,
  version: number,
  options: { signal?: AbortSignal; timeoutMs?: number; pollMs?: number; tableName?: string } = {},
): Promise<ReadersSaw> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (;;) {
    options.signal?.throwIfAborted();
    const readers = await liveReaders(client, Date.now(), options.tableName);
    if (readers.length === 0) {
      const remaining = routingCacheTtlMs + fallbackDrainMs - (Date.now() - started);
      if (remaining > 0) await sleep(remaining, options.signal);
      return { readers: 0, waitedMs: Date.now() - started };
    }
    const lagging = readers.filter((reader) => (reader.acks[tenantId] ?? 0) < version);
    if (lagging.length === 0) return { readers: readers.length, waitedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `data-plane readers ${lagging.map((r) => r.readerId).join(", ")} have not acknowledged routing version ${version} of ${tenantId} after ${timeoutMs / 1000} s`,
      );
    }
    await sleep(options.pollMs ?? 50, options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}
