// What the overview shows of the fleet watch: the latest snapshot, whether the
// watcher is keeping up, and the open findings most worth a look. Catalog
// reads only: no CloudWatch on the request.
import type { Db } from "../db/client";
import { latestSnapshot } from "./queries";
import { severityRank, type FindingKindValue, type FleetSnapshot, type SeverityValue } from "./shapes";

export interface OpenFindingRow {
  id: string;
  kind: FindingKindValue;
  severity: SeverityValue;
  tenantId: string | null;
  tenantName: string | null;
  storageInstanceId: string | null;
  summary: string;
  sinceMs: number;
  victims: number;
}

export interface WatchOverview {
  snapshot: FleetSnapshot | null;
  evaluatedAtMs: number | null;
  /** No evaluation started for three periods or more (or none ever): the watcher is not running. */
  late: boolean;
  lastError: string | null;
  open: OpenFindingRow[];
  openCount: Record<SeverityValue, number>;
  /** Distinct co-tenants hurt by the open noisy-neighbour findings. */
  victims: number;
}

export async function loadWatchOverview(db: Db, nowMs = Date.now(), shown = 6): Promise<WatchOverview> {
  const [status, open] = await Promise.all([
    latestSnapshot(db, nowMs),
    db.finding.findMany({
      where: { status: "open" },
      select: {
        id: true,
        kind: true,
        severity: true,
        tenantId: true,
        storageInstanceId: true,
        summary: true,
        sinceAt: true,
        victims: true,
      },
    }),
  ]);
  const evaluatedAtMs = status.evaluatedAt?.getTime() ?? null;
  const openCount: Record<SeverityValue, number> = { minor: 0, major: 0, critical: 0 };
  const victims = new Set<string>();
  for (const finding of open) {
    openCount[finding.severity]++;
    for (const victim of finding.victims as { tenantId: string }[]) victims.add(victim.tenantId);
  }
  const top = [...open]
    .sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || a.sinceAt.getTime() - b.sinceAt.getTime())
    .slice(0, shown);
  const names = new Map(
    (
      await db.tenant.findMany({
        where: { id: { in: top.map((f) => f.tenantId).filter((id): id is string => id !== null) } },
        select: { id: true, name: true },
      })
    ).map((t) => [t.id, t.name]),
  );
  return {
    snapshot: status.snapshot,
    evaluatedAtMs,
    late: status.state !== "running",
    lastError: status.lastAttempt?.error ?? null,
    open: top.map((f) => ({
      id: f.id,
      kind: f.kind,
      severity: f.severity,
      tenantId: f.tenantId,
      tenantName: f.tenantId ? (names.get(f.tenantId) ?? f.tenantId) : null,
      storageInstanceId: f.storageInstanceId,
      summary: f.summary,
      sinceMs: f.sinceAt.getTime(),
      victims: (f.victims as unknown[]).length,
    })),
    openCount,
    victims: victims.size,
  };
}
