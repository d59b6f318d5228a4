"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { deploymentModelLabels, deploymentModels, tenantStatuses, tierLabels, tiers } from "@/lib/catalog/vocabulary";
import {
  pageSizes,
  tenantHealthFilters,
  tenantListQuery,
  type TenantHealthFilter,
  type TenantListParams,
} from "@/lib/catalog/tenant-list-params";

const selectClass = "rounded-md border border-border bg-surface px-2 py-1.5 text-fg";

/**
 * Search and filters live in the URL, so every view is a shareable link; the
 * server validates and runs the query. Without JavaScript the form submits as a plain GET.
 */
const healthFilterLabels: Record<TenantHealthFilter, string> = {
  unhealthy: "Unhealthy (degraded or critical)",
  critical: "Critical",
  degraded: "Degraded",
  healthy: "Healthy",
  no_data: "No data",
};

export function TenantFilters({
  params,
  instanceIds,
  withHealth = false,
}: {
  params: TenantListParams;
  instanceIds?: string[];
  /** The health filter (the tenant list's, which has the health column). */
  withHealth?: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(params.q ?? "");
  const debounce = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => setQ(params.q ?? ""), [params.q]);

  const navigate = (change: Partial<TenantListParams>) => {
    startTransition(() => router.replace(`${pathname}${tenantListQuery(params, { ...change, page: 1 })}`, { scroll: false }));
  };

  const select = (name: keyof TenantListParams, label: string, options: { value: string; label: string }[]) => (
    <label className="flex flex-col gap-1 text-xs text-muted">
      {label}
      <select
        name={name}
        aria-label={label}
        className={selectClass}
        value={String(params[name] ?? "")}
        onChange={(event) => navigate({ [name]: event.target.value || undefined })}
      >
        <option value="">All</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form
      role="search"
      method="get"
      action={pathname}
      className="mb-3 flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(debounce.current);
        navigate({ q: q.trim() || undefined });
      }}
    >
      <label className="flex min-w-64 flex-1 flex-col gap-1 text-xs text-muted">
        Search tenants
        <input
          type="search"
          name="q"
          value={q}
          maxLength={100}
          placeholder="Name, id or contact e-mail"
          aria-label="Search tenants"
          className="rounded-md border border-border bg-surface px-2.5 py-1.5 text-sm text-fg placeholder:text-muted"
          onChange={(event) => {
            const value = event.target.value;
            setQ(value);
            clearTimeout(debounce.current);
            debounce.current = setTimeout(() => navigate({ q: value.trim() || undefined }), 300);
          }}
        />
      </label>
      {select(
        "tier",
        "Tier",
        tiers.map((t) => ({ value: t, label: tierLabels[t] })),
      )}
      {select(
        "model",
        "Model",
        deploymentModels.map((m) => ({ value: m, label: deploymentModelLabels[m] })),
      )}
      {select(
        "status",
        "Status",
        tenantStatuses.map((s) => ({ value: s, label: s })),
      )}
      {withHealth
        ? select(
            "health",
            "Health",
            tenantHealthFilters.map((h) => ({ value: h, label: healthFilterLabels[h] })),
          )
        : null}
      {instanceIds
        ? select(
            "instance",
            "Storage instance",
            instanceIds.map((id) => ({ value: id, label: id })),
          )
        : null}
      <label className="flex flex-col gap-1 text-xs text-muted">
        Per page
        <select
          name="size"
          aria-label="Tenants per page"
          className={selectClass}
          value={params.size}
          onChange={(event) => navigate({ size: Number(event.target.value) })}
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-md border border-border bg-surface px-3 py-1.5 hover:bg-surface-2">
        Search
      </button>
      <span role="status" aria-live="polite" className="self-center text-xs text-muted">
        {pending ? "Loading…" : ""}
      </span>
    </form>
  );
}
