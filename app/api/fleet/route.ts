import { getDb } from "@/lib/db/client";
import { loadFleetView } from "@/lib/dashboards/fleet-view";
import { viewRoute } from "@/lib/dashboards/view-route";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return viewRoute(request, ({ reader, window, thresholds }) => loadFleetView(getDb(), reader, window, thresholds));
}
