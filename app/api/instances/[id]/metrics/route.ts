import { slugPattern } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { loadInstanceView } from "@/lib/dashboards/instance-view";
import { viewRoute } from "@/lib/dashboards/view-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return viewRoute(request, async ({ reader, window, thresholds }) =>
    slugPattern.test(id) ? loadInstanceView(getDb(), reader, window, thresholds, id) : null,
  );
}
