"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { backupInput, queueBackup, requestRestore, restoreInput, scheduleInput, setBackupSchedule } from "@/lib/backup/requests";

export const backUpNowAction = defineAction({
  name: "backups.create",
  permission: "backups.manage",
  input: backupInput,
  target: (input) => ({ type: "storageInstance", id: typeof input.storageInstanceId === "string" ? input.storageInstanceId : null }),
  run: async (ctx, input) => {
    const result = await queueBackup(ctx, input);
    revalidatePath("/backups");
    return result;
  },
});

export const setScheduleAction = defineAction({
  name: "backups.schedule",
  permission: "backups.manage",
  input: scheduleInput,
  target: (input) => ({ type: "storageInstance", id: typeof input.storageInstanceId === "string" ? input.storageInstanceId : null }),
  run: async (ctx, input) => {
    const result = await setBackupSchedule(ctx, input);
    revalidatePath("/backups");
    return result;
  },
});

export const restoreTenantAction = defineAction({
  name: "tenants.restore",
  permission: "tenants.restore",
  input: restoreInput,
  target: (input) => ({ type: "tenant", id: typeof input.tenantId === "string" ? input.tenantId : null }),
  run: async (ctx, input) => {
    const result = await requestRestore(ctx, input);
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});
