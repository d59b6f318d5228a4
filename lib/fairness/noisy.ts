// Noisy-neighbour detection: a tenant whose share of an instance stays above a
// multiple of its fair share for a sustained span, holding a large part of all
// the consumption above fair share there (the cause, not a bystander), while
// co-tenants are throttled by the instance's capacity or slowed. A heavy
// tenant that hurts nobody, or stays within its entitlement, is not flagged.
import { consumptionSeries, fairShares, instanceUtilisation, median, type InstanceUsage } from "./fairness";

export interface NoisyOptions {
  /** Share / fair share at or above which a tenant is over-consuming. */
  shareMultiple: number;
  /** How long the over-consumption must last, minutes. */
  sustainedMinutes: number;
  /** A co-tenant with at least this share of its requests capacity-throttled in a period is a victim. */
  victimThrottleRatio: number;
  /** ...or whose p99 latency is at least this multiple of its own median p99 over the range. */
  victimLatencyFactor: number;
  /**
   * The part of the instance's consumption above fair share (summed over the
   * tenants above theirs) that must be this tenant's: in a crowded pool many
   * tenants sit over their share, and only the ones causing the pressure count.
   */
  dominantExcessShare: number;
  /**
   * Slowed co-tenants count as victims only while the instance is at least
   * this busy (the busier of reads and writes over capacity): a neighbour can
   * only slow others through the capacity they share.
   */
  pressureUtilisation: number;
}

export const defaultNoisyOptions: NoisyOptions = {
  shareMultiple: 2,
  sustainedMinutes: 10,
  victimThrottleRatio: 0.01,
  victimLatencyFactor: 2,
  dominantExcessShare: 0.25,
  pressureUtilisation: 0.5,
};

export interface Victim {
  tenantId: string;
  requests: number;
  capacityThrottled: number;
  capacityThrottleRatio: number;
  latencyP99Max: number;
}

export interface NoisyFlag {
  tenantId: string;
  storageInstanceId: string;
  startMs: number;
  endMs: number;
  peakRatio: number;
  meanRatio: number;
  severity: "critical" | "major" | "minor";
  victims: Victim[];
}

/** Per tenant, per period: its share of what the instance served over its fair share. */
export function shareRatios(instance: InstanceUsage): number[][] {
  return overConsumption(instance, defaultNoisyOptions).ratios;
}

/**
 * Per tenant and period: share / fair share, and whether it is over-consuming
 * in the sense that can make it noisy (over the multiple, and holding the
 * dominant part of the instance's consumption above fair share).
 */
function overConsumption(instance: InstanceUsage, options: NoisyOptions): { ratios: number[][]; over: boolean[][] } {
  const consumption = consumptionSeries(instance);
  const fair = fairShares(instance.tenants);
  const n = consumption.length;
  const periods = instance.timestamps.length;
  const ratios = consumption.map(() => new Array<number>(periods).fill(0));
  const over = consumption.map(() => new Array<boolean>(periods).fill(false));
  for (let p = 0; p < periods; p++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += consumption[i]![p]!;
    if (total <= 0) continue;
    let excessTotal = 0;
    for (let i = 0; i < n; i++) excessTotal += Math.max(0, consumption[i]![p]! - fair[i]! * total);
    for (let i = 0; i < n; i++) {
      const ratio = fair[i]! > 0 ? consumption[i]![p]! / total / fair[i]! : 0;
      ratios[i]![p] = ratio;
      const excess = Math.max(0, consumption[i]![p]! - fair[i]! * total);
      over[i]![p] = ratio >= options.shareMultiple && excessTotal > 0 && excess / excessTotal >= options.dominantExcessShare;
    }
  }
  return { ratios, over };
}

function sustainedPeriods(instance: InstanceUsage, options: NoisyOptions): number {
  return Math.max(1, Math.ceil((options.sustainedMinutes * 60) / instance.periodSeconds));
}

/**
 * Whether any tenant over-consumes for the sustained span: needs only
 * consumption, so a fleet view reads who was refused or slowed only on
 * instances where this holds. Every flag needs it.
 */
export function hasSustainedOverShare(instance: InstanceUsage, options: NoisyOptions = defaultNoisyOptions): boolean {
  const sustained = sustainedPeriods(instance, options);
  return overConsumption(instance, options).over.some((overAt) => {
    let run = 0;
    for (const isOver of overAt) {
      run = isOver ? run + 1 : 0;
      if (run >= sustained) return true;
    }
    return false;
  });
}

export function detectNoisyNeighbours(instance: InstanceUsage, options: NoisyOptions = defaultNoisyOptions): NoisyFlag[] {
  const { ratios, over } = overConsumption(instance, options);
  const periods = instance.timestamps.length;
  const sustained = sustainedPeriods(instance, options);
  const medianP99 = instance.tenants.map((t) => median(t.latencyP99));

  const underPressure = instanceUtilisation(instance).map((u) => u >= options.pressureUtilisation);
  const hurtAt = instance.tenants.map((t, j) =>
    instance.timestamps.map((_, p) => {
      const requests = t.requests[p] ?? 0;
      if (requests > 0 && (t.capacityThrottled[p] ?? 0) / requests >= options.victimThrottleRatio) return true;
      if (!underPressure[p]) return false;
      const p99 = t.latencyP99[p] ?? NaN;
      return Number.isFinite(p99) && Number.isFinite(medianP99[j]!) && p99 >= options.victimLatencyFactor * medianP99[j]!;
    }),
  );
  const hurtCount = instance.timestamps.map((_, p) => hurtAt.reduce((count, row) => count + (row[p] ? 1 : 0), 0));
  const hurt = (j: number, p: number) => hurtAt[j]![p]!;

  const flags: NoisyFlag[] = [];
  instance.tenants.forEach((tenant, i) => {
    const ratioAt = (p: number) => ratios[i]![p]!;
    // Someone other than the tenant itself was hurt in that period.
    const noisyAt = (p: number) => over[i]![p]! && hurtCount[p]! - (hurt(i, p) ? 1 : 0) > 0;
    let p = 0;
    while (p < periods) {
      if (!noisyAt(p)) {
        p++;
        continue;
      }
      let end = p;
      while (end + 1 < periods && noisyAt(end + 1)) end++;
      const length = end - p + 1;
      if (length >= sustained) {
        const ratios = Array.from({ length }, (_, k) => ratioAt(p + k));
        const victims = instance.tenants
          .map((t, j): Victim | null => {
            if (j === i) return null;
            let requests = 0;
            let capacityThrottled = 0;
            let latencyP99Max = NaN;
            let wasHurt = false;
            for (let k = p; k <= end; k++) {
              requests += t.requests[k] ?? 0;
              capacityThrottled += t.capacityThrottled[k] ?? 0;
              const l = t.latencyP99[k] ?? NaN;
              if (Number.isFinite(l)) latencyP99Max = Number.isFinite(latencyP99Max) ? Math.max(latencyP99Max, l) : l;
              wasHurt ||= hurt(j, k);
            }
            return wasHurt
              ? {
                  tenantId: t.tenantId,
                  requests,
                  capacityThrottled,
                  capacityThrottleRatio: requests > 0 ? capacityThrottled / requests : 0,
                  latencyP99Max,
                }
              : null;
          })
          .filter((v): v is Victim => v !== null)
          .sort((a, b) => b.capacityThrottled - a.capacityThrottled);
        const victimRatio =
          victims.reduce((s, v) => s + v.capacityThrottled, 0) /
          Math.max(
            1,
            victims.reduce((s, v) => s + v.requests, 0),
          );
        flags.push({
          tenantId: tenant.tenantId,
          storageInstanceId: instance.storageInstanceId,
          startMs: instance.timestamps[p]!,
          endMs: instance.timestamps[end]! + instance.periodSeconds * 1000,
          peakRatio: Math.max(...ratios),
          meanRatio: ratios.reduce((a, b) => a + b, 0) / length,
          severity: victimRatio >= 0.1 || victims.length >= 5 ? "critical" : victimRatio >= 0.02 ? "major" : "minor",
          victims,
        });
      }
      p = end + 1;
    }
  });
  return flags;
}

const severityRank = { minor: 0, major: 1, critical: 2 } as const;

/** One tenant's flags on one instance, the way an operator reads them: spans, worst severity, everyone it hurt. */
export interface NoisyTenant {
  tenantId: string;
  storageInstanceId: string;
  severity: NoisyFlag["severity"];
  peakRatio: number;
  firstMs: number;
  lastMs: number;
  spans: Pick<NoisyFlag, "startMs" | "endMs" | "severity" | "peakRatio" | "meanRatio">[];
  /** Victims over all spans, their counts summed. */
  victims: Victim[];
  /** The span a recommendation is made for: the worst, latest on ties. */
  worst: NoisyFlag;
}

export function groupFlagsByTenant(flags: readonly NoisyFlag[]): NoisyTenant[] {
  const groups = new Map<string, NoisyFlag[]>();
  for (const flag of flags) {
    const key = `${flag.storageInstanceId}\u001f${flag.tenantId}`;
    groups.set(key, [...(groups.get(key) ?? []), flag]);
  }
  return [...groups.values()]
    .map((spans): NoisyTenant => {
      const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
      const worst = sorted.reduce((w, f) => (severityRank[f.severity] >= severityRank[w.severity] ? f : w));
      const victims = new Map<string, Victim>();
      for (const flag of sorted) {
        for (const v of flag.victims) {
          const seen = victims.get(v.tenantId);
          if (!seen) {
            victims.set(v.tenantId, { ...v });
            continue;
          }
          seen.requests += v.requests;
          seen.capacityThrottled += v.capacityThrottled;
          seen.capacityThrottleRatio = seen.requests > 0 ? seen.capacityThrottled / seen.requests : 0;
          if (Number.isFinite(v.latencyP99Max))
            seen.latencyP99Max = Number.isFinite(seen.latencyP99Max) ? Math.max(seen.latencyP99Max, v.latencyP99Max) : v.latencyP99Max;
        }
      }
      return {
        tenantId: worst.tenantId,
        storageInstanceId: worst.storageInstanceId,
        severity: worst.severity,
        peakRatio: Math.max(...sorted.map((f) => f.peakRatio)),
        firstMs: sorted[0]!.startMs,
        lastMs: sorted[sorted.length - 1]!.endMs,
        spans: sorted.map(({ startMs, endMs, severity, peakRatio, meanRatio }) => ({ startMs, endMs, severity, peakRatio, meanRatio })),
        victims: [...victims.values()].sort((a, b) => b.capacityThrottled - a.capacityThrottled),
        worst,
      };
    })
    .sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || b.lastMs - a.lastMs || b.peakRatio - a.peakRatio);
}

/**
 * The noisy neighbours still going on at `sinceMs` (their latest span reaches it), with hysteresis: a tenant newly
 * flagged must have stayed noisy for the whole sustained span, but one already flagged (`flagged`, its tenant ids)
 * stays flagged while it is noisy in any period since then. So a finding opens after the sustained span and is
 * resolved only after the tenant has been quiet for its watcher's quiet evaluations, not whenever a minute in the
 * middle of the span dips (a metric published late, a lull in its traffic) and breaks the run.
 */
export function ongoingNoisyNeighbours(
  instance: InstanceUsage,
  options: NoisyOptions,
  flagged: ReadonlySet<string>,
  sinceMs: number,
): NoisyTenant[] {
  const strict = groupFlagsByTenant(detectNoisyNeighbours(instance, options)).filter((group) => group.lastMs >= sinceMs);
  if (!flagged.size) return strict;
  const seen = new Set(strict.map((group) => group.tenantId));
  const staying = groupFlagsByTenant(detectNoisyNeighbours(instance, { ...options, sustainedMinutes: instance.periodSeconds / 60 })).filter(
    (group) => flagged.has(group.tenantId) && !seen.has(group.tenantId) && group.lastMs >= sinceMs,
  );
  return [...strict, ...staying];
}

/** Whether a pool is worth reading who was refused: someone over its share for the sustained span, or one already flagged over it at all. */
export function overShareToWatch(instance: InstanceUsage, options: NoisyOptions, flagged: ReadonlySet<string>): boolean {
  if (hasSustainedOverShare(instance, options)) return true;
  if (!flagged.size) return false;
  const { over } = overConsumption(instance, options);
  return instance.tenants.some((tenant, i) => flagged.has(tenant.tenantId) && over[i]!.some(Boolean));
}
