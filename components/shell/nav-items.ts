import type { Permission } from "@/lib/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to roles with this permission (the page itself refuses the others). */
  permission?: Permission;
}

export const navItems: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/tenants", label: "Tenants" },
  { href: "/instances", label: "Storage instances" },
  { href: "/findings", label: "Findings" },
  { href: "/fairness", label: "Fairness" },
  { href: "/plans", label: "Throttling plans" },
  { href: "/costs", label: "Costs" },
  { href: "/operations", label: "Operations" },
  { href: "/fleet-checks", label: "Fleet checks" },
  { href: "/fleet/import", label: "Import a fleet", permission: "fleet.import" },
  { href: "/backups", label: "Backups" },
  { href: "/audit", label: "Audit log" },
  { href: "/users", label: "Users" },
];
