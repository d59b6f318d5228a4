"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useViewerPermissions } from "@/components/auth/viewer";
import { navItems } from "./nav-items";

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** A column in the sidebar; on narrow screens, a row that wraps above the page. */
export function SidebarNav({ layout = "column" }: { layout?: "column" | "row" }) {
  const pathname = usePathname();
  const permissions = useViewerPermissions();
  const items = navItems.filter((item) => !item.permission || permissions.has(item.permission));
  return (
    <nav aria-label="Console sections">
      <ul className={layout === "row" ? "flex flex-wrap gap-1" : "flex flex-col gap-0.5"}>
        {items.map((item) => {
          const active = isActive(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap rounded-md ${layout === "row" ? "px-2.5 py-1" : "px-3 py-1.5"} ${
                  active ? "bg-accent-soft font-medium text-fg" : "text-muted hover:bg-surface-2 hover:text-fg"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
