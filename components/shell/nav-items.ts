export interface NavItem {
  href: string;
  label: string;
}

export const navItems: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/tenants", label: "Tenants" },
  { href: "/instances", label: "Storage instances" },
  { href: "/noisy-neighbours", label: "Noisy neighbours" },
  { href: "/fairness", label: "Fairness" },
  { href: "/plans", label: "Throttling plans" },
  { href: "/operations", label: "Operations" },
  { href: "/fleet-checks", label: "Fleet checks" },
  { href: "/backups", label: "Backups" },
  { href: "/audit", label: "Audit log" },
  { href: "/users", label: "Users" },
];
