import { authorizeRoute } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { offboardingCertificate } from "@/lib/lifecycle/lifecycle-view";
import { operationIdPattern } from "@/lib/operations/ids";

export const dynamic = "force-dynamic";

/** An offboarding's deletion certificate as JSON, as stored (its sha256 covers the canonical JSON of the rest). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refused = await authorizeRoute("operations.read");
  if (refused) return refused;
  const { id } = await params;
  const found = operationIdPattern.test(id) ? await offboardingCertificate(getDb(), id) : null;
  if (!found) return Response.json({ error: "No deletion certificate for this operation." }, { status: 404 });
  return new Response(`${JSON.stringify(found.certificate, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${found.certificate.tenant.id}-deletion-certificate.json"`,
      "Cache-Control": "no-store",
    },
  });
}
