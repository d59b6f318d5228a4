"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { operationIdPattern } from "@/lib/operations/ids";
import { operationDefinitions } from "@/lib/worker/kinds";
import { cancelOperation, retryOperation } from "@/lib/operations/queue";
import { migrationFollowUpInput, requestCleanup, requestRollback } from "@/lib/migration/requests";

const input = z.object({ operationId: z.string().regex(operationIdPattern, "Not an operation id") });
const target = (raw: Partial<z.infer<typeof input>>) => ({
  type: "operation",
  id: typeof raw.operationId === "string" ? raw.operationId : null,
});

export const cancelOperationAction = defineAction({
  name: "operations.cancel",
  permission: "operations.manage",
  input,
  target,
  run: async ({ db, user }, { operationId }) => {
    await cancelOperation(db, operationDefinitions, operationId, user);
    revalidatePath(`/operations/${operationId}`);
    return { data: undefined, message: "Cancelled." };
  },
});

export const retryOperationAction = defineAction({
  name: "operations.retry",
  permission: "operations.manage",
  input,
  target,
  run: async ({ db, user }, { operationId }) => {
    await retryOperation(db, operationDefinitions, operationId, user);
    revalidatePath(`/operations/${operationId}`);
    return { data: undefined, message: "Queued again: it resumes after its last completed step." };
  },
});

const followUpTarget = (raw: { migrationId?: unknown }) => ({
  type: "operation",
  id: typeof raw.migrationId === "string" ? raw.migrationId : null,
});

export const rollbackMigrationAction = defineAction({
  name: "tenants.rollbackMigration",
  permission: "tenants.migrate",
  input: migrationFollowUpInput,
  target: followUpTarget,
  run: async (ctx, input) => {
    const result = await requestRollback(ctx, input);
    revalidatePath(`/operations/${input.migrationId}`);
    return result;
  },
});

export const cleanupMigrationAction = defineAction({
  name: "tenants.cleanupMigration",
  permission: "tenants.migrate",
  input: migrationFollowUpInput,
  target: followUpTarget,
  run: async (ctx, input) => {
    const result = await requestCleanup(ctx, input);
    revalidatePath(`/operations/${input.migrationId}`);
    return result;
  },
});
