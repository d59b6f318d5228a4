// What the data plane answers for a tenant right now: a fresh data-plane
// library client (no cached routing) resolves the tenant as a service of the
// SaaS would, without reading any of its items. The tenant page shows it, so
// an operator sees the refusal (and its reason) a suspended tenant's callers get.
import "server-only";
import { createDataPlane, TenantDataError } from "../data-plane";
import type { SuspensionAccess } from "./suspension";

export type DataPlaneAnswer =
  | { serving: true; status: string; version: number }
  | { serving: false; error: string; message: string; reason: string | null }
  /** The routing table could not be read. */
  | { serving: null; message: string };

export async function probeDataPlane(access: SuspensionAccess, tenantId: string): Promise<DataPlaneAnswer> {
  const dataPlane = createDataPlane({
    routingTable: access.routingTable,
    readersTable: null,
    region: access.routingRegion,
    clientFor: (region) => access.dynamoDb(region),
    onError: () => undefined,
  });
  try {
    const record = await dataPlane.forTenant(tenantId).routing();
    return { serving: true, status: record.status, version: record.version };
  } catch (error) {
    if (error instanceof TenantDataError && !error.retryable)
      return {
        serving: false,
        error: error.name,
        message: error.message,
        reason: "reason" in error && typeof error.reason === "string" ? error.reason : null,
      };
    return { serving: null, message: error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error) };
  } finally {
    await dataPlane.close();
  }
}
