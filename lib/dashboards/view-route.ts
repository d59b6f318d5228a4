// The one shape of a live panel's route handler: signed in with the read
// permission, the range validated from the URL, the view or the failing
// dependency as JSON. Handlers stay one line.
import "server-only";
import { authorizeRoute } from "../auth/session";
import { parseTimeRange } from "../metrics/period";
import { metricsReader, viewWindow, type ViewWindow } from "../metrics/source";
import { thresholds, type Thresholds } from "./thresholds";
import { settleView } from "./view-result";
import type { MetricsReader } from "../metrics/reader";

export interface ViewContext {
  window: ViewWindow;
  reader: MetricsReader;
  thresholds: Thresholds;
}

const noStore = { "Cache-Control": "no-store" };

export async function viewRoute<T>(request: Request, load: (context: ViewContext) => Promise<T | null>): Promise<Response> {
  const denied = await authorizeRoute("tenants.read");
  if (denied) return denied;
  const range = parseTimeRange(new URL(request.url).searchParams.get("range") ?? undefined);
  if (range.error) return Response.json({ error: range.error }, { status: 400, headers: noStore });
  const result = await settleView(load({ window: viewWindow(range.key), reader: metricsReader(), thresholds: thresholds() }));
  if (result.ok && result.view === null) return Response.json({ error: "Not found" }, { status: 404, headers: noStore });
  return Response.json(result, { status: result.ok ? 200 : 503, headers: noStore });
}
