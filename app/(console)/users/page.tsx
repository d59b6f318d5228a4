import type { Metadata } from "next";
import { RoleBadge, Badge } from "@/components/ui/badges";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { UserAccessForm } from "@/components/users/user-access-form";
import { can, roleDescriptions, roleLabels } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { roles } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { listUsers } from "@/lib/users/users";
import { updateUserAccessAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePagePermission("users.read");
  const users = await listUsers(getDb());
  const manage = can(me.role, "users.manage");
  return (
    <>
      <PageHeader
        title="Users"
        description={
          manage
            ? "Who can use the console, and with which role."
            : "Who can use the console, and with which role. Only admins change roles."
        }
      />
      <div className="mb-4 grid gap-3 md:grid-cols-3">
        {roles.map((role) => (
          <div key={role} className="rounded-lg border border-border bg-surface px-4 py-2.5">
            <div className="font-medium">{roleLabels[role]}</div>
            <div className="text-muted">{roleDescriptions[role]}</div>
          </div>
        ))}
      </div>
      <Panel>
        <table className="w-full text-[13px]" aria-label="Users">
          <thead className="border-b border-border bg-surface-2 text-muted">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                User
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Role
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Last changed
              </th>
              {manage ? (
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Change access
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="px-3 py-1.5">
                  <div className="font-medium" dir="auto">
                    {user.name}
                  </div>
                  <div className="text-muted">{user.email}</div>
                </td>
                <td className="px-3 py-1.5">
                  <RoleBadge role={user.role} /> {user.disabled ? <Badge tone="warning">disabled</Badge> : null}
                </td>
                <td className="num px-3 py-1.5">{formatDateTime(user.updatedAt)}</td>
                {manage ? (
                  <td className="px-3 py-1.5">
                    <UserAccessForm user={user} action={updateUserAccessAction} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </>
  );
}
