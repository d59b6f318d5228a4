import { currentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { downloadOffboardingExport } from "@/lib/lifecycle/export-download";

export const dynamic = "force-dynamic";

/** An offboarding's final export: ?file=manifest (manifest.json) or ?file=items (every item, .jsonl.gz). Admins only; audited. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to use this." }, { status: 401 });
  const { id } = await params;
  const download = await downloadOffboardingExport(getDb(), user, id, new URL(request.url).searchParams.get("file"));
  if (!download.ok) return Response.json({ error: download.error }, { status: download.status });
  return new Response(download.stream, {
    headers: {
      "Content-Type": download.contentType,
      "Content-Disposition": `attachment; filename="${download.fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
}
