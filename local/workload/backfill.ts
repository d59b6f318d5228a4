// History for a fresh demo: the same admission model as the live workload, run
// over past minutes without DynamoDB calls, published with past timestamps.
// Latency is drawn from the model's service and queueing times, since no call
// was timed; stored items and bytes are not backfilled (only measured live).
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { prng } from "../../lib/random";
import type { RoutingRecord } from "../../lib/routing/record";
import { tenantEntities } from "../../lib/storage/tenant-items";
import { readUnits, writeUnits } from "../../lib/data-plane/capacity-units";
import { baseServiceMs, FleetModel, type InstanceCapacity } from "./model/fleet-model";
import type { TenantProfile } from "./model/traffic";
import { batches, MetricWindow, windowDatums, type LatencyHistogram } from "../../lib/data-plane/metric-window";

export interface BackfillOptions {
  cloudWatch: CloudWatchClient;
  namespace: string;
  records: RoutingRecord[];
  profiles: Map<string, TenantProfile>;
  capacityOf: (storageInstanceId: string) => InstanceCapacity | undefined;
  originMs: number;
  fromMs: number;
  toMs: number;
  seed: number;
}

const minute = 60_000;
const samplesPerRoute = 24;

function addModelledLatency(histogram: LatencyHistogram, random: () => number, served: number, queueDelayMs: number): void {
  if (served === 0) return;
  const samples = Math.min(served, samplesPerRoute);
  const base = Math.floor(served / samples);
  let extra = served - base * samples;
  for (let i = 0; i < samples; i++) {
    const exponential = -Math.log(1 - random());
    const latency = baseServiceMs * (0.4 + 0.4 * exponential) + queueDelayMs * exponential;
    histogram.add(latency, base + (extra-- > 0 ? 1 : 0));
  }
}

/** Publishes one datapoint set per minute in [fromMs, toMs); returns the number of minutes and datums. */
export async function backfillHistory(options: BackfillOptions): Promise<{ minutes: number; datums: number }> {
  const random = prng(options.seed ^ 0x5eed);
  const model = new FleetModel(random, options.originMs, tenantEntities);
  const records = new Map(options.records.map((r) => [r.tenantId, r]));
  const start = Math.ceil(options.fromMs / minute) * minute;
  let pending: MetricDatum[] = [];
  let datums = 0;
  let minutes = 0;
  const inFlight = new Set<Promise<unknown>>();
  const flush = async (all: boolean) => {
    for (const batch of batches(pending)) {
      if (!all && batch.length < 1_000) {
        pending = batch;
        return;
      }
      const sent = options.cloudWatch.send(new PutMetricDataCommand({ Namespace: options.namespace, MetricData: batch }));
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      if (inFlight.size >= 2) await Promise.race(inFlight);
    }
    pending = [];
  };

  for (let t = start; t + minute <= options.toMs; t += minute) {
    const window = new MetricWindow();
    const { tenants } = model.interval(options.records, options.profiles, options.capacityOf, t + minute, 60);
    for (const result of tenants) {
      const record = records.get(result.tenantId)!;
      const counters = window.countRequests(result.tenantId, record.placement.storageInstanceId, result);
      counters.readUnits += result.readUnits;
      counters.writeUnits += result.writeUnits;
      for (const served of result.served) {
        const instance = window.instance(served.route.storageInstanceId);
        const profile = options.profiles.get(result.tenantId)!;
        const share = served.reads + served.writes;
        addModelledLatency(counters.latency, random, share, served.queueDelayMs);
        addModelledLatency(instance.latency, random, share, served.queueDelayMs);
        instance.readUnits += served.reads * readUnits(profile.itemBytes, false);
        instance.writeUnits += served.writes * writeUnits(profile.itemBytes);
      }
    }
    // Datapoints sit at the start of the minute they describe, as CloudWatch aggregates them.
    const minuteDatums = windowDatums(window, new Date(t));
    datums += minuteDatums.length;
    pending.push(...minuteDatums);
    minutes++;
    if (pending.length >= 1_000) await flush(false);
  }
  await flush(true);
  await Promise.all(inFlight);
  return { minutes, datums };
}
