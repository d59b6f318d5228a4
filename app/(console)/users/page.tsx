import type { Metadata } from "next";
import { RoleBadge, Badge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { UserAccessForm } from "@/components/users/user-access-form";
import { can, roleDescriptions, roleLabels } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { roles } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { listUsers, type UserRow } from "@/lib/users/users";
import { updateUserAccessAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

const columns: Column<UserRow>[] = [
  {
    key: "user",
    header: "User",
    cell: (user) => (
      <>
        <div className="font-medium" dir="auto">
          {user.name}
        </div>
        <div className="text-muted">{user.email}</div>
      </>
    ),
  },
  {
    key: "role",
    header: "Role",
    cell: (user) => (
      <span className="flex flex-wrap items-center gap-1.5">
        <RoleBadge role={user.role} /> {user.disabled ? <Badge tone="warning">disabled</Badge> : null}
      </span>
    ),
  },
  { key: "changed", header: "Last changed", numeric: true, align: "left", cell: (user) => formatDateTime(user.updatedAt) },
];

const accessColumn: Column<UserRow> = {
  key: "access",
  header: "Change access",
  cell: (user) => <UserAccessForm user={user} action={updateUserAccessAction} />,
};

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
        <DataTable
          label="Users"
          columns={manage ? [...columns, accessColumn] : columns}
          rows={users}
          rowKey={(user) => user.id}
          empty={{ title: "No users yet", body: "Users are added by the seed or by signing in with the configured identity provider." }}
        />
      </Panel>
    </>
  );
}
