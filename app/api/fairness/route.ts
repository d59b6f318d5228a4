import { getDb } from "@/lib/db/client";
import { loadFairnessView } from "@/lib/dashboards/fairness-view";
import { viewRoute } from "@/lib/dashboards/view-route";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return viewRoute(request, ({ reader, window }) => loadFairnessView(getDb(), reader, window));
}
