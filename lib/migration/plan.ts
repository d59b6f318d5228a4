// The migration plan screen's figures, measured: the tenant's items (an exact
// count) and their size, each possible target's 24 h p95 utilisation before
// and with the tenant, the copy rate that leaves co-tenants their headroom,
// and the duration and freeze measured on this fleet's past migrations.
import { z } from "zod";
import type { Db } from "../db/client";
import type { MetricsReader } from "../metrics/reader";
import { findOutput, parseSteps } from "../operations/definition";
import { moveOutputs } from "./moving";
import { newSiloTarget } from "./operation";
import { siloInstanceFor } from "../placement/silo";
import { measureTenantLoads } from "../placement/pool-headroom";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { tenantEntities } from "../storage/tenant-items";
import { countTenantItems, readTenantItems, type TenantTable } from "../storage/tenant-partitions";
import { storedKeyScheme } from "../storage/key-scheme";
import { keyLayoutRefusal } from "./key-layout";
import { headroomShortfall } from "./headroom";
import { tenantData } from "../operations/tenant-data";
import { copyCapacityShare } from "./settings";
import { estimateMigration, suggestedCopyRate, type InstanceLoad, type MigrationEstimate, type PastMigration } from "./estimates";

export interface MigrationTarget {
  id: string;
  label: string;
  kind: "pool" | "silo";
  p95Utilisation: number;
  /** With the tenant's own 24 h p95 load added. */
  p95WithTenant: number;
  suggestedCopyRatePerSec: number;
  estimate: MigrationEstimate;
  /** Why a migration there would be refused (e.g. it keys items differently); null when it can be chosen. */
  refusal: string | null;
  /** Why it has no headroom for the tenant (headroom.ts): chosen only with an override and its reason. */
  noHeadroom: string | null;
  /** An open finding's recommendation moves the tenant here. */
  recommended: boolean;
}

export interface MigrationPlan {
  tenantId: string;
  sourceId: string;
  items: number;
  bytes: number;
  targets: MigrationTarget[];
  pastMigrations: number;
}

export async function loadMigrationPlan(
  db: Db,
  reader: MetricsReader,
  dynamoDb: (region: string) => DynamoDBClient,
  tenantId: string,
  nowMs = Date.now(),
): Promise<MigrationPlan | null> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, include: { storageInstance: true } });
  const source = tenant?.storageInstance;
  if (!tenant || !source || !tenant.keyPrefix) return null;
  const entities = tenant.deploymentModel === "bridge" ? tenantEntities.filter((e) => e !== tenant.bridgeEntity) : [...tenantEntities];
  const keyScheme = storedKeyScheme(source.keyScheme);
  const keys = { tenantId: tenant.id, keyScheme };
  const table = tenantData({ dynamoDb }, { ...keys, operation: "migration plan", tables: [source] }).table(source.tableName);

  const [items, itemBytes, { pools, tenantLoadOn }, past] = await Promise.all([
    countTenantItems(table, keys, entities),
    sampleItemBytes(table, keys, entities),
    measureTenantLoads(db, reader, tenant.id, source, nowMs),
    pastMigrations(db),
  ]);
  const sourcePool = pools.find((p) => p.storageInstanceId === source.id);
  const sourceLoad: InstanceLoad = {
    readUnitsPerSec: source.readUnitsPerSec,
    writeUnitsPerSec: source.writeUnitsPerSec,
    p95Utilisation: sourcePool?.p95Utilisation ?? 0,
  };
  const share = copyCapacityShare();

  const refusals = new Map(
    (
      await db.storageInstance.findMany({
        where: { id: { in: pools.map((p) => p.storageInstanceId) } },
        select: { id: true, keyScheme: true },
      })
    ).map((i) => [i.id, keyLayoutRefusal(keyScheme, storedKeyScheme(i.keyScheme), i.id)]),
  );
  const target = (id: string, label: string, kind: "pool" | "silo", load: InstanceLoad): MigrationTarget => {
    const rate = suggestedCopyRate(sourceLoad, load, itemBytes, share);
    const p95WithTenant = load.p95Utilisation + tenantLoadOn(load);
    return {
      id,
      label,
      kind,
      p95Utilisation: load.p95Utilisation,
      p95WithTenant,
      suggestedCopyRatePerSec: rate,
      estimate: estimateMigration(items, rate, past),
      refusal: refusals.get(id) ?? null,
      noHeadroom: headroomShortfall({ id, kind, p95WithTenant }),
      recommended: false,
    };
  };
  const targets = pools
    .filter((p) => p.storageInstanceId !== source.id)
    .map((p) => target(p.storageInstanceId, `${p.storageInstanceId} (pool, ${p.tenantCount} tenants)`, "pool", p));
  if (tenant.deploymentModel === "pool") {
    const silo = siloInstanceFor(tenant.id, source.region);
    // A new silo keys items as the source does; one that exists already must too.
    const existing = await db.storageInstance.findUnique({ where: { id: silo.id }, select: { id: true, keyScheme: true } });
    if (existing) refusals.set(newSiloTarget, keyLayoutRefusal(keyScheme, storedKeyScheme(existing.keyScheme), existing.id));
    targets.unshift(target(newSiloTarget, `A new silo of its own (${silo.tableName}, on demand)`, "silo", { ...silo, p95Utilisation: 0 }));
  }
  const recommended = await recommendedTargets(db, tenant.id);
  for (const t of targets) t.recommended = recommended.has(t.id);
  return { tenantId: tenant.id, sourceId: source.id, items, bytes: Math.round(items * itemBytes), targets, pastMigrations: past.length };
}

// The part of a fleet-watch finding's recommendation (lib/fleet-watch/shapes.ts) that names where a tenant should move.
const recommendedMoves = z.object({
  moves: z.array(
    z.object({ tenantId: z.string(), action: z.string(), targetInstanceId: z.string().optional() }).catch({ tenantId: "", action: "" }),
  ),
});

/** Where the open findings' recommendations move the tenant: pool ids, or newSiloTarget. */
export async function recommendedTargets(db: Db, tenantId: string): Promise<Set<string>> {
  const findings = await db.finding.findMany({
    where: { status: "open", recommendation: { path: ["moves"], array_contains: [{ tenantId }] } },
    select: { recommendation: true },
    take: 20,
  });
  const targets = new Set<string>();
  for (const finding of findings) {
    const parsed = recommendedMoves.safeParse(finding.recommendation);
    for (const move of parsed.success ? parsed.data.moves : []) {
      if (move.tenantId !== tenantId) continue;
      if (move.action === "migrate_to_silo") targets.add(newSiloTarget);
      if (move.action === "migrate_to_pool" && move.targetInstanceId) targets.add(move.targetInstanceId);
    }
  }
  return targets;
}

/**
 * The active pools in the source's region, measured (24 h p95), and the tenant's own 24 h p95 load on a given
 * capacity: what "with this tenant" adds up.
 */

/** A pool's "with this tenant" figure as the migrate form shows it; null when the target is not an active pool in the tenant's region. */
export type TargetLoad = (db: Db, tenantId: string, targetId: string) => Promise<number | null>;

/** The form's figure, measured in CloudWatch through `reader`. */
export function measuredTargetLoad(reader: MetricsReader, nowMs?: () => number): TargetLoad {
  return async (db, tenantId, targetId) => {
    const tenant = await db.tenant.findUnique({
      where: { id: tenantId },
      select: { storageInstance: { select: { id: true, region: true } } },
    });
    if (!tenant?.storageInstance) return null;
    const { pools, tenantLoadOn } = await measureTenantLoads(db, reader, tenantId, tenant.storageInstance, nowMs?.() ?? Date.now());
    const pool = pools.find((p) => p.storageInstanceId === targetId);
    return pool ? pool.p95Utilisation + tenantLoadOn(pool) : null;
  };
}

/** The tenant's average item size, from a sample of its first items (the size DynamoDB bills: names plus values). */
async function sampleItemBytes(
  table: TenantTable,
  tenant: { tenantId: string; keyScheme: ReturnType<typeof storedKeyScheme> },
  entities: readonly string[],
): Promise<number> {
  // The first page of the first stream (a partition's Query, or a Scan segment) is the sample.
  const [first] = readTenantItems(table, tenant, entities, { limit: 50 });
  const page = first ? await first.next() : undefined;
  await first?.return(undefined);
  const Items = page && !page.done ? page.value.items : [];
  if (!Items.length) return 1_024;
  const total = Items.reduce(
    (sum, item) =>
      sum + Object.entries(item).reduce((s, [name, value]) => s + name.length + JSON.stringify(Object.values(value)[0]).length, 0),
    0,
  );
  return Math.max(1, Math.round(total / Items.length));
}

/** Copy rate, verification rate and freeze of this fleet's last 20 finished migrations. */
export async function pastMigrations(db: Db): Promise<PastMigration[]> {
  const rows = await db.operation.findMany({
    where: { kind: "migrate", status: "succeeded" },
    orderBy: { finishedAt: "desc" },
    take: 20,
    select: { steps: true },
  });
  return rows.map((row) => {
    const steps = parseSteps(row.steps);
    const verified = findOutput(steps, moveOutputs.verify)?.items ?? null;
    const verifyAll = steps.find((s) => s.name === "verifyAll");
    const verifyMs =
      verifyAll?.startedAt && verifyAll.finishedAt ? Date.parse(verifyAll.finishedAt) - Date.parse(verifyAll.startedAt) : null;
    return {
      copyItemsPerSec: findOutput(steps, moveOutputs.copy)?.itemsPerSec ?? null,
      verifyItemsPerSec: verified !== null && verifyMs ? (verified / verifyMs) * 1000 : null,
      freezeMs: findOutput(steps, moveOutputs.cutOver)?.freezeMs ?? null,
    };
  });
}
