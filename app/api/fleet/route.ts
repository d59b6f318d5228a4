import { getDb } from "@/lib/db/client";
import { loadFleetView } from "@/lib/dashboards/fleet-view";
import { viewRoute } from "@/lib/dashboards/view-route";
import { loadWatchOverview } from "@/lib/fleet-watch/overview";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return viewRoute(request, async ({ reader, window }) => {
    const [view, watch] = await Promise.all([loadFleetView(getDb(), reader, window), loadWatchOverview(getDb())]);
    return { ...view, watch };
  });
}
