// Operations as the console shows them: the filtered list, and one operation
// with its step timeline (plain JSON, so a live panel can poll it).
import { z } from "zod";
import { singleLine } from "../validation/fields";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import { OperationKind, OperationStatus } from "../generated/prisma/enums.ts";
import { firstValues, type SearchParams } from "../validation/search-params";
import { isCancellable, parseSteps } from "./definition";
import type { OperationView } from "./view-model";

export const operationFiltersSchema = z.object({
  kind: z.enum(Object.values(OperationKind)).optional().catch(undefined),
  status: z.enum(Object.values(OperationStatus)).optional().catch(undefined),
  tenant: singleLine({ max: 63 }).optional().catch(undefined),
  who: singleLine({ max: 254 }).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type OperationFilters = z.infer<typeof operationFiltersSchema>;

export function parseOperationFilters(params: SearchParams): OperationFilters {
  return operationFiltersSchema.parse(firstValues(params, Object.keys(operationFiltersSchema.shape)));
}

export const operationPageSize = 50;

export async function listOperations(db: Db, filters: OperationFilters) {
  const where: Prisma.OperationWhereInput = {
    kind: filters.kind,
    status: filters.status,
    tenantId: filters.tenant ? { contains: filters.tenant.toLowerCase() } : undefined,
    requestedBy: filters.who ? { email: { contains: filters.who, mode: "insensitive" } } : undefined,
  };
  const [total, rows] = await Promise.all([
    db.operation.count({ where }),
    db.operation.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * operationPageSize,
      take: operationPageSize,
      include: { requestedBy: { select: { email: true } } },
    }),
  ]);
  return { total, rows, page: filters.page, pageCount: Math.max(1, Math.ceil(total / operationPageSize)) };
}

export async function getOperationView(db: Db, id: string): Promise<OperationView | null> {
  const operation = await db.operation.findUnique({ where: { id }, include: { requestedBy: { select: { email: true } } } });
  if (!operation) return null;
  const steps = parseSteps(operation.steps);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: operation.id,
    kind: operation.kind,
    status: operation.status,
    tenantId: operation.tenantId,
    storageInstanceId: operation.storageInstanceId,
    progress: operation.progress,
    currentStep: operation.currentStep,
    steps,
    parameters: (operation.parameters ?? {}) as Record<string, unknown>,
    error: operation.error,
    attempts: operation.attempts,
    leaseOwner: operation.leaseOwner,
    requestedBy: operation.requestedBy.email,
    createdAt: operation.createdAt.toISOString(),
    startedAt: iso(operation.startedAt),
    finishedAt: iso(operation.finishedAt),
    updatedAt: operation.updatedAt.toISOString(),
    cancellable: isCancellable(operation.status, steps),
    runAfter: iso(operation.runAfter),
    approvedBy: operation.approvedByEmail,
    approvedAt: iso(operation.approvedAt),
    cancelRequestedBy: steps.find((s) => s.cancelRequest)?.cancelRequest?.byEmail ?? null,
    result: operation.result ?? null,
    readAt: new Date().toISOString(),
  };
}
