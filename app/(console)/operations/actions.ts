"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { operationIdPattern } from "@/lib/operations/ids";
import { operationDefinitions } from "@/lib/operations/kinds";
import { cancelOperation, retryOperation } from "@/lib/operations/queue";

const input = z.object({ operationId: z.string().regex(operationIdPattern, "Not an operation id") });
const target = (raw: Partial<z.infer<typeof input>>) => ({ type: "operation", id: typeof raw.operationId === "string" ? raw.operationId : null });

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
