import type { Metadata } from "next";
import { RoleBadge, Badge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { LiftLockForm } from "@/components/users/lift-lock-form";
import { UserAccessForm } from "@/components/users/user-access-form";
import { can, roleDescriptions, roleLabels } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { throttleLimits, type ThrottleRow } from "@/lib/auth/throttle";
import { roles } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { listSignInLocks, listUsersWithSessions, type UserRow } from "@/lib/users/users";
import { liftSignInLockAction, updateUserAccessAction } from "./actions";

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
  {
    key: "sessions",
    header: "Sessions",
    cell: (user) => (
      <>
        <div>{user.sessions.active === 0 ? "none active" : `${user.sessions.active} active`}</div>
        {user.sessions.lastSeenAt ? <div className="text-muted">last seen {formatDateTime(user.sessions.lastSeenAt)}</div> : null}
      </>
    ),
  },
  { key: "changed", header: "Last changed", numeric: true, align: "left", cell: (user) => formatDateTime(user.updatedAt) },
];

const accessColumn: Column<UserRow> = {
  key: "access",
  header: "Change access",
  cell: (user) => <UserAccessForm user={user} action={updateUserAccessAction} />,
};

const lockColumns: Column<ThrottleRow>[] = [
  {
    key: "subject",
    header: "Account or address",
    cell: (row) => (
      <>
        <div className="font-medium break-all">{row.subject}</div>
        <div className="text-muted">{row.kind === "account" ? "account (e-mail typed)" : "client address"}</div>
      </>
    ),
  },
  {
    key: "state",
    header: "State",
    cell: (row) =>
      row.lockedUntil ? (
        <span className="flex flex-wrap items-center gap-1.5">
          <Badge tone="danger">locked</Badge> until {formatDateTime(row.lockedUntil)}
        </span>
      ) : (
        `${row.failures} of ${throttleLimits[row.kind].failures} failures`
      ),
  },
  {
    key: "lockouts",
    header: "Lockouts in a row",
    numeric: true,
    cell: (row) => row.lockouts,
  },
  { key: "last", header: "Last failure", numeric: true, align: "left", cell: (row) => formatDateTime(row.lastFailureAt) },
];

const liftColumn: Column<ThrottleRow> = {
  key: "lift",
  header: "Lift",
  cell: (row) => <LiftLockForm lockKey={row.key} subject={row.subject} action={liftSignInLockAction} />,
};

export default async function UsersPage() {
  const me = await requirePagePermission("users.read");
  const db = getDb();
  const manage = can(me.role, "users.manage");
  // Typed e-mails and client addresses: for admins, who can lift the locks.
  const [users, locks] = await Promise.all([listUsersWithSessions(db), manage ? listSignInLocks(db) : null]);
  const { account, address } = throttleLimits;
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
      {locks ? (
        <Panel title="Sign-in locks" className="mt-4">
          <p className="px-4 py-3 text-muted">
            {account.failures} failed sign-ins in {account.windowMinutes} min lock an account (typed e-mail, known or not) for{" "}
            {account.lockMinutes} min; {address.failures} lock a client address. Each lockout in a row doubles the next, up to{" "}
            {account.maxLockMinutes / 60} h. A role change or disabling a user ends their sessions at once.
          </p>
          <DataTable
            label="Sign-in locks"
            columns={[...lockColumns, liftColumn]}
            rows={locks}
            rowKey={(row) => row.key}
            empty={{
              title: "No failed sign-ins lately",
              body: "Accounts and addresses with recent failed sign-ins, or locked, appear here.",
            }}
          />
        </Panel>
      ) : null}
    </>
  );
}
