// The fleet dashboards at scale: 10,000 tenants on 100 pools with 24 h of
// 1-minute metrics in the local CloudWatch endpoint (its own process, as in
// the demo). Server time to build the overview and one instance page, cold
// (empty metrics cache) and warm, the GetMetricData calls and metrics each
// requested against the floor, the time spent waiting on CloudWatch, and
// peak memory of the console's side and of the endpoint.
import path from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { testDatabases } from "../lib/db/__tests__/databases";
import { loadFleetView } from "../lib/dashboards/fleet-view";
import { loadWatchOverview } from "../lib/fleet-watch/overview";
import type { FleetSnapshot } from "../lib/fleet-watch/shapes";
import { watcherSettings, watchOnce, type WatcherDeps } from "../lib/fleet-watch/watcher";
import { loadInstanceView } from "../lib/dashboards/instance-view";
import { viewWindow } from "../lib/metrics/source";
import { thresholdsFrom } from "../lib/dashboards/thresholds";
import { loadConfig } from "../lib/config/config";
import { metricsNamespace } from "../lib/metrics/namespace";
import type { TimeRangeKey } from "../lib/metrics/period";
import { readInsights } from "../lib/metrics/insights";
import { MetricsReader } from "../lib/metrics/reader";
import { spawnStackChild, stopProcessGroup, waitForLine } from "../local/child-process";
import { seedCatalog } from "../prisma/seed-catalog";
import { benchmarkFleet, noisyEvery } from "./support/benchmark-fleet";
import { percentile, report, timed } from "./stats";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const rounds = Number(process.env.BENCH_DASHBOARD_ROUNDS ?? 5);
const ranges: TimeRangeKey[] = ["6h", "24h"];
const thresholds = thresholdsFrom(loadConfig({}));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const endpoint = spawnStackChild(
  ["--expose-gc", "--max-old-space-size=16000", "--import", "tsx", path.resolve("bench/support/fleet-metrics-endpoint.ts")],
  process.env,
);
endpoint.stderr?.pipe(process.stderr);
try {
  const ready = await waitForLine(
    endpoint,
    (line) =>
      line.startsWith("{")
        ? (JSON.parse(line) as { ready: { port: number; datapoints: number; loadMs: number; rssMb: number } }).ready
        : undefined,
    600_000,
    "the benchmark fleet's CloudWatch endpoint",
  );
  console.error(
    `dashboards: endpoint holds ${ready.datapoints.toLocaleString("en-US")} datapoints (loaded in ${ready.loadMs} ms, ${ready.rssMb} MB)`,
  );
  report("dashboards-endpoint-rss", ready.rssMb, "MB");

  // The reader only calls send(): the wall time with at least one call in flight is CloudWatch's share (calls overlap).
  const client = new CloudWatchClient({
    endpoint: `http://127.0.0.1:${ready.port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  let waitingMs = 0;
  let inFlight = 0;
  let busySince = 0;
  const timedClient = {
    send: async (command: Parameters<CloudWatchClient["send"]>[0]) => {
      if (inFlight++ === 0) busySince = performance.now();
      try {
        return await client.send(command);
      } finally {
        if (--inFlight === 0) waitingMs += performance.now() - busySince;
      }
    },
  } as unknown as CloudWatchClient;

  for (const target of testDatabases) {
    let database;
    try {
      database = await target.start();
    } catch (error) {
      console.error(`dashboards: ${target.name} not measured: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    try {
      const fleet = benchmarkFleet();
      await seedCatalog(database.db, fleet);
      const db = database.db;
      const noisyPool = fleet.instances[0]!.id;

      // The fleet watch first, as in production: findings are evaluated before anyone opens a page.
      const watchSettings = watcherSettings(loadConfig({}));
      const watchDeps = (nowMs: number): WatcherDeps => {
        const reader = new MetricsReader(timedClient, metricsNamespace());
        const insights: WatcherDeps["insights"] = (spec, r, period) => readInsights(reader, metricsNamespace(), spec, r, period);
        return { db, metrics: reader, insights, now: () => nowMs };
      };
      const hourMs = 3_600_000;
      // Every noisy pool's tenant bursts over minutes 0-9 of each hour (bench/support/benchmark-fleet.ts).
      const lastHour = Math.floor(Date.now() / hourMs) * hourMs - hourMs;
      const evaluations: { wallMs: number; metrics: number; calls: number }[] = [];
      let snapshotCost = null as null | FleetSnapshot["cost"];
      for (let m = 10; m < 10 + Math.max(3, rounds); m++) {
        const result = await watchOnce(watchDeps(lastHour + m * 60_000 + 5_000), watchSettings, "bench");
        if (result.status !== "evaluated") throw new Error("the benchmark's evaluation was skipped");
        evaluations.push({ wallMs: result.wallMs, metrics: result.metricsRequested, calls: result.calls });
        snapshotCost = result.snapshot.cost;
      }
      const flaggedPools = await db.finding.count({ where: { kind: "noisy_neighbour", status: "open" } });
      if (flaggedPools < fleet.instances.length / noisyEvery)
        throw new Error(
          `the watch flagged ${flaggedPools} noisy tenants; the benchmark's fleet has ${fleet.instances.length / noisyEvery}`,
        );
      const name = (figure: string) => `dashboards-${figure}-${target.name}`;
      report(
        name("watch-evaluation-p50"),
        percentile(
          evaluations.map((e) => e.wallMs),
          50,
        ),
        "ms",
      );
      report(name("watch-evaluation-max"), Math.max(...evaluations.map((e) => e.wallMs)), "ms");
      report(
        name("watch-metrics-per-evaluation-p50"),
        percentile(
          evaluations.map((e) => e.metrics),
          50,
        ),
        "metrics",
      );
      report(
        name("watch-calls-per-evaluation-p50"),
        percentile(
          evaluations.map((e) => e.calls),
          50,
        ),
        "calls",
      );
      report(name("watch-monthly-cost"), snapshotCost!.monthlyUsd, "USD");
      report(name("watch-naive-monthly-cost"), snapshotCost!.naiveMonthlyUsd, "USD");

      // Onset to finding: a fresh watch steps through the next burst minute by minute.
      await db.findingEvent.deleteMany();
      await db.finding.deleteMany();
      const onset = lastHour - hourMs;
      let openedAfterMs: number | null = null;
      for (let m = 0; m <= 15 && openedAfterMs === null; m++) {
        const at = onset + m * 60_000 + 5_000;
        await watchOnce(watchDeps(at), watchSettings, "bench");
        if (await db.finding.count({ where: { kind: "noisy_neighbour", status: "open" } })) openedAfterMs = at - onset;
      }
      if (openedAfterMs === null) throw new Error("the burst was not found within 15 minutes of its onset");
      report(name("watch-onset-to-finding"), openedAfterMs / 60_000, "min");
      report(
        name("watch-flaggable-to-finding"),
        (openedAfterMs - watchSettings.noisy.sustainedMinutes * 60_000) / (watchSettings.periodSeconds * 1000),
        "periods",
      );
      // Back to the state the pages read: the latest hour's findings.
      await watchOnce(watchDeps(Date.now()), watchSettings, "bench").catch(() => undefined);

      for (const range of ranges) {
        const overview: number[] = [];
        const overviewWaiting: number[] = [];
        const instance: number[] = [];
        const warm: number[] = [];
        let overviewCost = { calls: 0, metricsRequested: 0, floorCalls: 0, metricsNeeded: 0 };
        let instanceCost = overviewCost;
        const overviewPage = (reader: MetricsReader) =>
          Promise.all([loadFleetView(db, reader, viewWindow(range)), loadWatchOverview(db)]).then(([view, watch]) => ({ ...view, watch }));
        for (let round = -1; round < rounds; round++) {
          const reader = new MetricsReader(timedClient, metricsNamespace());
          waitingMs = 0;
          const cold = await timed(() => overviewPage(reader));
          const coldWaiting = waitingMs;
          const again = await timed(() => overviewPage(reader));
          // The instance page on its own, with an empty cache (a link opened straight from a chat).
          const page = await timed(
            async () =>
              (await loadInstanceView(db, new MetricsReader(timedClient, metricsNamespace()), viewWindow(range), thresholds, noisyPool))!,
          );
          if (round < 0) continue;
          overview.push(cold.ms);
          overviewWaiting.push(coldWaiting);
          instance.push(page.ms);
          warm.push(again.ms);
          overviewCost = cold.result.cost;
          instanceCost = page.result.cost;
        }
        const name = (figure: string) => `dashboards-${figure}-${range}-${target.name}`;
        report(name("overview-p50"), percentile(overview, 50), "ms");
        report(name("overview-p95"), percentile(overview, 95), "ms");
        report(name("overview-cloudwatch-wait-p50"), percentile(overviewWaiting, 50), "ms");
        report(name("overview-warm-p50"), percentile(warm, 50), "ms");
        report(name("overview-calls"), overviewCost.calls, "calls");
        report(name("overview-floor-calls"), overviewCost.floorCalls, "calls");
        report(name("overview-metrics"), overviewCost.metricsRequested, "metrics");
        report(name("overview-metrics-needed"), overviewCost.metricsNeeded, "metrics");
        report(name("instance-p50"), percentile(instance, 50), "ms");
        report(name("instance-p95"), percentile(instance, 95), "ms");
        report(name("instance-calls"), instanceCost.calls, "calls");
        report(name("instance-floor-calls"), instanceCost.floorCalls, "calls");
        report(name("instance-metrics"), instanceCost.metricsRequested, "metrics");
      }
    } finally {
      await database.stop();
    }
  }
  report("dashboards-console-peak-rss", peakRss / 1048576, "MB");
  console.error(`dashboards: every ${noisyEvery}th pool has a noisy tenant; the instance page is ${benchmarkFleet().instances[0]!.id}'s`);
} finally {
  clearInterval(sampler);
  await stopProcessGroup(endpoint);
}
