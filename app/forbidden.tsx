import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-2 px-4 text-center">
      <p className="text-xs font-semibold text-muted">403</p>
      <h1 className="text-lg font-semibold">Not allowed for your role</h1>
      <p className="max-w-md text-muted">Your role cannot open this page. Ask an admin if you need access.</p>
      <Link href="/" className="mt-2 text-accent hover:underline">
        Back to the overview
      </Link>
    </main>
  );
}
