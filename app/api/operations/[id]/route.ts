import { authorizeRoute } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getOperationView } from "@/lib/operations/views";
import { operationIdPattern } from "@/lib/operations/ids";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refused = await authorizeRoute("operations.read");
  if (refused) return refused;
  const { id } = await params;
  if (!operationIdPattern.test(id)) return Response.json({ error: "Not an operation id." }, { status: 404 });
  const view = await getOperationView(getDb(), id);
  if (!view) return Response.json({ error: `No operation ${id}.` }, { status: 404 });
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
}
