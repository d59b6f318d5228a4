// What must hold for a tenant whenever no operation holds it, however its
// operations' workers died (the crash matrix checks these after each case, the
// soak after each operation): no operation holds it, it is active and not
// frozen, the catalog says what routing says, every write acknowledged for it
// is where it lives with its last value, and its neighbours are untouched.
// Each check returns what is wrong, in words (empty when all is well).
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Db } from "../../db/client";
import type { RoutingRecord } from "../../routing/record";
import { getRoutingRecord } from "../../routing/routing-table";
import { tenantDigest } from "./migration-fixture";
import type { WriteLedger } from "./write-ledger";

/** No operation holds the tenant, routing has it active and unfrozen, and the catalog agrees with routing. */
export async function settledProblems(
  db: Db,
  dynamo: DynamoDBClient,
  routingTable: string,
  tenantId: string,
): Promise<{ problems: string[]; record: RoutingRecord | null }> {
  const problems: string[] = [];
  const holder = await db.operation.findUnique({ where: { activeTenantId: tenantId }, select: { id: true, kind: true, status: true } });
  if (holder) problems.push(`${tenantId} is held by ${holder.kind} ${holder.id} (${holder.status})`);
  const record = await getRoutingRecord(dynamo, tenantId, routingTable);
  const row = await db.tenant.findUnique({ where: { id: tenantId }, include: { plan: true, storageInstance: true, bridgeInstance: true } });
  if (!record || !row) return { problems: [...problems, `${tenantId}: ${record ? "no catalog row" : "no routing record"}`], record };
  if (record.status !== "active") problems.push(`${tenantId}: routing says ${record.status}, not active`);
  if (record.writeFrozen || record.frozenSince) problems.push(`${tenantId}: left frozen (since ${record.frozenSince})`);
  const catalog = {
    status: row.status,
    deploymentModel: row.deploymentModel,
    placement: row.storageInstance?.tableName ?? null,
    bridge: row.bridgeInstance ? `${row.bridgeEntity} in ${row.bridgeInstance.tableName}` : null,
    limits: `${row.plan.ratePerSec}/${row.plan.burst}/${row.plan.quotaPerDay}`,
  };
  const routing = {
    status: record.status,
    deploymentModel: record.deploymentModel,
    placement: record.placement.tableName,
    bridge: record.bridge ? `${record.bridge.entity} in ${record.bridge.tableName}` : null,
    limits: `${record.ratePerSec}/${record.burst}/${record.quotaPerDay}`,
  };
  for (const key of Object.keys(catalog) as (keyof typeof catalog)[])
    if (catalog[key] !== routing[key]) problems.push(`${tenantId}: the catalog says ${key} ${catalog[key]}, routing ${routing[key]}`);
  return { problems, record };
}

/**
 * Every write acknowledged for the tenant, with its last value, in `tableName` (where it lives). The tenant keeps
 * writing: `settled` resolves once every write that may have landed during the read is acknowledged, and the
 * ledger is taken after it.
 */
export async function writeProblems(
  dynamo: DynamoDBClient,
  tableName: string,
  tenantId: string,
  ledger: () => WriteLedger,
  settled: () => Promise<void>,
): Promise<string[]> {
  const readStartedAt = Date.now();
  const actual = await tenantDigest(dynamo, tableName, tenantId);
  await settled();
  return ledger().mismatches(actual, readStartedAt);
}

/** Tenants no operation touched: their items exactly as before (tenant → its table and its items' digest then). */
export async function unchangedProblems(dynamo: DynamoDBClient, before: Map<string, { tableName: string; digest: Map<string, string> }>) {
  const problems: string[] = [];
  for (const [tenantId, { tableName, digest }] of before) {
    const now = await tenantDigest(dynamo, tableName, tenantId);
    const changed = [...new Set([...digest.keys(), ...now.keys()])].filter((key) => digest.get(key) !== now.get(key));
    if (changed.length > 0) problems.push(`${tenantId}: ${changed.length} item(s) changed, e.g. ${changed.slice(0, 3).join(", ")}`);
  }
  return problems;
}

/** The files under `dir` (a directory backup store's backup or snapshot), relative to it; none when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
