// The deletion certificate an offboarding ends with (pure: its facts in, the
// certificate out): who asked and who approved, when each phase ended, what was
// deleted where and how many items, the final export (its manifest's SHA-256),
// the verification's result, and what still holds the tenant's data and until
// when: backups taken before the purge, point-in-time recovery, the export.
// The certificate carries the SHA-256 of its own canonical JSON, so a copy can
// be checked against the one the operation stored.
import { createHash } from "node:crypto";

export const certificateFormat = "tsc-deletion-certificate/1";
/** How long DynamoDB point-in-time recovery keeps a table's history (and the backup it makes of a deleted table). */
export const pointInTimeRecoveryDays = 35;
const dayMs = 86_400_000;

export interface DeletedPlacement {
  storageInstanceId: string;
  tableName: string;
  region: string;
  how: "deleted by key" | "table dropped";
  /** The tenant's items there, as exported (all of them deleted). */
  items: number;
}

export interface HeldBackup {
  backupId: string;
  storageInstanceId: string;
  takenAt: string;
  /** Null: kept until someone deletes it. */
  expiresAt: string | null;
  items: number;
}

export interface CertificateFacts {
  operationId: string;
  tenant: { id: string; name: string; tier: string; deploymentModel: string; keyPrefix: string | null };
  reason: string;
  requestedBy: { email: string; at: string };
  approvedBy: { email: string; at: string };
  graceDays: number;
  times: { suspendedAt: string; exportedAt: string; graceEndedAt: string; purgedAt: string; verifiedAt: string; retiredAt: string };
  export: { store: string; location: string; manifestSha256: string; items: number; bytes: number; contentHash: string };
  deleted: DeletedPlacement[];
  verification: {
    /** The tenant's items found at each placement after the purge (0 everywhere, or the certificate is not issued). */
    tenantItemsLeft: { tableName: string; items: number }[];
    coTenants: { tableName: string; compared: number; unchanged: number; rewritten: number }[];
  };
  backups: HeldBackup[];
  /** On when the deployment restores from point-in-time recovery (AWS mode with PITR on the tables). */
  pointInTimeRecovery: boolean;
  issuedAt: string;
}

export interface DeletionCertificate extends Omit<CertificateFacts, "backups" | "pointInTimeRecovery" | "verification"> {
  format: typeof certificateFormat;
  items: number;
  verification: CertificateFacts["verification"] & { result: "passed" };
  stillHeld: {
    backups: HeldBackup[];
    pointInTimeRecovery: { tables: string[]; until: string } | null;
    export: { location: string; until: string };
    /** When the last backup or recovery window named above ends (the purge's time when there is none; null: a backup never expires). */
    backupsAndRecoveryUntil: string | null;
  };
  sha256: string;
}

/** JSON with object keys sorted, so the hash does not depend on the order facts were assembled in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** The SHA-256 of the certificate's canonical JSON without its own hash. */
export function certificateHash(certificate: Omit<DeletionCertificate, "sha256"> | DeletionCertificate): string {
  const { sha256: _own, ...rest } = certificate as DeletionCertificate;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** Builds the certificate; throws when the verification does not show zero items of the tenant everywhere. */
export function buildCertificate(facts: CertificateFacts): DeletionCertificate {
  const left = facts.verification.tenantItemsLeft.filter((p) => p.items > 0);
  if (left.length > 0)
    throw new Error(`no certificate: items of ${facts.tenant.id} are left in ${left.map((p) => p.tableName).join(", ")}`);
  const purgedAt = Date.parse(facts.times.purgedAt);
  const pitr = facts.pointInTimeRecovery
    ? {
        tables: facts.deleted.map((d) => d.tableName),
        until: new Date(purgedAt + pointInTimeRecoveryDays * dayMs).toISOString(),
      }
    : null;
  const ends = [...facts.backups.map((b) => b.expiresAt), ...(pitr ? [pitr.until] : [])];
  const backupsAndRecoveryUntil = ends.includes(null)
    ? null
    : (ends as string[]).reduce((latest, end) => (end > latest ? end : latest), facts.times.purgedAt);
  const { backups, pointInTimeRecovery: _pitr, verification, ...rest } = facts;
  const certificate: Omit<DeletionCertificate, "sha256"> = {
    format: certificateFormat,
    ...rest,
    items: facts.deleted.reduce((sum, d) => sum + d.items, 0),
    verification: { ...verification, result: "passed" },
    stillHeld: {
      backups: [...backups].sort((a, b) => (a.takenAt < b.takenAt ? -1 : 1)),
      pointInTimeRecovery: pitr,
      // The export is the tenant's data kept for its hand-over: it stays until an admin deletes it, so no date is promised.
      export: { location: facts.export.location, until: "deleted by an admin (kept for the tenant's hand-over)" },
      backupsAndRecoveryUntil,
    },
  };
  return { ...certificate, sha256: certificateHash(certificate) };
}
