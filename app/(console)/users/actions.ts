"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { liftSignInLock, liftSignInLockInput, updateUserAccess, updateUserAccessInput } from "@/lib/users/users";

export const updateUserAccessAction = defineAction({
  name: "users.updateAccess",
  permission: "users.manage",
  input: updateUserAccessInput,
  target: (input) => ({ type: "user", id: typeof input.userId === "string" ? input.userId : null }),
  run: async (ctx, input) => {
    const result = await updateUserAccess(ctx, input);
    revalidatePath("/users");
    return result;
  },
});

export const liftSignInLockAction = defineAction({
  name: "users.liftSignInLock",
  permission: "users.manage",
  input: liftSignInLockInput,
  target: (input) => ({ type: "signInLock", id: typeof input.key === "string" ? input.key : null }),
  run: async (ctx, input) => {
    const result = await liftSignInLock(ctx, input);
    revalidatePath("/users");
    return result;
  },
});
