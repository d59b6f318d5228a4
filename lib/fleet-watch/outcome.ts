// Whether an operation meant to fix a noisy neighbour did what was predicted:
// once the operation (a migration of the tenant or a change of its plan) has
// been finished long enough, the pool it left is measured for the hour before
// the operation started and the time since it finished, and compared with the
// finding's recommendation. Recorded once per finding, with an event.
import type { Db } from "../db/client";
import type { TimeRange } from "../metrics/period";
import type { MetricsSource } from "../metrics/reader";
import { instanceKey, instanceQuery, seriesOf, tenantKey, tenantQuery, type UsageMetric } from "../metrics/usage";
import { busierUtilisation } from "../fairness/fairness";
import type { FindingOutcome, PoolRecommendation } from "./shapes";

const hourMs = 3_600_000;
/** Slack on the comparison: a measured ratio this close over the predicted one still counts as the prediction come true. */
const ratioTolerance = 0.005;
const utilisationTolerance = 0.1;

export interface Measured {
  coTenantThrottleRatio: number;
  peakUtilisation: number;
}

/** Pure: the comparison once both windows are measured. */
export function judgeOutcome(
  before: Measured,
  after: Measured,
  recommendation: Pick<PoolRecommendation, "before" | "after">,
): Pick<FindingOutcome, "predicted" | "cameTrue" | "detail"> {
  const predictedFactor =
    recommendation.before.coTenantCapacityThrottled > 0
      ? recommendation.after.coTenantCapacityThrottled / recommendation.before.coTenantCapacityThrottled
      : 1;
  const predicted = {
    coTenantThrottleRatio: before.coTenantThrottleRatio * predictedFactor,
    peakUtilisation: recommendation.after.peakUtilisation,
  };
  const refusalsHeld = after.coTenantThrottleRatio <= predicted.coTenantThrottleRatio + ratioTolerance;
  const utilisationHeld = after.peakUtilisation <= predicted.peakUtilisation + utilisationTolerance;
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
  const detail = [
    `Co-tenants refused ${pct(before.coTenantThrottleRatio)} → ${pct(after.coTenantThrottleRatio)} (predicted ${pct(predicted.coTenantThrottleRatio)})`,
    `peak utilisation ${pct(before.peakUtilisation)} → ${pct(after.peakUtilisation)} (predicted ${pct(predicted.peakUtilisation)})`,
  ].join("; ");
  return {
    predicted,
    cameTrue: refusalsHeld && utilisationHeld,
    detail: `${detail}: ${refusalsHeld && utilisationHeld ? "as predicted" : "not as predicted"}.`,
  };
}

async function measure(
  source: MetricsSource,
  instance: { id: string; readUnitsPerSec: number; writeUnitsPerSec: number },
  tenantId: string,
  range: TimeRange,
  periodSeconds: number,
): Promise<Measured> {
  const instanceMetrics: UsageMetric[] = ["read", "write", "requests", "capacityThrottled"];
  const tenantMetrics: UsageMetric[] = ["requests", "capacityThrottled"];
  const read = await source.read(
    [...instanceMetrics.map((m) => instanceQuery(instance.id, m)), ...tenantMetrics.map((m) => tenantQuery(instance.id, tenantId, m))],
    range,
    periodSeconds,
  );
  const total = (key: string, metric: UsageMetric) => seriesOf(read, key, metric, range).reduce((a, b) => a + b, 0);
  const requests =
    total(instanceKey(instance.id, "requests"), "requests") - total(tenantKey(instance.id, tenantId, "requests"), "requests");
  const refused =
    total(instanceKey(instance.id, "capacityThrottled"), "capacityThrottled") -
    total(tenantKey(instance.id, tenantId, "capacityThrottled"), "capacityThrottled");
  const utilisation = busierUtilisation(
    seriesOf(read, instanceKey(instance.id, "read"), "read", range),
    seriesOf(read, instanceKey(instance.id, "write"), "write", range),
    instance,
    periodSeconds,
  );
  return { coTenantThrottleRatio: requests > 0 ? Math.max(0, refused) / requests : 0, peakUtilisation: Math.max(0, ...utilisation) };
}

/** Records the outcome of every finding whose fixing operation finished at least `afterMs` ago. Returns the findings judged. */
export async function recordOutcomes(db: Db, source: MetricsSource, nowMs: number, afterMs: number, periodSeconds = 60): Promise<string[]> {
  const findings = await db.finding.findMany({
    where: {
      kind: "noisy_neighbour",
      tenantId: { not: null },
      openedAt: { gte: new Date(nowMs - 7 * 24 * hourMs) },
    },
    select: { id: true, tenantId: true, storageInstanceId: true, openedAt: true, recommendation: true, severity: true, outcome: true },
  });
  const judged: string[] = [];
  for (const finding of findings.filter((f) => f.outcome === null)) {
    const operation = await db.operation.findFirst({
      where: {
        tenantId: finding.tenantId!,
        kind: { in: ["migrate", "change_plan"] },
        status: "succeeded",
        startedAt: { gte: finding.openedAt },
        finishedAt: { lte: new Date(nowMs - afterMs) },
      },
      orderBy: { finishedAt: "asc" },
    });
    const instance = finding.storageInstanceId
      ? await db.storageInstance.findUnique({
          where: { id: finding.storageInstanceId },
          select: { id: true, readUnitsPerSec: true, writeUnitsPerSec: true },
        })
      : null;
    if (!operation?.startedAt || !operation.finishedAt || !instance || !finding.recommendation) continue;
    const periodMs = periodSeconds * 1000;
    const started = Math.floor(operation.startedAt.getTime() / periodMs) * periodMs;
    const finished = Math.ceil(operation.finishedAt.getTime() / periodMs) * periodMs;
    const afterEnd = Math.min(finished + hourMs, Math.floor(nowMs / periodMs) * periodMs);
    const [before, after] = await Promise.all([
      measure(source, instance, finding.tenantId!, { startMs: started - hourMs, endMs: started }, periodSeconds),
      measure(source, instance, finding.tenantId!, { startMs: finished, endMs: afterEnd }, periodSeconds),
    ]);
    const judgement = judgeOutcome(before, after, finding.recommendation as unknown as PoolRecommendation);
    const outcome: FindingOutcome = {
      operationId: operation.id,
      operationKind: operation.kind,
      finishedAtMs: operation.finishedAt.getTime(),
      before,
      after,
      ...judgement,
    };
    // Conditional, so two workers judging at once record it once.
    const count =
      await db.$executeRaw`UPDATE "Finding" SET outcome = ${JSON.stringify(outcome)}::jsonb WHERE id = ${finding.id} AND outcome IS NULL`;
    if (!count) continue;
    await db.findingEvent.create({
      data: { findingId: finding.id, kind: "outcome", severity: finding.severity, detail: judgement.detail },
    });
    judged.push(finding.id);
  }
  return judged;
}
