// Downloading an offboarding's final export (admins: tenants.downloadExport):
// the manifest, or every item as one .jsonl.gz, streamed from the backup store
// and checked part by part against the manifest (offboarding-export.ts). Every
// attempt is audited: a download (who took the customer's data, and when), a
// refusal (a role without the permission), a failure (no export, or one that
// no longer matches its manifest).
import "server-only";
import { auditEntry } from "../audit/record";
import type { SignedInUser } from "../auth/action-context";
import { can } from "../auth/permissions";
import { config } from "../config/config";
import type { Db } from "../db/client";
import { backupStoreFor } from "../operations/environment";
import { operationIdPattern } from "../operations/ids";
import type { BackupStore } from "../storage/backup-store";
import { openOffboardingExport, type ExportFile } from "./offboarding-export";

export type ExportDownload =
  | { ok: true; fileName: string; contentType: string; bytes: number; stream: ReadableStream<Uint8Array> }
  | { ok: false; status: 400 | 403 | 404 | 409; error: string };

/** The export of offboarding `operationId` for `user`, or why not (audited either way). */
export async function downloadOffboardingExport(
  db: Db,
  user: SignedInUser,
  operationId: string,
  rawFile: string | null,
  store: BackupStore = backupStoreFor(config()),
): Promise<ExportDownload> {
  const file: ExportFile | null = rawFile === "manifest" || rawFile === "items" ? rawFile : null;
  const validId = operationIdPattern.test(operationId);
  const operation = validId
    ? await db.operation.findUnique({ where: { id: operationId }, select: { id: true, kind: true, tenantId: true } })
    : null;
  const audit = (outcome: "succeeded" | "refused" | "failed", detail: string) =>
    db.auditEntry.create({
      data: auditEntry(user, {
        action: "tenants.downloadExport",
        targetType: "tenant",
        targetId: operation?.tenantId ?? null,
        parameters: { operationId, file: rawFile ?? "" },
        outcome,
        detail,
        operationId: operation?.id,
      }),
    });
  if (!can(user.role, "tenants.downloadExport")) {
    await audit("refused", `role ${user.role} lacks tenants.downloadExport`);
    return { ok: false, status: 403, error: "Only an admin may download an offboarding's export (tenants.downloadExport)." };
  }
  if (!file) {
    await audit("refused", "file must be manifest or items");
    return { ok: false, status: 400, error: "Ask for file=manifest or file=items." };
  }
  if (!operation || operation.kind !== "offboard") {
    await audit("refused", `no offboarding ${operationId.slice(0, 40)}`);
    return { ok: false, status: 404, error: `No offboarding ${operationId.slice(0, 40)}.` };
  }
  try {
    const opened = await openOffboardingExport(store, operation.id, file);
    await audit("succeeded", `downloaded ${opened.fileName} (${opened.bytes.toLocaleString("en-US")} bytes as stored)`);
    return { ok: true, ...opened };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 500) : String(error);
    await audit("failed", message);
    return { ok: false, status: 409, error: `The export cannot be served: ${message}` };
  }
}
