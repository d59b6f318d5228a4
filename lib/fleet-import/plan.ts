// The dry run's verdict on each row of a valid import file: create it,
// unchanged (the catalog already says exactly this), or a conflict with why.
// Pure (plan.test.ts): the catalog and the tables' DescribeTable facts arrive
// as arguments. The import applies only a plan without conflicts, and creates
// exactly its "create" rows, so importing the same file again changes nothing.
import { nameKey } from "../validation/names";
import { createHash } from "node:crypto";
import type { DeploymentModelValue, TenantStatusValue, TierValue } from "../catalog/vocabulary";
import { describeKeyScheme, sameKeyLayout, storedKeyScheme, tenantKeyPrefix, type KeyScheme } from "../storage/key-scheme";
import type { TenantEntity } from "../storage/tenant-items";
import { checkTable, type TableFacts } from "./table-check";
import type { DeclaredFleet, DeclaredInstance, DeclaredTenant } from "./validate";

export type RowAction = "create" | "unchanged" | "conflict";

export interface PlanRow {
  kind: "instance" | "tenant";
  id: string;
  line: number;
  action: RowAction;
  /** Instance: the table and region; tenant: its placement and plan. */
  summary: string;
  /** Why a conflict is one (empty otherwise). */
  reasons: string[];
  /** What else the operator should know (e.g. a capacity assumed). */
  notes: string[];
}

export interface CatalogInstance {
  id: string;
  tableName: string;
  region: string;
  mode: "pool" | "silo";
  status: "provisioning" | "active" | "draining" | "retired";
  keyScheme: unknown;
}

export interface CatalogTenant {
  id: string;
  name: string;
  tier: TierValue;
  deploymentModel: DeploymentModelValue;
  status: TenantStatusValue;
  planId: string;
  storageInstanceId: string | null;
  bridgeEntity: string | null;
  bridgeInstanceId: string | null;
  contactEmail: string | null;
  keyPrefix: string | null;
  /** The name's comparison form as stored (lib/validation/names.ts); computed from the name when absent. */
  nameKey?: string;
}

/** What the plan needs of the catalog (queries.ts loads it for one file). */
export interface CatalogState {
  /** Every registered storage instance. */
  instances: readonly CatalogInstance[];
  /** Tenants the file names, and tenants holding a key prefix or a silo the file's new tenants would take. */
  tenants: readonly CatalogTenant[];
}

export interface InstanceCreate {
  id: string;
  tableName: string;
  region: string;
  mode: "pool" | "silo";
  capacityMode: "provisioned" | "on_demand";
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  /** Null for the default scheme. */
  keyScheme: KeyScheme | null;
}

/** A tenant row as the catalog will hold it. */
export type TenantCreate = Omit<DeclaredTenant, "line"> & { keyPrefix: string };

export interface ImportCounts {
  create: number;
  unchanged: number;
  conflict: number;
}

export interface ImportPlan {
  rows: PlanRow[];
  instances: ImportCounts;
  tenants: ImportCounts;
  /** What applying creates (empty when any row conflicts: nothing is applied then). */
  creates: { instances: InstanceCreate[]; tenants: TenantCreate[] };
  /** Every tenant of the file that will be in the catalog as declared: their routing is published after the apply. */
  tenantIds: string[];
  /** Identifies the plan's verdicts: an apply proceeds only if it finds the plan the operator confirmed. */
  fingerprint: string;
}

const placementText = (t: Pick<DeclaredTenant, "storageInstanceId" | "bridgeEntity" | "bridgeInstanceId">) =>
  t.bridgeInstanceId ? `${t.storageInstanceId}, ${t.bridgeEntity} in ${t.bridgeInstanceId}` : t.storageInstanceId;

function sameScheme(a: KeyScheme, b: KeyScheme): boolean {
  return sameKeyLayout(a, b) && a.tenantIndex === b.tenantIndex;
}

function schemeOf(stored: unknown): KeyScheme | null {
  try {
    return storedKeyScheme(stored);
  } catch {
    return null;
  }
}

function planInstance(
  declared: DeclaredInstance,
  catalog: { byId: Map<string, CatalogInstance>; byTable: Map<string, CatalogInstance> },
  facts: TableFacts | undefined,
): { row: PlanRow; create: InstanceCreate | null } {
  const reasons: string[] = [];
  const notes: string[] = [];
  const check = facts ? checkTable(declared, facts) : { problems: ["the table was not described"], capacity: null, notes: [] };
  reasons.push(...check.problems);
  notes.push(...check.notes);
  const existing = catalog.byId.get(declared.id);
  const tableOwner = catalog.byTable.get(declared.tableName);
  if (existing) {
    const differences: string[] = [];
    if (existing.tableName !== declared.tableName) differences.push(`table ${existing.tableName}`);
    if (existing.region !== declared.region) differences.push(`region ${existing.region}`);
    if (existing.mode !== declared.mode) differences.push(`mode ${existing.mode}`);
    const stored = schemeOf(existing.keyScheme);
    if (!stored || !sameScheme(stored, declared.keyScheme))
      differences.push(`key scheme ${stored ? describeKeyScheme(stored) : "(unreadable)"}`);
    if (differences.length) reasons.push(`storage instance ${declared.id} is already registered with ${differences.join(", ")}`);
    else if (existing.status !== "active") notes.push(`registered, ${existing.status}`);
  } else if (tableOwner) {
    reasons.push(`table ${declared.tableName} is already registered as storage instance ${tableOwner.id}`);
  }
  const action: RowAction = reasons.length ? "conflict" : existing ? "unchanged" : "create";
  const row: PlanRow = {
    kind: "instance",
    id: declared.id,
    line: declared.line,
    action,
    summary: `${declared.mode} · ${declared.tableName} · ${declared.region}${check.capacity ? ` · ${capacityText(check.capacity)}` : ""}`,
    reasons,
    notes: declared.customScheme ? [`keys: ${describeKeyScheme(declared.keyScheme)}`, ...notes] : notes,
  };
  const create =
    action === "create" && check.capacity
      ? {
          id: declared.id,
          tableName: declared.tableName,
          region: declared.region,
          mode: declared.mode,
          ...check.capacity,
          keyScheme: declared.customScheme ? declared.keyScheme : null,
        }
      : null;
  return { row, create };
}

function capacityText(capacity: { capacityMode: string; readUnitsPerSec: number; writeUnitsPerSec: number }): string {
  const units = `${capacity.readUnitsPerSec.toLocaleString("en-US")} RCU / ${capacity.writeUnitsPerSec.toLocaleString("en-US")} WCU`;
  return capacity.capacityMode === "on_demand" ? `on-demand, max ${units}` : `provisioned ${units}`;
}

/** The fields of a tenant the file declares, as the catalog would hold them. */
function tenantDifferences(existing: CatalogTenant, declared: DeclaredTenant, keyPrefix: string): string[] {
  const differences: string[] = [];
  const declaredPlacement = placementText(declared);
  const existingPlacement = existing.storageInstanceId
    ? placementText({
        storageInstanceId: existing.storageInstanceId,
        bridgeEntity: existing.bridgeEntity as TenantEntity | null,
        bridgeInstanceId: existing.bridgeInstanceId,
      })
    : "(no placement)";
  if (existingPlacement !== declaredPlacement)
    differences.push(`another placement (catalog: ${existingPlacement}; file: ${declaredPlacement})`);
  if (existing.deploymentModel !== declared.deploymentModel)
    differences.push(`another deployment model (catalog: ${existing.deploymentModel}; file: ${declared.deploymentModel})`);
  if (existing.planId !== declared.planId) differences.push(`another plan (catalog: ${existing.planId}; file: ${declared.planId})`);
  if (existing.tier !== declared.tier) differences.push(`another tier (catalog: ${existing.tier}; file: ${declared.tier})`);
  if (existing.name !== declared.name) differences.push(`another name (catalog: ${JSON.stringify(existing.name)})`);
  if ((existing.contactEmail ?? null) !== declared.contactEmail)
    differences.push(`another contact (catalog: ${existing.contactEmail ?? "none"}; file: ${declared.contactEmail ?? "none"})`);
  if (existingPlacement === declaredPlacement && existing.keyPrefix !== keyPrefix)
    differences.push(`another key prefix (catalog: ${existing.keyPrefix ?? "none"}; the key scheme gives ${keyPrefix})`);
  return differences;
}

/** The dry run: one row per instance and tenant of the file, in file order. */
export function planImport(fleet: DeclaredFleet, catalog: CatalogState, tables: ReadonlyMap<string, TableFacts>): ImportPlan {
  const byId = new Map(catalog.instances.map((i) => [i.id, i]));
  const byTable = new Map(catalog.instances.map((i) => [i.tableName, i]));
  const rows: PlanRow[] = [];
  const instanceCreates: InstanceCreate[] = [];
  const instanceAction = new Map<string, RowAction>();
  const schemes = new Map<string, KeyScheme | null>(catalog.instances.map((i) => [i.id, schemeOf(i.keyScheme)]));

  for (const declared of fleet.instances) {
    const { row, create } = planInstance(declared, { byId, byTable }, tables.get(declared.id));
    rows.push(row);
    instanceAction.set(declared.id, row.action);
    schemes.set(declared.id, declared.keyScheme);
    if (create) instanceCreates.push(create);
  }

  const catalogTenants = new Map(catalog.tenants.map((t) => [t.id, t]));
  const prefixOwners = new Map(catalog.tenants.filter((t) => t.keyPrefix).map((t) => [t.keyPrefix!, t.id]));
  const siloHolders = new Map<string, string[]>();
  for (const t of catalog.tenants) {
    if (t.status === "offboarded") continue;
    for (const id of [t.storageInstanceId, t.bridgeInstanceId]) if (id) siloHolders.set(id, [...(siloHolders.get(id) ?? []), t.id]);
  }
  // Names compare by nameKey: a tenant whose name looks like another's (in the catalog or earlier in the file) conflicts.
  const nameOwners = new Map<string, { id: string; name: string }>(catalog.tenants.map((t) => [t.nameKey ?? nameKey(t.name), t]));
  const tenantCreates: TenantCreate[] = [];
  const tenantIds: string[] = [];

  for (const declared of fleet.tenants) {
    const reasons: string[] = [];
    const notes: string[] = [];
    const scheme = schemes.get(declared.storageInstanceId) ?? null;
    const keyPrefix = scheme ? tenantKeyPrefix(scheme, declared.id) : "";
    for (const instanceId of [declared.storageInstanceId, declared.bridgeInstanceId]) {
      if (!instanceId) continue;
      const action = instanceAction.get(instanceId);
      if (action === "conflict") reasons.push(`its storage instance ${instanceId} cannot be imported (see its row)`);
      if (action !== undefined) continue;
      const registered = byId.get(instanceId);
      if (!registered) reasons.push(`storage instance ${instanceId} is not in the catalog`);
      else if (registered.status !== "active")
        reasons.push(`storage instance ${instanceId} is ${registered.status}: new tenants are placed only on active instances`);
    }
    if (!scheme) reasons.push(`storage instance ${declared.storageInstanceId}'s key scheme cannot be read`);
    else if (keyPrefix.length < 2) reasons.push(`the key scheme of ${declared.storageInstanceId} gives no key prefix for ${declared.id}`);
    const existing = catalogTenants.get(declared.id);
    if (existing) {
      if (existing.status === "offboarded") reasons.push(`tenant ${declared.id} was offboarded (tenant ids are never reused)`);
      else if (existing.status === "provisioning") reasons.push(`tenant ${declared.id} is being onboarded (provisioning)`);
      else {
        const differences = tenantDifferences(existing, declared, keyPrefix);
        if (differences.length) reasons.push(`tenant ${declared.id} exists with ${differences.join("; ")}`);
        else if (existing.status !== "active") notes.push(`in the catalog, ${existing.status}`);
      }
    } else if (keyPrefix.length >= 2) {
      const owner = prefixOwners.get(keyPrefix);
      if (owner && owner !== declared.id) reasons.push(`key prefix ${keyPrefix} already belongs to tenant ${owner}`);
      else prefixOwners.set(keyPrefix, declared.id);
      for (const siloId of [declared.deploymentModel === "silo" ? declared.storageInstanceId : null, declared.bridgeInstanceId]) {
        const others = siloId ? (siloHolders.get(siloId) ?? []).filter((id) => id !== declared.id) : [];
        if (siloId && others.length) reasons.push(`silo ${siloId} already holds tenant ${others.join(", ")}`);
      }
    }
    const key = nameKey(declared.name);
    const lookAlike = nameOwners.get(key);
    if (lookAlike && lookAlike.id !== declared.id)
      reasons.push(
        `its name ${JSON.stringify(declared.name)} looks the same as tenant ${lookAlike.id}'s (${JSON.stringify(lookAlike.name)})`,
      );
    else if (!lookAlike) nameOwners.set(key, { id: declared.id, name: declared.name });
    const action: RowAction = reasons.length ? "conflict" : existing ? "unchanged" : "create";
    rows.push({
      kind: "tenant",
      id: declared.id,
      line: declared.line,
      action,
      summary: `${declared.deploymentModel} · ${placementText(declared)} · plan ${declared.planId}`,
      reasons,
      notes,
    });
    if (action !== "conflict") tenantIds.push(declared.id);
    if (action === "create")
      tenantCreates.push({
        id: declared.id,
        name: declared.name,
        tier: declared.tier,
        deploymentModel: declared.deploymentModel,
        planId: declared.planId,
        storageInstanceId: declared.storageInstanceId,
        keyPrefix,
        bridgeEntity: declared.bridgeEntity,
        bridgeInstanceId: declared.bridgeInstanceId,
        contactEmail: declared.contactEmail,
      });
  }

  const count = (kind: PlanRow["kind"]): ImportCounts => {
    const of = rows.filter((r) => r.kind === kind);
    return {
      create: of.filter((r) => r.action === "create").length,
      unchanged: of.filter((r) => r.action === "unchanged").length,
      conflict: of.filter((r) => r.action === "conflict").length,
    };
  };
  const instances = count("instance");
  const tenants = count("tenant");
  const blocked = instances.conflict + tenants.conflict > 0;
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([rows.map((r) => [r.kind, r.id, r.action]), instanceCreates, tenantCreates]))
    .digest("hex")
    .slice(0, 16);
  return {
    rows,
    instances,
    tenants,
    creates: blocked ? { instances: [], tenants: [] } : { instances: instanceCreates, tenants: tenantCreates },
    tenantIds: blocked ? [] : tenantIds,
    fingerprint,
  };
}
