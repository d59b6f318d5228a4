// How a storage instance's items are keyed, and so how one tenant's items are
// found: the names of the partition and sort key, a partition-key template
// that carries the tenant id, the attribute that names the tenant on every
// item, and the attribute every writer stamps with the write's time (catch-up
// passes find changes by it). Migration, backup, restore, the tenant-scope
// guard, the session policy and the data-plane library all read keys through
// this module. Pure: unit-tested in key-scheme.test.ts.
//
// Templates (literal text around placeholders):
//   "{tenantId}#{entity}"   the default: one partition per entity of the product
//   "TENANT#{tenantId}"     one partition per tenant (the sort key tells items apart)
//   "ORG#{tenantId}#..."    any partition beginning with the tenant's prefix
// A tenant id is a slug ([a-z0-9-]), so a template is unambiguous when the id
// is followed by a character a slug cannot contain, or ends the key.
import { z } from "zod";

export const tenantIdPlaceholder = "{tenantId}";
export const entityPlaceholder = "{entity}";
export const anyRest = "...";

/** What follows the tenant's prefix in its partition keys. */
export type PartitionShape = "exact" | "entity" | "any";

export interface KeyScheme {
  partitionKey: string;
  /** Null for a table with a partition key only. */
  sortKey: string | null;
  /** The partition-key template; null when keys do not carry the tenant (a silo's own table only). */
  template: string | null;
  /** The attribute naming the item's tenant on every item; null when items carry none (the key alone tells). */
  tenantAttribute: string | null;
  /** A global secondary index whose partition key is tenantAttribute (schemes whose keys do not carry the tenant). */
  tenantIndex: string | null;
  /** Every write sets it to the time of the write (ms since the epoch, a number); catch-up passes find changes by it. */
  changeStamp: string;
}

export const defaultKeyScheme: KeyScheme = Object.freeze({
  partitionKey: "pk",
  sortKey: "sk",
  template: "{tenantId}#{entity}",
  tenantAttribute: "tenantId",
  tenantIndex: null,
  changeStamp: "updatedAt",
});

const attributeName = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(255, "is longer than DynamoDB's 255 bytes")
  .refine((name) => !/\p{Cc}/u.test(name), "contains a control character")
  // With the u flag a surrogate pair is one code point, so only a lone surrogate matches (String.isWellFormed is ES2024:
  // the data-plane package compiles against ES2022).
  .refine((name) => !/[\uD800-\uDFFF]/u.test(name), "contains a lone surrogate");

/** A key scheme as registered (a form, an import file, an API body); missing fields take the default's. */
export const keySchemeInputSchema = z
  .object({
    partitionKey: attributeName.default(defaultKeyScheme.partitionKey),
    sortKey: attributeName.nullable().default(defaultKeyScheme.sortKey),
    template: z
      .string()
      .trim()
      .max(200)
      .refine(
        (template) => !/\p{Cc}/u.test(template) && !/[\uD800-\uDFFF]/u.test(template),
        "contains a control character or a lone surrogate",
      )
      .nullable()
      .default(defaultKeyScheme.template),
    tenantAttribute: attributeName.nullable().default(defaultKeyScheme.tenantAttribute),
    tenantIndex: attributeName.nullable().default(null),
    changeStamp: attributeName.default(defaultKeyScheme.changeStamp),
  })
  .strict();
export type KeySchemeInput = z.input<typeof keySchemeInputSchema>;

export interface ParsedTemplate {
  /** Literal text before the tenant id. */
  before: string;
  /** Literal text after the tenant id and before {entity} or "..." (its first character ends the id). */
  after: string;
  shape: PartitionShape;
}

const slugCharacter = /[a-z0-9-]/;

/** Splits a template, or says why it cannot be used. */
export function parseTemplate(template: string): { ok: true; template: ParsedTemplate } | { ok: false; reason: string } {
  const at = template.indexOf(tenantIdPlaceholder);
  if (at < 0) return { ok: false, reason: `the template must contain ${tenantIdPlaceholder}` };
  if (template.indexOf(tenantIdPlaceholder, at + 1) >= 0) return { ok: false, reason: `${tenantIdPlaceholder} may appear only once` };
  const before = template.slice(0, at);
  let rest = template.slice(at + tenantIdPlaceholder.length);
  let shape: PartitionShape = "exact";
  if (rest.endsWith(entityPlaceholder)) {
    shape = "entity";
    rest = rest.slice(0, -entityPlaceholder.length);
  } else if (rest.endsWith(anyRest)) {
    shape = "any";
    rest = rest.slice(0, -anyRest.length);
  }
  for (const part of [before, rest]) {
    if (/[{}]/.test(part))
      return {
        ok: false,
        reason: `only ${tenantIdPlaceholder}, then ${entityPlaceholder} or "${anyRest}" at the end, may be placeholders`,
      };
    if (/[\u0000-\u001f\u007f]/.test(part)) return { ok: false, reason: "the template contains a control character" };
  }
  if (shape !== "exact" && rest.length === 0)
    return {
      ok: false,
      reason: `ambiguous: nothing separates the tenant id from what follows it (tenant "ab" would own tenant "abc"'s keys); put a delimiter such as "#" after ${tenantIdPlaceholder}`,
    };
  if (rest.length > 0 && slugCharacter.test(rest[0]!))
    return {
      ok: false,
      reason: `ambiguous: "${rest[0]}" after ${tenantIdPlaceholder} can be part of a tenant id; the id must be followed by a character tenant ids never contain (not a-z, 0-9 or "-"), such as "#"`,
    };
  return { ok: true, template: { before, after: rest, shape } };
}

export type KeySchemeCheck = { ok: true; scheme: KeyScheme; notes: string[] } | { ok: false; reasons: string[] };

/**
 * Validates a scheme for an instance of this mode, or lists every reason it
 * cannot be served safely. `notes` say what it costs (e.g. scans).
 */
export function checkKeyScheme(input: unknown, mode: "pool" | "silo"): KeySchemeCheck {
  const parsed = keySchemeInputSchema.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join(".") || "key scheme"}: ${i.message}`) };
  const scheme: KeyScheme = { ...parsed.data, template: parsed.data.template === "" ? null : parsed.data.template };
  const reasons: string[] = [];
  const notes: string[] = [];
  const names = [scheme.partitionKey, scheme.sortKey, scheme.tenantAttribute, scheme.changeStamp].filter((n): n is string => n !== null);
  if (new Set(names).size !== names.length)
    reasons.push("partition key, sort key, tenant attribute and change stamp must be four different attributes");
  if (scheme.template !== null) {
    const template = parseTemplate(scheme.template);
    if (!template.ok) reasons.push(`template: ${template.reason}`);
    else if (template.template.shape === "any")
      notes.push(
        "a tenant's partitions are not known in advance: migrations, backups and restores find its items with a Scan of the whole table filtered by its prefix",
      );
    if (scheme.tenantIndex !== null) notes.push("the tenant index is not needed: the partition key carries the tenant");
  } else if (mode === "pool") {
    reasons.push(
      "a pool's keys must carry the tenant (a template with {tenantId}): IAM's dynamodb:LeadingKeys cannot confine a tenant's credentials to items named only by an attribute, and batch writes cannot be conditioned on the owner, so a migration or restore could overwrite another tenant's item with the same key",
    );
  } else {
    notes.push("the table holds one tenant: every item in it is the tenant's");
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, scheme, notes };
}

/** The scheme, or an error naming why it is refused. */
export function keySchemeFor(input: unknown, mode: "pool" | "silo"): KeyScheme {
  const checked = checkKeyScheme(input, mode);
  if (!checked.ok) throw new Error(`key scheme refused: ${checked.reasons.join("; ")}`);
  return checked.scheme;
}

function templateOf(scheme: KeyScheme): ParsedTemplate | null {
  if (scheme.template === null) return null;
  const parsed = parseTemplate(scheme.template);
  if (!parsed.ok) throw new Error(`key scheme template ${scheme.template}: ${parsed.reason}`);
  return parsed.template;
}

export function partitionShape(scheme: KeyScheme): PartitionShape | "table" {
  return templateOf(scheme)?.shape ?? "table";
}

/**
 * What every partition key of the tenant begins with (for an exact template,
 * the whole key); "" when keys do not carry the tenant (the table is the scope).
 */
export function tenantKeyPrefix(scheme: KeyScheme, tenantId: string): string {
  const template = templateOf(scheme);
  return template ? `${template.before}${tenantId}${template.after}` : "";
}

/** Whether a partition key value is one of the tenant's. */
export function ownsPartition(scheme: KeyScheme, tenantId: string, partitionKeyValue: string): boolean {
  const template = templateOf(scheme);
  if (!template) return true;
  const prefix = `${template.before}${tenantId}${template.after}`;
  return template.shape === "exact"
    ? partitionKeyValue === prefix
    : partitionKeyValue.startsWith(prefix) && partitionKeyValue.length > prefix.length;
}

/** The tenant a partition key value belongs to, or null when it fits no tenant's keys. */
export function tenantOfPartition(scheme: KeyScheme, partitionKeyValue: string): string | null {
  const template = templateOf(scheme);
  if (!template || !partitionKeyValue.startsWith(template.before)) return null;
  const rest = partitionKeyValue.slice(template.before.length);
  const end = template.after.length > 0 ? rest.indexOf(template.after[0]!) : rest.length;
  if (end <= 0) return null;
  const tenantId = rest.slice(0, end);
  if (!/^[a-z0-9-]+$/.test(tenantId)) return null;
  return ownsPartition(scheme, tenantId, partitionKeyValue) ? tenantId : null;
}

/**
 * The tenant's partitions when they are known in advance (one per entity, or
 * the one exact partition); null when its items must be found by a scan.
 */
export function tenantPartitions(scheme: KeyScheme, tenantId: string, entities: readonly string[]): string[] | null {
  const template = templateOf(scheme);
  if (!template || template.shape === "any") return null;
  const prefix = `${template.before}${tenantId}${template.after}`;
  return template.shape === "exact" ? [prefix] : entities.map((entity) => `${prefix}${entity}`);
}

/** The partition of one entity of the tenant (entity templates only: the bridge model silos an entity). */
export function entityPartition(scheme: KeyScheme, tenantId: string, entity: string): string {
  const template = templateOf(scheme);
  if (template?.shape !== "entity")
    throw new Error(`key scheme ${scheme.template ?? "(no template)"} has no ${entityPlaceholder} partitions`);
  return `${template.before}${tenantId}${template.after}${entity}`;
}

/** The value of dynamodb:LeadingKeys that confines vended credentials to the tenant (StringLike); null when the key cannot. */
export function leadingKeysPattern(scheme: KeyScheme, tenantId: string): string | null {
  const template = templateOf(scheme);
  if (!template) return null;
  const prefix = `${template.before}${tenantId}${template.after}`.replace(/[*?]/g, (c) => `\${${c}}`);
  return template.shape === "exact" ? prefix : `${prefix}*`;
}

/** The attributes that make up an item's key. */
export function keyAttributes(scheme: KeyScheme): string[] {
  return scheme.sortKey === null ? [scheme.partitionKey] : [scheme.partitionKey, scheme.sortKey];
}

/** Two instances whose items can be copied between them verbatim (a migration moves items, it does not rewrite keys). */
export function sameKeyLayout(a: KeyScheme, b: KeyScheme): boolean {
  return (
    a.partitionKey === b.partitionKey &&
    a.sortKey === b.sortKey &&
    a.template === b.template &&
    a.tenantAttribute === b.tenantAttribute &&
    a.changeStamp === b.changeStamp
  );
}

export function isDefaultKeyScheme(scheme: KeyScheme): boolean {
  return sameKeyLayout(scheme, defaultKeyScheme) && scheme.tenantIndex === null;
}

/** One line for pages and messages, e.g. `PK = TENANT#{tenantId}, SK; tenant in orgId`. */
export function describeKeyScheme(scheme: KeyScheme): string {
  const key =
    scheme.template === null ? `${scheme.partitionKey} (does not carry the tenant)` : `${scheme.partitionKey} = ${scheme.template}`;
  const sort = scheme.sortKey === null ? "no sort key" : `sort key ${scheme.sortKey}`;
  const tenant = scheme.tenantAttribute === null ? "no tenant attribute" : `tenant in ${scheme.tenantAttribute}`;
  return `${key}, ${sort}; ${tenant}; writes stamped in ${scheme.changeStamp}`;
}

/** The scheme a storage instance stored at registration (null: the default). */
export function storedKeyScheme(stored: unknown): KeyScheme {
  if (stored === null || stored === undefined) return defaultKeyScheme;
  const parsed = keySchemeInputSchema.parse(stored);
  return { ...parsed, template: parsed.template === "" ? null : parsed.template };
}

/** The scheme as it travels in a routing record (every field said, so a reader needs no defaults of its own). */
export const keySchemeSchema = z.object({
  partitionKey: z.string().min(1),
  sortKey: z.string().min(1).nullable(),
  template: z.string().min(1).nullable(),
  tenantAttribute: z.string().min(1).nullable(),
  tenantIndex: z.string().min(1).nullable(),
  changeStamp: z.string().min(1),
});
