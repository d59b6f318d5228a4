// Data no routing record points to (issue 15, defect 3's safety net): copies
// of a tenant's items that operations left outside its placement, and tables
// of retired storage instances. Candidates come cheaply from the catalog:
// each ended operation says what copies it left or removed
// (OperationDefinition.copies: a migration's source and target copies, a
// rollback's abandoned copy, a restore's side table, a clean-up's removal);
// each candidate is then confirmed by counting the tenant's items there
// through a client scoped to that tenant, never by reading the table. Not an
// orphan: a copy where routing or the catalog places the tenant, a copy kept
// on purpose (a succeeded migration's source copy within its rollback
// window), and anything of a tenant an operation holds (queued, running or
// needing attention).
import { ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import type { Db } from "../db/client";
import { parseSteps, recordedOutputs, type DataCopy, type OperationDefinition } from "../operations/definition";
import { tenantData } from "../operations/tenant-data";
import { scanRoutingRecords } from "../routing/routing-table";
import { tenantEntities } from "../storage/tenant-items";
import { countTenantItems } from "../storage/tenant-partitions";
import { defaultKeyScheme, type KeyScheme } from "../storage/key-scheme";
import { tableExists } from "../storage/tenant-tables";
import type { FleetAccess } from "./access";

export type CopyTable = DataCopy["table"];

/** A copy as one ended operation recorded it, and when that operation ended. */
export interface CopyEvent {
  copy: DataCopy;
  at: number;
  operationId: string;
}

/** Where a tenant's items may be, from the events of every operation that touched that table. */
export interface CopyLocation {
  tenantId: string;
  keyPrefix: string;
  /** How the table keys the tenant's items (as the operation that left them recorded it). */
  keyScheme: KeyScheme;
  table: CopyTable;
  /** What left items there since they were last removed (newest last). */
  origins: Origin[];
  /** The latest time any of those keeps them until, if later than now, and why. */
  keptUntil: number | null;
  keptFor: string | null;
  /** Made for this copy alone (a side table): its clean-up drops the table. */
  ownTable: boolean;
}

/** What left a copy, and the operation that did (null for what the catalog says, e.g. a retired instance). */
export interface Origin {
  what: string;
  operationId: string | null;
}

const tableKey = (table: Pick<CopyTable, "region" | "tableName">) => `${table.region}\u001f${table.tableName}`;
const locationKey = (tenantId: string, table: CopyTable) => `${tenantId}\u001f${tableKey(table)}`;

/**
 * Where tenants' items may still be, from what operations recorded, oldest
 * first: a location counts from its last removal (or its table's) on, and is
 * kept while any copy since then is kept. Pure.
 */
export function locateCopies(events: readonly CopyEvent[], now: number): CopyLocation[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const dropped = new Map<string, number>();
  const locations = new Map<string, { tenantId: string; keyPrefix: string; table: CopyTable; events: CopyEvent[] }>();
  for (const event of sorted) {
    const { tenant, table, effect } = event.copy;
    if (!tenant) {
      if (effect === "removed") dropped.set(tableKey(table), event.at);
      continue;
    }
    const key = locationKey(tenant.tenantId, table);
    let location = locations.get(key);
    if (!location) locations.set(key, (location = { tenantId: tenant.tenantId, keyPrefix: tenant.keyPrefix, table, events: [] }));
    location.events.push(event);
  }
  const out: CopyLocation[] = [];
  for (const location of locations.values()) {
    const lastRemoval = Math.max(
      dropped.get(tableKey(location.table)) ?? -Infinity,
      ...location.events.filter((e) => e.copy.effect === "removed").map((e) => e.at),
    );
    const live = location.events.filter((e) => e.copy.effect === "holds" && e.at > lastRemoval);
    if (live.length === 0) continue;
    const keptUntil = Math.max(-Infinity, ...live.map((e) => e.copy.keptUntil ?? -Infinity));
    const keeping = live.find((e) => e.copy.keptUntil === keptUntil);
    out.push({
      tenantId: location.tenantId,
      keyPrefix: live.at(-1)!.copy.tenant!.keyPrefix,
      keyScheme: live.at(-1)!.copy.tenant!.keyScheme ?? defaultKeyScheme,
      table: live.at(-1)!.copy.table,
      origins: live.map((e) => ({ what: e.copy.what, operationId: e.operationId })),
      keptUntil: keptUntil > now ? keptUntil : null,
      keptFor: keptUntil > now ? (keeping?.copy.keptFor ?? null) : null,
      ownTable: live.some((e) => e.copy.ownTable),
    });
  }
  return out;
}

export interface OrphanCopy {
  kind: "tenantCopy";
  tenantId: string;
  keyPrefix: string;
  keyScheme: KeyScheme;
  table: CopyTable;
  /** The tenant's items there, counted through its scoped client. */
  items: number;
  ownTable: boolean;
  origins: Origin[];
}

export interface OrphanTable {
  kind: "table";
  storageInstanceId: string;
  tableName: string;
  region: string;
  origins: Origin[];
}

export type Orphan = OrphanCopy | OrphanTable;

/** A copy that is not an orphan though no routing record points to it, and why. */
export interface KeptCopy {
  tenantId: string;
  table: CopyTable;
  keptUntil: number | null;
  reason: string;
  origins: Origin[];
}

/** Why a copy is not an orphan, in one sentence for refusals. */
export function whyKept(kept: KeptCopy): string {
  return kept.keptUntil !== null
    ? `${kept.reason} until ${new Date(kept.keptUntil).toISOString()} (${kept.origins.at(-1)?.what ?? "by an operation"})`
    : kept.reason;
}

export interface OrphanAssessment {
  orphans: Orphan[];
  kept: KeptCopy[];
  /** Operations whose record could not be read: their tenants' copies are not judged (never guessed to be orphans). */
  unreadable: { operationId: string; tenantId: string | null; error: string }[];
  checkedAt: number;
}

/** Whose placement a table is, by routing and by the catalog. */
interface Placements {
  tablesOf: Map<string, Set<string>>;
  tablesInUse: Set<string>;
}

async function placements(access: FleetAccess): Promise<Placements> {
  const [records, tenants] = await Promise.all([
    scanRoutingRecords(access.dynamoDb(access.routingRegion), access.routingTable),
    access.db.tenant.findMany({
      select: {
        id: true,
        storageInstance: { select: { tableName: true, region: true } },
        bridgeInstance: { select: { tableName: true, region: true } },
      },
    }),
  ]);
  const tablesOf = new Map<string, Set<string>>();
  const tablesInUse = new Set<string>();
  const add = (tenantId: string, table: { tableName: string; region: string } | null | undefined) => {
    if (!table) return;
    const key = tableKey(table);
    tablesInUse.add(key);
    let set = tablesOf.get(tenantId);
    if (!set) tablesOf.set(tenantId, (set = new Set()));
    set.add(key);
  };
  for (const record of records) {
    add(record.tenantId, record.placement);
    add(record.tenantId, record.bridge);
  }
  for (const tenant of tenants) {
    add(tenant.id, tenant.storageInstance);
    add(tenant.id, tenant.bridgeInstance);
  }
  return { tablesOf, tablesInUse };
}

/** Every copy ended operations recorded (tenant's, or all when not given), and the operations that could not be read. */
async function copyEvents(db: Db, definitions: Record<string, OperationDefinition<unknown>>, tenantId?: string) {
  const kinds = Object.values(definitions)
    .filter((definition) => definition.copies)
    .map((definition) => definition.kind);
  const operations = await db.operation.findMany({
    where: {
      kind: { in: kinds as never[] },
      status: { in: ["succeeded", "failed", "cancelled"] },
      ...(tenantId ? { OR: [{ tenantId }, { tenantId: null }] } : {}),
    },
    select: { id: true, kind: true, status: true, tenantId: true, parameters: true, steps: true, createdAt: true, finishedAt: true },
  });
  const events: CopyEvent[] = [];
  const unreadable: OrphanAssessment["unreadable"] = [];
  for (const operation of operations) {
    const definition = definitions[operation.kind]!;
    try {
      const steps = parseSteps(operation.steps);
      const copies = definition.copies!({
        id: operation.id,
        status: operation.status,
        parameters: definition.parameters.parse(operation.parameters),
        steps,
        ...recordedOutputs(steps),
      });
      const at = (operation.finishedAt ?? operation.createdAt).getTime();
      for (const copy of copies) events.push({ copy, at, operationId: operation.id });
    } catch (error) {
      unreadable.push({
        operationId: operation.id,
        tenantId: operation.tenantId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { events, unreadable };
}

/** The tenant's items in `table` (every partition of it, counted through its scoped client); null when the table is gone. */
async function countAt(access: FleetAccess, location: Pick<CopyLocation, "tenantId" | "keyScheme" | "table">): Promise<number | null> {
  const keys = { tenantId: location.tenantId, keyScheme: location.keyScheme };
  const table = tenantData(access, { ...keys, operation: "orphan check", tables: [location.table] }).table(location.table.tableName);
  try {
    return await countTenantItems(table, keys, tenantEntities);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

/**
 * The orphan check: candidates from the catalog, each confirmed by a
 * tenant-scoped count. `except` is an operation not to count as holding its
 * tenant (the clean-up checking again at its start).
 */
export async function assessOrphans(
  access: FleetAccess,
  definitions: Record<string, OperationDefinition<unknown>>,
  options: { now?: number; tenantId?: string; except?: string } = {},
): Promise<OrphanAssessment> {
  const now = options.now ?? Date.now();
  const [{ events, unreadable }, placed, live, retired] = await Promise.all([
    copyEvents(access.db, definitions, options.tenantId),
    placements(access),
    access.db.operation.findMany({
      where: { status: { in: ["queued", "running", "needs_attention"] }, id: options.except ? { not: options.except } : undefined },
      select: { id: true, kind: true, tenantId: true, storageInstanceId: true },
    }),
    access.db.storageInstance.findMany({ where: { status: "retired" }, select: { id: true, tableName: true, region: true } }),
  ]);
  const heldBy = new Map(live.filter((o) => o.tenantId).map((o) => [o.tenantId!, o]));
  const instancesInUse = new Set(live.map((o) => o.storageInstanceId).filter(Boolean));
  const unreadableTenants = new Set(unreadable.map((u) => u.tenantId));
  const orphans: Orphan[] = [];
  const kept: KeptCopy[] = [];
  /** Tables some tenant's items still keep from being dropped. */
  const occupied = new Set<string>();

  for (const location of locateCopies(events, now)) {
    if (options.tenantId && location.tenantId !== options.tenantId) continue;
    const key = tableKey(location.table);
    if (placed.tablesOf.get(location.tenantId)?.has(key)) continue; // where the tenant lives
    const holder = heldBy.get(location.tenantId);
    const keep = (reason: string) => {
      occupied.add(key);
      kept.push({ tenantId: location.tenantId, table: location.table, keptUntil: location.keptUntil, reason, origins: location.origins });
    };
    if (holder) {
      keep(`${holder.kind.replace(/_/g, " ")} ${holder.id} holds ${location.tenantId} (queued, running or needing attention)`);
      continue;
    }
    if (unreadableTenants.has(location.tenantId)) {
      keep(`an operation of ${location.tenantId} could not be read, so what it keeps is unknown`);
      continue;
    }
    if (location.keptUntil !== null) {
      keep(location.keptFor ? `kept for ${location.keptFor}` : "kept on purpose");
      continue;
    }
    const items = await countAt(access, location);
    if (items === null) continue; // the table is gone
    if (items === 0 && !location.ownTable) continue;
    occupied.add(key);
    orphans.push({
      kind: "tenantCopy",
      tenantId: location.tenantId,
      keyPrefix: location.keyPrefix,
      keyScheme: location.keyScheme,
      table: location.table,
      items,
      ownTable: location.ownTable,
      origins: location.origins,
    });
  }

  if (!options.tenantId) {
    for (const instance of retired) {
      const key = tableKey(instance);
      if (placed.tablesInUse.has(key) || occupied.has(key) || instancesInUse.has(instance.id)) continue;
      if (!(await tableExists(access.dynamoDb(instance.region), instance.tableName))) continue;
      orphans.push({
        kind: "table",
        storageInstanceId: instance.id,
        tableName: instance.tableName,
        region: instance.region,
        origins: [{ what: `table of retired storage instance ${instance.id}`, operationId: null }],
      });
    }
  }
  return { orphans, kept, unreadable, checkedAt: now };
}
