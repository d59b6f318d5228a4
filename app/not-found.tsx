import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-2 px-4 text-center">
      <p className="num text-xs font-semibold text-muted">404</p>
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="max-w-md text-muted">
        No tenant, storage instance or page has that address. It may have been mistyped, or the tenant was never onboarded.
      </p>
      <div className="mt-2 flex gap-3">
        <Link href="/tenants" className="text-accent hover:underline">
          Search tenants
        </Link>
        <Link href="/" className="text-accent hover:underline">
          Overview
        </Link>
      </div>
    </main>
  );
}
