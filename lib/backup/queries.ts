// What the backup pages read: backups, the tenants they hold, schedules, and
// the measured durations of both strategies (backups and the restores made
// from them), so an operator chooses with this fleet's numbers.
import type { Db } from "../db/client";
import { median } from "../fairness/fairness";
import { findOutput, parseSteps, type StepRecord } from "../operations/definition";
import { compareStep, loadStep, restoreParameters, sideTableStep, unfreezeStep } from "./restore-operation";
import { validatedPlan } from "./restore-plan";

export type BackupStrategyValue = "per_tenant" | "whole_table";

export const strategyLabels: Record<BackupStrategyValue, string> = {
  per_tenant: "Separated at backup",
  whole_table: "Separated at restore",
};

export const strategyDescriptions: Record<BackupStrategyValue, string> = {
  per_tenant:
    "Each tenant's items go to files of their own while the backup runs: more work per backup, a restore reads one tenant's files.",
  whole_table: "One file set per Scan segment: the simplest backup; a restore reads every file and keeps the tenant's items.",
};

export async function listBackups(db: Db, filter: { storageInstanceId?: string; take?: number } = {}) {
  return db.backup.findMany({
    where: filter.storageInstanceId ? { storageInstanceId: filter.storageInstanceId } : {},
    orderBy: { startedAt: "desc" },
    take: filter.take ?? 100,
    include: { _count: { select: { tenants: true } } },
  });
}

export async function getBackup(db: Db, id: string) {
  return db.backup.findUnique({
    where: { id },
    include: { tenants: { orderBy: { tenantId: "asc" } }, operation: { select: { requestedBy: { select: { email: true } } } } },
  });
}

/** Complete backups holding the tenant's live data, newest first. */
export async function backupsHolding(db: Db, tenantId: string) {
  return db.backupTenant.findMany({
    where: { tenantId, backup: { status: "complete" } },
    include: { backup: true },
    orderBy: { backup: { startedAt: "desc" } },
    take: 50,
  });
}

export async function backupSchedules(db: Db) {
  const instances = await db.storageInstance.findMany({
    where: { status: { not: "retired" } },
    orderBy: { id: "asc" },
    include: { backupSchedule: true },
  });
  return instances.map((i) => ({ storageInstanceId: i.id, tableName: i.tableName, mode: i.mode, schedule: i.backupSchedule }));
}

/** What a restore's page shows of its steps, each once it has run: the path (staged or in place), the comparison, the write freeze, the side table. */
export function restoreResult(steps: readonly StepRecord[]) {
  return {
    staging: findOutput(steps, validatedPlan)?.plan.staging ?? null,
    compare: findOutput(steps, compareStep),
    unfreeze: findOutput(steps, unfreezeStep),
    sideTable: findOutput(steps, sideTableStep),
  };
}
export type RestoreResult = ReturnType<typeof restoreResult>;

export interface StrategyTiming {
  strategy: BackupStrategyValue;
  backups: number;
  /** Median items per second of its backups' exports. */
  backupItemsPerSec: number | null;
  backupMedianMs: number | null;
  restores: number;
  /** Median time to read and check one tenant's items from such a backup. */
  restoreReadMedianMs: number | null;
  restoreReadItemsPerSec: number | null;
  /** Median whole in-place restore, queued to done. */
  restoreMedianMs: number | null;
}

export async function strategyTimings(db: Db): Promise<StrategyTiming[]> {
  const [backups, restores] = await Promise.all([
    db.backup.findMany({
      where: { status: { in: ["complete", "expired"] }, durationMs: { not: null } },
      orderBy: { startedAt: "desc" },
      take: 200,
      select: { id: true, strategy: true, durationMs: true, items: true },
    }),
    db.operation.findMany({
      where: { kind: "restore", status: "succeeded" },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { parameters: true, steps: true, startedAt: true, finishedAt: true },
    }),
  ]);
  const strategyOf = new Map(backups.map((b) => [b.id, b.strategy]));
  const missing = restores
    .map((r) => restoreParameters.safeParse(r.parameters))
    .flatMap((p) =>
      p.success && p.data.source.kind === "backup" && !strategyOf.has(p.data.source.backupId) ? [p.data.source.backupId] : [],
    );
  if (missing.length)
    for (const b of await db.backup.findMany({ where: { id: { in: missing } }, select: { id: true, strategy: true } }))
      strategyOf.set(b.id, b.strategy);
  return (["per_tenant", "whole_table"] as const).map((strategy) => {
    const own = backups.filter((b) => b.strategy === strategy);
    const reads: { ms: number; items: number }[] = [];
    const wholes: number[] = [];
    for (const r of restores) {
      const p = restoreParameters.safeParse(r.parameters);
      if (!p.success || p.data.source.kind !== "backup" || strategyOf.get(p.data.source.backupId) !== strategy) continue;
      const load = findOutput(parseSteps(r.steps), loadStep);
      if (load) reads.push({ ms: load.ms, items: load.items });
      if (p.data.mode === "in_place" && r.startedAt && r.finishedAt) wholes.push(r.finishedAt.getTime() - r.startedAt.getTime());
    }
    const perSec = (items: number, ms: number) => items / Math.max(0.001, ms / 1000);
    return {
      strategy,
      backups: own.length,
      backupItemsPerSec: own.length ? median(own.map((b) => perSec(b.items, b.durationMs!))) : null,
      backupMedianMs: own.length ? median(own.map((b) => b.durationMs!)) : null,
      restores: reads.length,
      restoreReadMedianMs: reads.length ? median(reads.map((r) => r.ms)) : null,
      restoreReadItemsPerSec: reads.length ? median(reads.map((r) => perSec(r.items, r.ms))) : null,
      restoreMedianMs: wholes.length ? median(wholes) : null,
    };
  });
}

/** The instances a "Back up now" button offers, each with the tenants a backup of it holds (bridge tenants too). */
export async function backupChoices(db: Db, storageInstanceIds: readonly string[]): Promise<{ id: string; tenants: number }[]> {
  return Promise.all(
    storageInstanceIds.map(async (id) => ({
      id,
      tenants: await db.tenant.count({
        where: { status: { not: "offboarded" }, OR: [{ storageInstanceId: id }, { bridgeInstanceId: id }] },
      }),
    })),
  );
}
