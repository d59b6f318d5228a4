import { roleLabels } from "@/lib/auth/permissions";
import { deploymentModelLabels, tierLabels } from "@/lib/catalog/vocabulary";
import type { DeploymentModelValue, RoleValue, TenantStatusValue, TierValue } from "@/lib/catalog/vocabulary";
import type { OperationStatus } from "@/lib/generated/prisma/enums";
import { statusLabels } from "@/lib/operations/labels";

type Tone = "neutral" | "accent" | "success" | "warning" | "danger";

const toneClasses: Record<Tone, string> = {
  neutral: "bg-info-soft text-fg border-border",
  accent: "bg-accent-soft text-fg border-border",
  success: "bg-success-soft text-success border-transparent",
  warning: "bg-warning-soft text-warning border-transparent",
  danger: "bg-danger-soft text-danger border-transparent",
};

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: React.ReactNode }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded border px-1.5 py-px text-xs font-medium ${toneClasses[tone]}`}>
      {children}
    </span>
  );
}

const statusTones: Record<TenantStatusValue, Tone> = {
  active: "success",
  provisioning: "accent",
  migrating: "accent",
  restoring: "accent",
  suspended: "warning",
  offboarded: "neutral",
};

export function TenantStatusBadge({ status }: { status: TenantStatusValue }) {
  return <Badge tone={statusTones[status]}>{status}</Badge>;
}

export function TierBadge({ tier }: { tier: TierValue }) {
  return <Badge>{tierLabels[tier]}</Badge>;
}

export function ModelBadge({ model }: { model: DeploymentModelValue }) {
  return <Badge tone={model === "pool" ? "neutral" : "accent"}>{deploymentModelLabels[model]}</Badge>;
}

export function RoleBadge({ role }: { role: RoleValue }) {
  return <Badge tone={role === "support" ? "neutral" : "accent"}>{roleLabels[role]}</Badge>;
}

export function InstanceStatusBadge({ status }: { status: string }) {
  const tone: Tone = status === "active" ? "success" : status === "retired" ? "neutral" : "warning";
  return <Badge tone={tone}>{status}</Badge>;
}

const operationStatusTones: Record<OperationStatus, Tone> = {
  queued: "neutral",
  running: "accent",
  succeeded: "success",
  failed: "danger",
  cancelled: "neutral",
  needs_attention: "warning",
  awaiting_approval: "warning",
};

export function OperationStatusBadge({ status }: { status: OperationStatus }) {
  return <Badge tone={operationStatusTones[status]}>{statusLabels[status]}</Badge>;
}
