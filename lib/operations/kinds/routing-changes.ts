// The two routing changes a migration and a restore make before they touch a
// tenant's items, each waiting until every data-plane reader has seen it
// (lib/routing/readers.ts).
import { waitForReaders } from "../../routing/readers";
import { setWriteFrozen, updateRoutingRecord } from "../../routing/routing-table";
import type { OperationDeps } from "../deps";

/** Sets the tenant's status to migrating or restoring (readers then re-read its record every movingRoutingTtlMs); returns the step's detail. */
export async function markMoving(deps: OperationDeps, tenantId: string, status: "migrating" | "restoring", signal: AbortSignal): Promise<string> {
  const client = deps.dynamoDb(deps.routingRegion);
  const record = await updateRoutingRecord(client, tenantId, ({ version: _v, updatedAt: _u, ...content }) => ({ ...content, status }), deps.routingTable);
  const saw = await waitForReaders(client, tenantId, record.version, { signal });
  return saw.readers ? `${saw.readers} data-plane reader(s) watching it closely after ${saw.waitedMs} ms` : `no reader registered: waited out the routing cache (${saw.waitedMs} ms)`;
}

/** Freezes the tenant's writes; once this returns, no write of it can still land. */
export async function freezeWrites(deps: OperationDeps, tenantId: string, signal: AbortSignal): Promise<{ frozenSince: string | null; detail: string }> {
  const client = deps.dynamoDb(deps.routingRegion);
  const record = await setWriteFrozen(client, tenantId, true, deps.routingTable);
  const saw = await waitForReaders(client, tenantId, record.version, { signal });
  return { frozenSince: record.frozenSince, detail: `readers saw the freeze in ${saw.waitedMs} ms${saw.readers ? "" : " (no reader registered: waited out the cache)"}` };
}
