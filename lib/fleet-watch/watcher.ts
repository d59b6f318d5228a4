// The watcher: every period, one worker (whichever inserts the period's
// WatchEvaluation row first; the others skip it) evaluates the fleet
// (evaluate.ts), moves findings through their lifecycle (lifecycle.ts) with a
// FindingEvent for each change (alerts are sent for those), and stores the
// compact snapshot the pages read. A worker that dies mid-evaluation loses
// that period only: the next one is claimed afresh.
import type { Config } from "../config/config";
import { loadPlacements } from "../catalog/placements";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import type { MetricsSource } from "../metrics/reader";
import { detectionMetrics, fairnessMetrics } from "../metrics/usage";
import { watchCost } from "./cost";
import {
  evaluateFleet,
  totalsMetrics,
  type DetectedFinding,
  type Evaluation,
  type InsightsSource,
  type WatchMemory,
  type WatchOptions,
} from "./evaluate";
import { lifecycleChanges, worseSeverity, type Change, type LifecycleOptions } from "./lifecycle";
import type { FleetSnapshot, SeverityValue } from "./shapes";

export interface WatcherSettings extends WatchOptions {
  lifecycle: LifecycleOptions;
  outcomeAfterMs: number;
}

export function watcherSettings(settings: Config): WatcherSettings {
  return {
    periodSeconds: settings.WATCH_PERIOD_SECONDS,
    noisy: {
      shareMultiple: settings.NOISY_SHARE_MULTIPLE,
      sustainedMinutes: settings.NOISY_SUSTAINED_MINUTES,
      victimThrottleRatio: settings.NOISY_VICTIM_THROTTLE_RATIO,
      victimLatencyFactor: settings.NOISY_VICTIM_LATENCY_FACTOR,
      dominantExcessShare: settings.NOISY_DOMINANT_EXCESS_SHARE,
      pressureUtilisation: settings.NOISY_PRESSURE_UTILISATION,
    },
    recommend: { siloAboveShare: settings.RECOMMEND_SILO_ABOVE_SHARE, targetPoolCeiling: settings.RECOMMEND_TARGET_POOL_CEILING },
    fairnessEvery: settings.WATCH_FAIRNESS_EVERY,
    unfairJainBelow: settings.WATCH_UNFAIR_JAIN_BELOW,
    deepReadUtilisation: settings.WATCH_DEEP_READ_UTILISATION,
    deepReadEvery: settings.WATCH_DEEP_READ_EVERY,
    pressureRefusedRatio: settings.WATCH_PRESSURE_REFUSED_RATIO,
    lifecycle: { resolveAfterQuiet: settings.WATCH_RESOLVE_AFTER, reopenWithinMs: 30 * 60_000 },
    outcomeAfterMs: settings.WATCH_OUTCOME_AFTER_MINUTES * 60_000,
  };
}

export interface WatcherDeps {
  db: Db;
  metrics: MetricsSource;
  /** Metrics Insights: a pool's tenants' consumption is read with one query per pool and metric. */
  insights: InsightsSource;
  now(): number;
}

export type WatchResult =
  | { status: "skipped"; periodStartMs: number }
  | {
      status: "evaluated";
      periodStartMs: number;
      wallMs: number;
      metricsRequested: number;
      calls: number;
      changes: Change<DetectedFinding>[];
      snapshot: FleetSnapshot;
    };

/** Inserts the period's row: true for the one worker that gets to evaluate it. */
export async function claimPeriod(db: Db, periodStartMs: number, workerId: string): Promise<boolean> {
  const { count } = await db.watchEvaluation.createMany({
    data: [{ periodStart: new Date(periodStartMs), workerId }],
    skipDuplicates: true,
  });
  return count === 1;
}

async function loadMemory(db: Db): Promise<WatchMemory> {
  const [latest, open] = await Promise.all([
    db.watchEvaluation.findFirst({
      where: { finishedAt: { not: null }, snapshot: { not: null as never } },
      orderBy: { periodStart: "desc" },
    }),
    db.finding.findMany({ where: { status: "open", kind: "noisy_neighbour" }, select: { storageInstanceId: true, tenantId: true } }),
  ]);
  const snapshot = latest?.snapshot as FleetSnapshot | null | undefined;
  const fairness: WatchMemory["fairness"] = new Map();
  for (const instance of snapshot?.instances ?? []) {
    if (instance.jain !== null && instance.fairnessAtMs !== null)
      fairness.set(instance.id, {
        jain: instance.jain,
        atMs: instance.fairnessAtMs,
        peakUtilisation: instance.fairnessPeakUtilisation ?? 0,
      });
  }
  const flaggedTenants = new Map<string, Set<string>>();
  for (const finding of open)
    if (finding.storageInstanceId && finding.tenantId)
      flaggedTenants.set(finding.storageInstanceId, (flaggedTenants.get(finding.storageInstanceId) ?? new Set()).add(finding.tenantId));
  return {
    fairness,
    watchedPools: new Set(open.map((f) => f.storageInstanceId).filter((id): id is string => id !== null)),
    flaggedTenants,
  };
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

function findingFields(d: DetectedFinding) {
  return {
    severity: d.severity,
    summary: d.summary,
    evidence: json(d.evidence),
    victims: json(d.victims),
    recommendation: d.recommendation ? json(d.recommendation) : undefined,
  };
}

/** Applies one evaluation's lifecycle changes with their events, in one transaction. */
export async function applyChanges(db: Db, changes: Change<DetectedFinding>[], nowMs: number): Promise<void> {
  if (!changes.length) return;
  const now = new Date(nowMs);
  await db.$transaction(async (tx) => {
    for (const change of changes) {
      switch (change.type) {
        case "open": {
          const d = change.detected;
          await tx.finding.create({
            data: {
              kind: d.kind,
              subject: d.subject,
              tenantId: d.tenantId,
              storageInstanceId: d.storageInstanceId,
              peakSeverity: d.severity,
              sinceAt: new Date(d.sinceMs),
              openedAt: now,
              lastSeenAt: now,
              ...findingFields(d),
              events: { create: { kind: "opened", severity: d.severity, at: now, detail: d.summary } },
            },
          });
          break;
        }
        case "reopen": {
          const d = change.detected;
          const previous = await tx.finding.findUniqueOrThrow({ where: { id: change.id }, select: { peakSeverity: true } });
          await tx.finding.update({
            where: { id: change.id },
            data: {
              status: "open",
              resolvedAt: null,
              quietEvaluations: 0,
              reopenedCount: { increment: 1 },
              lastSeenAt: now,
              peakSeverity: worseSeverity(previous.peakSeverity, d.severity),
              ...findingFields(d),
              events: { create: { kind: "reopened", severity: d.severity, at: now, detail: d.summary } },
            },
          });
          break;
        }
        case "update": {
          const d = change.detected;
          const previous = await tx.finding.findUniqueOrThrow({ where: { id: change.id }, select: { peakSeverity: true } });
          await tx.finding.update({
            where: { id: change.id },
            data: {
              quietEvaluations: 0,
              lastSeenAt: now,
              peakSeverity: worseSeverity(previous.peakSeverity, d.severity),
              ...findingFields(d),
              ...(change.severityChange
                ? { events: { create: { kind: change.severityChange, severity: d.severity, at: now, detail: d.summary } } }
                : {}),
            },
          });
          break;
        }
        case "quiet":
          await tx.finding.update({ where: { id: change.id }, data: { quietEvaluations: change.quietEvaluations } });
          break;
        case "resolve": {
          const finding = await tx.finding.update({ where: { id: change.id }, data: { status: "resolved", resolvedAt: now } });
          await tx.findingEvent.create({
            data: {
              findingId: change.id,
              kind: "resolved",
              severity: finding.severity,
              at: now,
              detail: `No longer seen for ${finding.quietEvaluations + 1} evaluations in a row.`,
            },
          });
          break;
        }
      }
    }
  });
}

function snapshotOf(
  evaluation: Evaluation,
  placements: Awaited<ReturnType<typeof loadPlacements>>,
  open: { storageInstanceId: string | null; severity: SeverityValue }[],
  nowMs: number,
  options: WatchOptions,
): FleetSnapshot {
  const openByInstance = new Map<string, number>();
  const openFindings: Record<SeverityValue, number> = { minor: 0, major: 0, critical: 0 };
  for (const f of open) {
    openFindings[f.severity]++;
    if (f.storageInstanceId) openByInstance.set(f.storageInstanceId, (openByInstance.get(f.storageInstanceId) ?? 0) + 1);
  }
  const tenants = new Set(placements.flatMap((i) => i.tenants.map((t) => t.id)));
  const pooled = placements.filter((i) => i.mode === "pool" && i.tenants.length >= 2);
  const pressured = new Set(evaluation.pressuredPools);
  const screenedTenants = evaluation.detected
    .filter((d) => d.kind === "noisy_neighbour")
    .reduce((pools, d) => pools.add(d.storageInstanceId!), new Set<string>());
  const tenantsOn = (ids: Set<string>) => placements.filter((i) => ids.has(i.id)).reduce((n, i) => n + i.tenants.length, 0);
  return {
    evaluatedAtMs: nowMs,
    periodSeconds: options.periodSeconds,
    tenants: tenants.size,
    instances: evaluation.instances.map((instance) => ({ ...instance, openFindings: openByInstance.get(instance.id) ?? 0 })),
    openFindings,
    pressuredPools: evaluation.pressuredPools,
    cost: watchCost({
      instances: placements.length,
      pooledTenants: pooled.reduce((n, i) => n + i.tenants.length, 0),
      tenants: tenants.size,
      pressuredTenants: tenantsOn(pressured),
      screenedTenants: tenantsOn(screenedTenants),
      periodSeconds: options.periodSeconds,
      fairnessEvery: options.fairnessEvery,
      totalsPerInstance: totalsMetrics.length,
      consumptionPerTenant: fairnessMetrics.length,
      detectionPerTenant: detectionMetrics.length,
    }),
  };
}

/** Evaluation rows are kept a week (their figures), their snapshots an hour: at one a minute, a month of snapshots would be ~1 GB. */
async function pruneEvaluations(db: Db, nowMs: number): Promise<void> {
  await db.$executeRaw`UPDATE "WatchEvaluation" SET snapshot = NULL WHERE "periodStart" < ${new Date(nowMs - 3_600_000)} AND snapshot IS NOT NULL`;
  await db.watchEvaluation.deleteMany({ where: { periodStart: { lt: new Date(nowMs - 7 * 86_400_000) } } });
}

/** Evaluates the current period if no other worker has claimed it. */
export async function watchOnce(deps: WatcherDeps, settings: WatcherSettings, workerId: string): Promise<WatchResult> {
  const nowMs = deps.now();
  const periodMs = settings.periodSeconds * 1000;
  const periodStartMs = Math.floor(nowMs / periodMs) * periodMs;
  if (!(await claimPeriod(deps.db, periodStartMs, workerId))) return { status: "skipped", periodStartMs };
  const started = performance.now();
  const periodStart = new Date(periodStartMs);
  try {
    const [placements, memory] = await Promise.all([loadPlacements(deps.db), loadMemory(deps.db)]);
    const evaluation = await evaluateFleet(placements, deps.metrics, nowMs, settings, memory, deps.insights);
    const known = await deps.db.finding.findMany({
      where: { OR: [{ status: "open" }, { status: "resolved", resolvedAt: { gte: new Date(nowMs - settings.lifecycle.reopenWithinMs) } }] },
      select: { id: true, subject: true, status: true, severity: true, quietEvaluations: true, resolvedAt: true },
    });
    const changes = lifecycleChanges(
      known.map((f) => ({ ...f, resolvedAtMs: f.resolvedAt?.getTime() ?? null })),
      evaluation.detected,
      nowMs,
      settings.lifecycle,
    );
    await applyChanges(deps.db, changes, nowMs);
    const open = await deps.db.finding.findMany({ where: { status: "open" }, select: { storageInstanceId: true, severity: true } });
    const snapshot = snapshotOf(evaluation, placements, open, nowMs, settings);
    const wallMs = Math.round(performance.now() - started);
    await deps.db.watchEvaluation.update({
      where: { periodStart },
      data: {
        finishedAt: new Date(),
        wallMs,
        calls: evaluation.cost.calls,
        metricsRequested: evaluation.cost.metricsRequested,
        snapshot: json(snapshot),
      },
    });
    await pruneEvaluations(deps.db, nowMs);
    return {
      status: "evaluated",
      periodStartMs,
      wallMs,
      metricsRequested: evaluation.cost.metricsRequested,
      calls: evaluation.cost.calls,
      changes,
      snapshot,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 500) : String(error);
    await deps.db.watchEvaluation
      .update({ where: { periodStart }, data: { finishedAt: new Date(), wallMs: Math.round(performance.now() - started), error: message } })
      .catch(() => undefined);
    throw error;
  }
}

export interface WatcherHooks {
  /** After each evaluation this worker made (proposals follow findings here). */
  afterEvaluation?: (result: Extract<WatchResult, { status: "evaluated" }>) => Promise<void>;
  /** Every tick, evaluated or not (alert delivery and its retries). */
  everyTick?: () => Promise<void>;
}

/** Ticks a few times per period so the period is evaluated soon after it starts, by whichever worker claims it first. */
export function startWatcher(
  deps: WatcherDeps,
  settings: WatcherSettings,
  workerId: string,
  log: (line: string) => void,
  hooks: WatcherHooks = {},
): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const result = await watchOnce(deps, settings, workerId);
      if (result.status === "evaluated") {
        const opened = result.changes.filter((c) => c.type === "open" || c.type === "reopen").length;
        const resolved = result.changes.filter((c) => c.type === "resolve").length;
        if (opened || resolved)
          log(`fleet watch: ${opened} finding(s) opened, ${resolved} resolved (${result.wallMs} ms, ${result.metricsRequested} metrics)`);
        await hooks.afterEvaluation?.(result);
      }
    } catch (error) {
      log(`fleet watch failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
    try {
      await hooks.everyTick?.();
    } catch (error) {
      log(`fleet watch alerts failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), Math.min(10_000, (settings.periodSeconds * 1000) / 6));
  void tick();
  return { stop: () => clearInterval(timer) };
}
