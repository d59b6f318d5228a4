// The two routing changes a migration and a restore make before they touch a
// tenant's items, each waiting until every data-plane reader has seen it
// (lib/routing/readers.ts), and where a pass for the tenant's changes (a
// migration's or a staged restore's catch-up) must start.
import { journalTrust, readJournal, type JournalTrust } from "./journal";
import { waitForReaders, writesLandingFrom } from "./readers";
import { assertTenantItem, itemKey, type TenantKeys } from "../storage/tenant-partitions";
import { setWriteFrozen, updateRoutingRecord } from "./routing-table";
import type { RoutingRecord } from "./record";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** What the two changes need: the routing table and a client for its region (an operation's deps have both). */
export interface RoutingTableAccess {
  dynamoDb(region: string): DynamoDBClient;
  routingRegion: string;
  routingTable: string;
  /** Tests' seam (an operation's deps have it): "effect" is reached right after the routing write, before the wait. */
  faultPoint?: (point: string) => void | Promise<void>;
}

/**
 * Sets the tenant's status to migrating or restoring (readers then re-read its record every movingRoutingTtlMs) and,
 * with `journal`, names the write journal readers keep from then on (lib/routing/journal.ts); returns the step's detail.
 */
export async function markMoving(
  deps: RoutingTableAccess,
  tenantId: string,
  status: "migrating" | "restoring",
  signal: AbortSignal,
  options: { journal?: string } = {},
): Promise<string> {
  const client = deps.dynamoDb(deps.routingRegion);
  const record = await updateRoutingRecord(
    client,
    tenantId,
    ({ version: _v, updatedAt: _u, ...content }) => ({ ...content, status, journal: options.journal ?? null }),
    deps.routingTable,
  );
  await deps.faultPoint?.("effect");
  const saw = await waitForReaders(client, tenantId, record.version, { signal });
  return saw.readers
    ? `${saw.readers} data-plane reader(s) watching it closely after ${saw.waitedMs} ms`
    : `no reader registered: waited out the routing cache (${saw.waitedMs} ms)`;
}

/** Ends a move that was undone: the tenant active and unfrozen wherever its routing points now, its journal switched off. */
export function settleMoved(
  deps: Pick<RoutingTableAccess, "dynamoDb" | "routingRegion" | "routingTable">,
  tenantId: string,
): Promise<RoutingRecord> {
  return updateRoutingRecord(
    deps.dynamoDb(deps.routingRegion),
    tenantId,
    ({ version: _v, updatedAt: _u, ...content }) => ({
      ...content,
      status: "active",
      writeFrozen: false,
      frozenSince: null,
      journal: null,
    }),
    deps.routingTable,
  );
}

/** Freezes the tenant's writes; once this returns, no write of it can still land. */
export async function freezeWrites(
  deps: RoutingTableAccess,
  tenantId: string,
  signal: AbortSignal,
): Promise<{ frozenSince: string | null; detail: string }> {
  const client = deps.dynamoDb(deps.routingRegion);
  const record = await setWriteFrozen(client, tenantId, true, deps.routingTable);
  await deps.faultPoint?.("effect");
  const saw = await waitForReaders(client, tenantId, record.version, { signal });
  return {
    frozenSince: record.frozenSince,
    detail: `readers saw the freeze in ${saw.waitedMs} ms${saw.readers ? "" : " (no reader registered: waited out the cache)"}`,
  };
}

/** Clocks of the console and the data plane may differ by this much: a pass for changes starts this much earlier. */
export const changeSkewMs = 2_000;

/** Where the next read for the tenant's changes must start: before every write that can still land, less the allowed clock skew. */
export async function changesFrom(deps: Pick<RoutingTableAccess, "dynamoDb" | "routingRegion">, tenantId: string): Promise<number> {
  return (await writesLandingFrom(deps.dynamoDb(deps.routingRegion), tenantId)) - changeSkewMs;
}

/** Whether the tenant's write journal, named by the routing version written at `since` (ms), names every write since. */
export function journalTrustFrom(deps: Pick<RoutingTableAccess, "dynamoDb" | "routingRegion">, since: number): Promise<JournalTrust> {
  return journalTrust(deps.dynamoDb(deps.routingRegion), since);
}

/**
 * The keys the journal names since `since` (ms), as item keys: every key written or deleted (`all`), and those
 * deleted. A key not the tenant's is left out: the data plane's guard refused that write after journaling it.
 */
export async function journaledKeys(
  deps: Pick<RoutingTableAccess, "dynamoDb" | "routingRegion">,
  journalId: string,
  tenant: TenantKeys,
  since: number,
  signal?: AbortSignal,
  tableName?: string,
): Promise<{ all: string[]; deleted: string[] }> {
  const journal = await readJournal(deps.dynamoDb(deps.routingRegion), journalId, since, { signal, tableName });
  const owned = (keys: typeof journal.written) =>
    keys.flatMap((key) => {
      try {
        assertTenantItem(tenant, key, "key");
        return [itemKey(tenant.keyScheme, key)];
      } catch {
        return [];
      }
    });
  const deleted = [...new Set(owned(journal.deleted))];
  return { all: [...new Set([...owned(journal.written), ...deleted])], deleted };
}
