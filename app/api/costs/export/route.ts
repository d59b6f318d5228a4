import { authorizeRoute } from "@/lib/auth/session";
import { costCsv } from "@/lib/cost/csv";
import { parseCostListParams } from "@/lib/cost/list-params";
import { loadFleetEstimate } from "@/lib/cost/queries";
import { costSettings } from "@/lib/cost/settings";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const refused = await authorizeRoute("tenants.read");
  if (refused) return refused;
  const { params } = parseCostListParams(Object.fromEntries(new URL(request.url).searchParams));
  const { estimate } = await loadFleetEstimate(getDb(), costSettings());
  const month = new Date(estimate.nowMs).toISOString().slice(0, 7);
  return new Response(costCsv(estimate, params), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tenant-costs-${month}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
