import type { Db } from "../db/client";
import { roles } from "../catalog/vocabulary";
import { z } from "zod";
import { singleLine } from "../validation/fields";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, disabled: true, updatedAt: true },
  });
}

export type UserRow = Awaited<ReturnType<typeof listUsers>>[number];

export const updateUserAccessInput = z.object({
  userId: singleLine({ max: 64, required: "Choose a user" }),
  role: z.enum(roles, { error: "Role is admin, operator or support" }),
  disabled: z.enum(["true", "false"], { error: "Disabled is true or false" }).transform((value) => value === "true"),
});

/** Changes a user's role or disabled flag; never leaves the console without an active admin. */
export async function updateUserAccess(ctx: ActionContext, input: z.infer<typeof updateUserAccessInput>) {
  return ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, role: true, disabled: true } });
    if (!user) throw new ActionRefusal("No such user.");
    const losesAdmin = user.role === "admin" && !user.disabled && (input.role !== "admin" || input.disabled);
    if (losesAdmin) {
      const otherAdmins = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: user.id } } });
      if (otherAdmins === 0) throw new ActionRefusal("This is the last active admin; make someone else admin first.");
    }
    if (user.role === input.role && user.disabled === input.disabled) {
      return { data: undefined, message: "Nothing changed." };
    }
    await tx.user.update({ where: { id: user.id }, data: { role: input.role, disabled: input.disabled } });
    await tx.auditEntry.create({
      data: auditEntry(ctx.user, {
        action: "users.updateAccess",
        targetType: "user",
        targetId: user.id,
        parameters: {
          email: user.email,
          from: { role: user.role, disabled: user.disabled },
          to: { role: input.role, disabled: input.disabled },
        },
        outcome: "succeeded",
      }),
    });
    return { data: undefined, message: `${user.email} is now ${input.role}${input.disabled ? " (disabled)" : ""}.` };
  });
}
