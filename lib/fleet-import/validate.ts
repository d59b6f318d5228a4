// The import file's rows checked field by field and against each other and
// the catalog's plans and storage instances: every bad row named with its
// line, its field and why. Pure (validate.test.ts): the catalog arrives as
// facts. Nothing is imported while any problem remains.
import { z } from "zod";
import { deploymentModels, slugPattern, tiers, type DeploymentModelValue, type TierValue } from "../catalog/vocabulary";
import { checkKeyScheme, isDefaultKeyScheme, partitionShape, storedKeyScheme, type KeyScheme } from "../storage/key-scheme";
import { tenantEntities, type TenantEntity } from "../storage/tenant-items";
import { singleLine, tenantNameField } from "../validation/fields";
import type { ImportProblem, RawRow } from "./file-format";

export interface DeclaredInstance {
  line: number;
  id: string;
  tableName: string;
  region: string;
  mode: "pool" | "silo";
  keyScheme: KeyScheme;
  /** Whether the file declared a scheme other than the default (stored as null when not). */
  customScheme: boolean;
}

export interface DeclaredTenant {
  line: number;
  id: string;
  name: string;
  tier: TierValue;
  deploymentModel: DeploymentModelValue;
  planId: string;
  storageInstanceId: string;
  bridgeEntity: TenantEntity | null;
  bridgeInstanceId: string | null;
  contactEmail: string | null;
}

export interface DeclaredFleet {
  instances: DeclaredInstance[];
  tenants: DeclaredTenant[];
}

/** What validation needs to know of the catalog. */
export interface CatalogFacts {
  planIds: ReadonlySet<string>;
  /** Every registered storage instance by id. */
  instances: ReadonlyMap<string, { mode: "pool" | "silo"; keyScheme: unknown }>;
}

export type ValidationResult = { ok: true; fleet: DeclaredFleet } | { ok: false; problems: ImportProblem[] };

const slug = (what: string) =>
  z
    .string({ error: `Give the ${what}` })
    .trim()
    .regex(slugPattern, `Not a valid ${what}: 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`);

/** DynamoDB's table names: 3 to 255 of a-z, A-Z, 0-9, "_", "-" and ".". */
const tableName = z
  .string({ error: "Give the DynamoDB table's name" })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, "Not a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'");

const region = z
  .string({ error: "Give the table's AWS region" })
  .trim()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "An AWS region such as us-east-1");

const instanceRow = z
  .object({
    id: slug("storage instance id"),
    tableName,
    region,
    mode: z.enum(["pool", "silo"], { error: "Either pool or silo" }),
    keyScheme: z.unknown().optional(),
  })
  .strict();

const optionalText = <T extends z.ZodType<string>>(schema: T) =>
  z.preprocess((value) => (value === null || (typeof value === "string" && value.trim() === "") ? undefined : value), schema.optional());

const tenantRow = z
  .object({
    id: slug("tenant id").refine((id) => id !== "new", '"new" is reserved (it is the onboarding page\'s address)'),
    name: z.string({ error: "Give the tenant's name" }).pipe(tenantNameField),
    tier: z.enum(tiers, { error: `One of ${tiers.join(", ")}` }),
    deploymentModel: z.enum(deploymentModels, { error: `One of ${deploymentModels.join(", ")}` }),
    planId: z.string({ error: "Give the throttling plan's id" }).pipe(singleLine({ max: 63, required: "Give the throttling plan's id" })),
    storageInstanceId: slug("storage instance id"),
    bridgeEntity: optionalText(z.enum(tenantEntities, { error: `One of ${tenantEntities.join(", ")}` })),
    bridgeInstanceId: optionalText(slug("storage instance id")),
    contactEmail: optionalText(
      z.string().trim().pipe(z.email("An e-mail address such as ops@example.com").max(254, "At most 254 characters")),
    ),
  })
  .strict();

function issuesOf(line: number, error: z.ZodError): ImportProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({ line, field: key, message: "not a field of this kind of row" }));
    const field = issue.path.map(String).join(".") || null;
    // A missing field: zod's type message ("Give the ...") says what to put there.
    return [{ line, field, message: issue.message }];
  });
}

/** Checks every row; the problems in file order, or the fleet the file declares. */
export function validateImport(rows: readonly RawRow[], catalog: CatalogFacts): ValidationResult {
  const problems: ImportProblem[] = [];
  const instances: DeclaredInstance[] = [];
  const tenants: DeclaredTenant[] = [];
  const instanceLines = new Map<string, number>();
  const tableLines = new Map<string, number>();
  const tenantLines = new Map<string, number>();

  for (const row of rows.filter((r) => r.kind === "instance")) {
    const parsed = instanceRow.safeParse(row.fields);
    if (!parsed.success) {
      problems.push(...issuesOf(row.line, parsed.error));
      continue;
    }
    const { id, mode } = parsed.data;
    const seen = instanceLines.get(id);
    if (seen !== undefined)
      problems.push({ line: row.line, field: "id", message: `duplicate storage instance id ${id} (also on line ${seen})` });
    else instanceLines.set(id, row.line);
    const sameTable = tableLines.get(parsed.data.tableName);
    if (sameTable !== undefined)
      problems.push({
        line: row.line,
        field: "tableName",
        message: `table ${parsed.data.tableName} is declared twice (also on line ${sameTable})`,
      });
    else tableLines.set(parsed.data.tableName, row.line);
    const checked = checkKeyScheme(parsed.data.keyScheme ?? null, mode);
    if (!checked.ok) {
      for (const reason of checked.reasons) problems.push({ line: row.line, field: "keyScheme", message: reason });
      continue;
    }
    if (checked.scheme.template === null) {
      problems.push({
        line: row.line,
        field: "keyScheme.template",
        message:
          "a scheme whose keys do not carry the tenant cannot be imported yet: each tenant needs a key prefix in the catalog and its routing record",
      });
      continue;
    }
    if (seen === undefined)
      instances.push({ line: row.line, ...parsed.data, keyScheme: checked.scheme, customScheme: !isDefaultKeyScheme(checked.scheme) });
  }

  const declared = new Map(instances.map((i) => [i.id, i]));
  const modeOf = (id: string) => declared.get(id)?.mode ?? catalog.instances.get(id)?.mode;
  const siloTenants = new Map<string, { tenantId: string; line: number }>();

  for (const row of rows.filter((r) => r.kind === "tenant")) {
    const parsed = tenantRow.safeParse(row.fields);
    if (!parsed.success) {
      problems.push(...issuesOf(row.line, parsed.error));
      continue;
    }
    const t = parsed.data;
    const bad = (field: string, message: string) => problems.push({ line: row.line, field, message });
    const before = problems.length;
    const seen = tenantLines.get(t.id);
    if (seen !== undefined) bad("id", `duplicate tenant id ${t.id} (also on line ${seen})`);
    else tenantLines.set(t.id, row.line);
    if (!catalog.planIds.has(t.planId))
      bad("planId", `unknown throttling plan ${t.planId} (the catalog has ${[...catalog.planIds].sort().join(", ") || "no plans"})`);
    const placed = (field: "storageInstanceId" | "bridgeInstanceId", id: string, wanted: "pool" | "silo") => {
      const mode = modeOf(id);
      if (mode === undefined) {
        if (instanceLines.has(id)) bad(field, `storage instance ${id} is declared on line ${instanceLines.get(id)}, which has problems`);
        else bad(field, `unknown storage instance ${id}: neither in this file nor in the catalog`);
      } else if (mode !== wanted)
        bad(
          field,
          `storage instance ${id} is a ${mode}; a ${t.deploymentModel} tenant's ${field === "bridgeInstanceId" ? "bridged entity needs" : "placement needs"} a ${wanted}`,
        );
      else if (wanted === "silo") {
        const holder = siloTenants.get(id);
        if (holder && holder.tenantId !== t.id)
          bad(field, `silo ${id} already holds tenant ${holder.tenantId} (line ${holder.line}); a silo holds one tenant`);
        else siloTenants.set(id, { tenantId: t.id, line: row.line });
      }
    };
    placed("storageInstanceId", t.storageInstanceId, t.deploymentModel === "silo" ? "silo" : "pool");
    if (t.deploymentModel === "bridge") {
      if (!t.bridgeEntity) bad("bridgeEntity", `a bridge tenant names the entity that has its own table (${tenantEntities.join(", ")})`);
      if (!t.bridgeInstanceId) bad("bridgeInstanceId", "a bridge tenant names the silo that holds its bridged entity");
      else if (t.bridgeInstanceId === t.storageInstanceId)
        bad("bridgeInstanceId", "the bridged entity's silo must differ from the tenant's pool");
      else placed("bridgeInstanceId", t.bridgeInstanceId, "silo");
      const primary = declared.get(t.storageInstanceId)?.keyScheme ?? schemeInCatalog(catalog, t.storageInstanceId);
      if (primary && partitionShape(primary) !== "entity")
        bad(
          "deploymentModel",
          `a bridge tenant's items are partitioned by entity; storage instance ${t.storageInstanceId}'s key scheme has no {entity} partitions`,
        );
    } else {
      if (t.bridgeEntity) bad("bridgeEntity", "only a bridge tenant has a bridged entity");
      if (t.bridgeInstanceId) bad("bridgeInstanceId", "only a bridge tenant has a bridge instance");
    }
    if (problems.length === before && seen === undefined)
      tenants.push({
        line: row.line,
        ...t,
        bridgeEntity: t.bridgeEntity ?? null,
        bridgeInstanceId: t.bridgeInstanceId ?? null,
        contactEmail: t.contactEmail ?? null,
      });
  }
  if (rows.length === 0) problems.push({ line: null, field: null, message: "the file declares no storage instances and no tenants" });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return problems.length ? { ok: false, problems } : { ok: true, fleet: { instances, tenants } };
}

function schemeInCatalog(catalog: CatalogFacts, id: string): KeyScheme | null {
  const instance = catalog.instances.get(id);
  if (!instance) return null;
  try {
    return storedKeyScheme(instance.keyScheme);
  } catch {
    return null;
  }
}
