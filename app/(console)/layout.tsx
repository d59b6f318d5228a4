import { cookies } from "next/headers";
import Link from "next/link";
import { Providers } from "@/components/providers";
import { HealthIndicator } from "@/components/shell/health-indicator";
import { MobileNav } from "@/components/shell/mobile-nav";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { RoleBadge } from "@/components/ui/badges";
import { ViewerProvider } from "@/components/auth/viewer";
import { permissionMatrix } from "@/lib/auth/permissions";
import { requireSignedIn } from "@/lib/auth/session";
import { parseTheme, themeCookie } from "@/components/shell/theme";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedIn();
  const theme = parseTheme((await cookies()).get(themeCookie)?.value);
  return (
    <Providers>
      <ViewerProvider permissions={[...permissionMatrix[user.role]]}>
        <a
          href="#content"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <div className="flex min-h-screen">
          {/* The column's background runs the page's whole height; its contents stay in view as the page scrolls. */}
          <aside className="hidden w-56 shrink-0 border-r border-border bg-surface md:block print:hidden">
            <div className="sticky top-0 flex max-h-screen flex-col overflow-y-auto px-3 py-4">
              <Link href="/" className="mb-5 px-3 text-[15px] font-semibold tracking-tight">
                Tenant Storage Console
              </Link>
              <SidebarNav />
            </div>
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="relative flex items-center justify-between gap-3 border-b border-border bg-surface px-4 py-2.5 md:px-6 print:hidden">
              <HealthIndicator />
              <MobileNav>
                <ThemeToggle initial={theme} />
                <span className="flex items-center gap-2" data-testid="signed-in-user">
                  <span className="font-medium">{user.name}</span>
                  <span className="hidden text-muted sm:inline">{user.email}</span>
                  <RoleBadge role={user.role} />
                </span>
                <SignOutButton />
              </MobileNav>
            </header>
            <main id="content" className="mx-auto w-full max-w-[1400px] flex-1 px-4 py-5 md:px-6">
              {children}
            </main>
          </div>
        </div>
      </ViewerProvider>
    </Providers>
  );
}
