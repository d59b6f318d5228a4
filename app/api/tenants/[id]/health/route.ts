import { slugPattern } from "@/lib/catalog/vocabulary";
import { getTenant } from "@/lib/catalog/tenants";
import { getDb } from "@/lib/db/client";
import { loadTenantHealth } from "@/lib/dashboards/tenant-health";
import { viewRoute } from "@/lib/dashboards/view-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return viewRoute(request, async ({ reader, window, thresholds }) => {
    const tenant = slugPattern.test(id) ? await getTenant(getDb(), id) : null;
    return tenant ? loadTenantHealth(getDb(), reader, window, thresholds, tenant) : null;
  });
}
