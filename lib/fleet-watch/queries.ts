// What the console's pages read of the fleet watch: the findings list with its
// filters, one finding with its evidence and history (its proposals and
// notifications: proposals.ts, alerts/queries.ts), a
// tenant's or an instance's findings, the watcher's latest snapshot and
// whether it is running, and the operations that touched a tenant or an
// instance (chart annotations, before/after comparisons). Reads only: the
// watcher (watcher.ts) writes these rows.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client.ts";
import type {
  FindingEventKind,
  FindingKind,
  FindingSeverity,
  FindingStatus,
  OperationKind,
  OperationStatus,
} from "../generated/prisma/enums.ts";
import { findOutput, parseSteps, stepOutput } from "../operations/definition";
import { kindLabels } from "../operations/labels";
import { findingsPageSize, recentDays, type FindingFilters } from "./finding-filters";
import type { FindingEvidence, FindingOutcome, FindingVictim, FleetSnapshot, PoolRecommendation, SeverityValue } from "./shapes";

const dayMs = 86_400_000;

// ---------------------------------------------------------------------------
// The JSON columns, read defensively: the watcher writes them (shapes.ts), and
// a row it wrote in an older shape must not take a page down.

function objectOf(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const isNumber = (value: unknown): value is number => typeof value === "number";

export function evidenceOf(value: unknown): FindingEvidence | null {
  const evidence = objectOf(value);
  const window = objectOf(evidence?.window);
  if (!evidence || !window || !isNumber(window.startMs) || !isNumber(window.endMs) || !isNumber(window.periodSeconds)) return null;
  return evidence as unknown as FindingEvidence;
}

export function victimsOf(value: unknown): FindingVictim[] {
  if (!Array.isArray(value)) return [];
  return value
    .map(objectOf)
    .filter((v): v is Record<string, unknown> => v !== null && typeof v.tenantId === "string")
    .map((v) => ({
      tenantId: v.tenantId as string,
      requests: isNumber(v.requests) ? v.requests : 0,
      capacityThrottled: isNumber(v.capacityThrottled) ? v.capacityThrottled : 0,
      capacityThrottleRatio: isNumber(v.capacityThrottleRatio) ? v.capacityThrottleRatio : 0,
      latencyP99Max: isNumber(v.latencyP99Max) ? v.latencyP99Max : null,
    }));
}

export function recommendationOf(value: unknown): PoolRecommendation | null {
  const recommendation = objectOf(value);
  if (!recommendation || !Array.isArray(recommendation.moves) || !objectOf(recommendation.before) || !objectOf(recommendation.after))
    return null;
  return recommendation as unknown as PoolRecommendation;
}

export function outcomeOf(value: unknown): FindingOutcome | null {
  const outcome = objectOf(value);
  if (!outcome || typeof outcome.operationId !== "string" || !objectOf(outcome.before) || !objectOf(outcome.after)) return null;
  return outcome as unknown as FindingOutcome;
}

export function snapshotOf(value: unknown): FleetSnapshot | null {
  const snapshot = objectOf(value);
  if (!snapshot || !isNumber(snapshot.evaluatedAtMs) || !objectOf(snapshot.cost) || !Array.isArray(snapshot.instances)) return null;
  return snapshot as unknown as FleetSnapshot;
}

// ---------------------------------------------------------------------------
// Findings

/** A finding as a list or a panel shows it. */
export interface FindingSummary {
  id: string;
  kind: FindingKind;
  subject: string;
  storageInstanceId: string | null;
  tenantId: string | null;
  /** The tenant's name from the catalog (null: no tenant, or no longer in the catalog). */
  tenantName: string | null;
  status: FindingStatus;
  severity: FindingSeverity;
  peakSeverity: FindingSeverity;
  summary: string;
  sinceAt: Date;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  reopenedCount: number;
  victimCount: number;
}

const summarySelect = {
  id: true,
  kind: true,
  subject: true,
  storageInstanceId: true,
  tenantId: true,
  status: true,
  severity: true,
  peakSeverity: true,
  summary: true,
  sinceAt: true,
  openedAt: true,
  lastSeenAt: true,
  resolvedAt: true,
  reopenedCount: true,
  victims: true,
} as const satisfies Prisma.FindingSelect;

type SummaryRow = Prisma.FindingGetPayload<{ select: typeof summarySelect }>;

async function tenantNames(db: Db, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === "string"))];
  if (wanted.length === 0) return new Map();
  const rows = await db.tenant.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

function toSummary(row: SummaryRow, names: Map<string, string>): FindingSummary {
  const { victims, ...rest } = row;
  return { ...rest, tenantName: row.tenantId ? (names.get(row.tenantId) ?? null) : null, victimCount: victimsOf(victims).length };
}

async function summaries(db: Db, rows: SummaryRow[]): Promise<FindingSummary[]> {
  const names = await tenantNames(
    db,
    rows.map((row) => row.tenantId),
  );
  return rows.map((row) => toSummary(row, names));
}

/** Open first, then the most severe, then the most recent onset. */
const listOrder: Prisma.FindingOrderByWithRelationInput[] = [{ status: "asc" }, { severity: "desc" }, { sinceAt: "desc" }, { id: "asc" }];

export function findingsWhere(filters: FindingFilters, nowMs = Date.now()): Prisma.FindingWhereInput {
  return {
    kind: filters.kind,
    severity: filters.severity,
    storageInstanceId: filters.instance,
    tenantId: filters.tenant,
    ...(filters.status
      ? { status: filters.status }
      : { OR: [{ status: "open" }, { resolvedAt: { gte: new Date(nowMs - recentDays * dayMs) } }] }),
  };
}

export interface FindingsPage {
  rows: FindingSummary[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  readAtMs: number;
}

/** One page of findings matching the filters (open and recently resolved unless a status is asked for), with the count of all. */
export async function listFindings(db: Db, filters: FindingFilters, nowMs = Date.now()): Promise<FindingsPage> {
  const where = findingsWhere(filters, nowMs);
  const [total, rows] = await Promise.all([
    db.finding.count({ where }),
    db.finding.findMany({
      where,
      select: summarySelect,
      orderBy: listOrder,
      skip: (filters.page - 1) * findingsPageSize,
      take: findingsPageSize,
    }),
  ]);
  return {
    rows: await summaries(db, rows),
    total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / findingsPageSize)),
    pageSize: findingsPageSize,
    readAtMs: nowMs,
  };
}

/** Open findings by severity, for the overview's counts. */
export async function openFindingCounts(db: Db): Promise<Record<SeverityValue, number>> {
  const rows = await db.finding.groupBy({ by: ["severity"], where: { status: "open" }, _count: { _all: true } });
  const counts: Record<SeverityValue, number> = { minor: 0, major: 0, critical: 0 };
  for (const row of rows) counts[row.severity] = row._count._all;
  return counts;
}

export type FindingScope = { tenantId: string } | { storageInstanceId: string };

export interface ScopedFindings {
  open: FindingSummary[];
  /** Resolved in the last `historyDays` days, newest first (at most `historyLimit`). */
  recent: FindingSummary[];
  /** A tenant's page: open findings about others in which this tenant is among the victims. */
  victimOf: FindingSummary[];
  readAtMs: number;
}

export const historyDays = 30;
export const historyLimit = 20;

/** A tenant's or an instance's open findings and recent history. */
export async function findingsOf(db: Db, scope: FindingScope, nowMs = Date.now()): Promise<ScopedFindings> {
  const about: Prisma.FindingWhereInput =
    "tenantId" in scope ? { tenantId: scope.tenantId } : { storageInstanceId: scope.storageInstanceId };
  const [open, recent, victimOf] = await Promise.all([
    db.finding.findMany({ where: { ...about, status: "open" }, select: summarySelect, orderBy: listOrder }),
    db.finding.findMany({
      where: { ...about, status: "resolved", resolvedAt: { gte: new Date(nowMs - historyDays * dayMs) } },
      select: summarySelect,
      orderBy: [{ resolvedAt: "desc" }, { id: "asc" }],
      take: historyLimit,
    }),
    "tenantId" in scope
      ? db.finding.findMany({
          where: { status: "open", tenantId: { not: scope.tenantId }, victims: { array_contains: [{ tenantId: scope.tenantId }] } },
          select: summarySelect,
          orderBy: listOrder,
          take: historyLimit,
        })
      : Promise.resolve([]),
  ]);
  const names = await tenantNames(
    db,
    [...open, ...recent, ...victimOf].map((row) => row.tenantId),
  );
  return {
    open: open.map((row) => toSummary(row, names)),
    recent: recent.map((row) => toSummary(row, names)),
    victimOf: victimOf.map((row) => toSummary(row, names)),
    readAtMs: nowMs,
  };
}

// ---------------------------------------------------------------------------
// Operations that touched a tenant or an instance

/** The operations drawn on charts and compared before and after. */
export const annotatedKinds = ["migrate", "rollback_migration", "change_plan", "restore"] as const satisfies readonly OperationKind[];
/** The operations whose effect on co-tenants a finding compares (the hour before and after). */
export const remediatingKinds: readonly OperationKind[] = ["migrate", "rollback_migration", "change_plan"];

export interface OperationMark {
  id: string;
  kind: OperationKind;
  /** "Migration of acme-logistics: pool-use1-02 → silo-acme-logistics". */
  label: string;
  status: OperationStatus;
  tenantId: string | null;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  /** For moves, the instances it moved the tenant from and to. */
  fromInstanceId: string | null;
  toInstanceId: string | null;
}

// A move's placements as its validate step records them (lib/migration/moving.ts's moveSchema, the part read here).
const recordedPlacements = stepOutput(
  "validate",
  z.object({
    move: z.object({ source: z.object({ storageInstanceId: z.string() }), target: z.object({ storageInstanceId: z.string() }) }),
  }),
);

type OperationRow = Prisma.OperationGetPayload<{
  select: {
    id: true;
    kind: true;
    status: true;
    tenantId: true;
    storageInstanceId: true;
    steps: true;
    createdAt: true;
    startedAt: true;
    finishedAt: true;
  };
}>;

export function operationMark(row: OperationRow): OperationMark {
  const move =
    row.kind === "migrate" || row.kind === "rollback_migration" ? findOutput(parseSteps(row.steps), recordedPlacements)?.move : undefined;
  const fromInstanceId = move?.source.storageInstanceId ?? null;
  const toInstanceId = move?.target.storageInstanceId ?? (row.kind === "migrate" ? row.storageInstanceId : null);
  const subject = row.tenantId ? ` of ${row.tenantId}` : "";
  const where = fromInstanceId && toInstanceId ? `: ${fromInstanceId} → ${toInstanceId}` : toInstanceId ? ` to ${toInstanceId}` : "";
  return {
    id: row.id,
    kind: row.kind,
    label: `${kindLabels[row.kind]}${subject}${where}`,
    status: row.status,
    tenantId: row.tenantId,
    startedAtMs: (row.startedAt ?? row.createdAt).getTime(),
    finishedAtMs: row.finishedAt?.getTime() ?? null,
    fromInstanceId,
    toInstanceId,
  };
}

/** At most this many operations are drawn on one chart. */
export const markLimit = 50;

/**
 * Migrations, rollbacks, plan changes and restores that ran within [fromMs, toMs] and touched the tenant, or the
 * instance (one of its tenants, or a move into or out of it), oldest first. Operations that did not start are left out.
 */
export async function operationsTouching(db: Db, scope: FindingScope, fromMs: number, toMs: number): Promise<OperationMark[]> {
  const inRange: Prisma.OperationWhereInput = {
    kind: { in: [...annotatedKinds] },
    startedAt: { not: null, lte: new Date(toMs) },
    OR: [{ finishedAt: null }, { finishedAt: { gte: new Date(fromMs) } }],
  };
  const select = {
    id: true,
    kind: true,
    status: true,
    tenantId: true,
    storageInstanceId: true,
    steps: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
  } as const;
  if ("tenantId" in scope) {
    const rows = await db.operation.findMany({
      where: { ...inRange, tenantId: scope.tenantId },
      select,
      orderBy: { startedAt: "asc" },
      take: markLimit,
    });
    return rows.map(operationMark);
  }
  const instanceId = scope.storageInstanceId;
  const residents = await db.tenant.findMany({
    where: { OR: [{ storageInstanceId: instanceId }, { bridgeInstanceId: instanceId }] },
    select: { id: true },
  });
  // Moves out of the instance name it only in their recorded steps: every move in the range is read and kept if it names it.
  const rows = await db.operation.findMany({
    where: {
      AND: [
        inRange,
        {
          OR: [
            { storageInstanceId: instanceId },
            { tenantId: { in: residents.map((t) => t.id) } },
            { kind: { in: ["migrate", "rollback_migration"] } },
          ],
        },
      ],
    },
    select,
    orderBy: { startedAt: "asc" },
  });
  const residentIds = new Set(residents.map((t) => t.id));
  return rows
    .map(operationMark)
    .filter(
      (mark) =>
        mark.fromInstanceId === instanceId ||
        mark.toInstanceId === instanceId ||
        ((mark.kind === "change_plan" || mark.kind === "restore") && mark.tenantId !== null && residentIds.has(mark.tenantId)),
    )
    .slice(-markLimit);
}

// ---------------------------------------------------------------------------
// One finding

export interface FindingEventView {
  id: string;
  at: Date;
  kind: FindingEventKind;
  severity: FindingSeverity;
  detail: string;
}

export interface FindingDetail extends FindingSummary {
  evidence: FindingEvidence | null;
  victims: FindingVictim[];
  recommendation: PoolRecommendation | null;
  outcome: FindingOutcome | null;
  quietEvaluations: number;
  updatedAt: Date;
  /** Its history, oldest first. */
  events: FindingEventView[];
  /** Names of the tenants the finding names (its tenant, victims, moves); ids not in the catalog are absent. */
  tenantNames: Record<string, string>;
  /** The instance's mode and capacity, when it names one still in the catalog. */
  instance: { id: string; mode: "pool" | "silo"; readUnitsPerSec: number; writeUnitsPerSec: number; status: string } | null;
  /** Migrations, rollbacks, plan changes and restores of its tenant or on its instance since it began, oldest first. */
  operations: OperationMark[];
  readAtMs: number;
}

/** One finding with its evidence, history and the operations since it began; null when there is no such finding. */
export async function findingDetail(db: Db, id: string, nowMs = Date.now()): Promise<FindingDetail | null> {
  const finding = await db.finding.findUnique({
    where: { id },
    include: { events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  if (!finding) return null;
  const victims = victimsOf(finding.victims);
  const recommendation = recommendationOf(finding.recommendation);
  const scope: FindingScope | null = finding.tenantId
    ? { tenantId: finding.tenantId }
    : finding.storageInstanceId
      ? { storageInstanceId: finding.storageInstanceId }
      : null;
  const [names, instance, operations] = await Promise.all([
    tenantNames(db, [finding.tenantId, ...victims.map((v) => v.tenantId), ...(recommendation?.moves.map((m) => m.tenantId) ?? [])]),
    finding.storageInstanceId
      ? db.storageInstance.findUnique({
          where: { id: finding.storageInstanceId },
          select: { id: true, mode: true, readUnitsPerSec: true, writeUnitsPerSec: true, status: true },
        })
      : Promise.resolve(null),
    scope ? operationsTouching(db, scope, finding.sinceAt.getTime(), nowMs) : Promise.resolve([]),
  ]);
  const { events, evidence, outcome, recommendation: _recommendation, victims: _victims, ...rest } = finding;
  return {
    ...toSummary({ ...rest, victims: finding.victims }, names),
    quietEvaluations: finding.quietEvaluations,
    updatedAt: finding.updatedAt,
    evidence: evidenceOf(evidence),
    victims,
    recommendation,
    outcome: outcomeOf(outcome),
    events: events.map(({ id, at, kind, severity, detail }) => ({ id, at, kind, severity, detail })),
    tenantNames: Object.fromEntries(names),
    instance,
    operations,
    readAtMs: nowMs,
  };
}

// ---------------------------------------------------------------------------
// The watcher's latest evaluation

/** The watcher counts as stopped when no evaluation started for this many periods. */
export const latePeriods = 3;
const defaultPeriodSeconds = 60;

export interface WatchStatus {
  /** The latest finished evaluation's snapshot (null: none finished yet, or it stored none). */
  snapshot: FleetSnapshot | null;
  /** When that evaluation finished, and its own figures. */
  evaluatedAt: Date | null;
  evaluation: { periodStart: Date; wallMs: number | null; calls: number | null; metricsRequested: number | null } | null;
  /** The latest evaluation row whatever its state (it may still be running, or have failed). */
  lastAttempt: { periodStart: Date; startedAt: Date; finishedAt: Date | null; error: string | null } | null;
  periodSeconds: number;
  /** never: no evaluation yet; running: one started within `latePeriods` periods; late: none since. */
  state: "never" | "running" | "late";
  /** How long since the last evaluation started (null when never). */
  sinceLastMs: number | null;
  /** When this was read: what "now" is for the page's relative times and durations. */
  readAtMs: number;
}

export async function latestSnapshot(db: Db, nowMs = Date.now()): Promise<WatchStatus> {
  const [finished, last] = await Promise.all([
    db.watchEvaluation.findFirst({
      where: { finishedAt: { not: null }, snapshot: { not: Prisma.DbNull } },
      orderBy: { periodStart: "desc" },
    }),
    db.watchEvaluation.findFirst({ orderBy: { periodStart: "desc" } }),
  ]);
  const snapshot = finished ? snapshotOf(finished.snapshot) : null;
  const periodSeconds = snapshot?.periodSeconds && snapshot.periodSeconds > 0 ? snapshot.periodSeconds : defaultPeriodSeconds;
  const lastMs = last ? Math.max(last.startedAt.getTime(), last.periodStart.getTime()) : null;
  const sinceLastMs = lastMs === null ? null : Math.max(0, nowMs - lastMs);
  return {
    snapshot,
    evaluatedAt: finished?.finishedAt ?? null,
    evaluation: finished
      ? {
          periodStart: finished.periodStart,
          wallMs: finished.wallMs,
          calls: finished.calls,
          metricsRequested: finished.metricsRequested,
        }
      : null,
    lastAttempt: last ? { periodStart: last.periodStart, startedAt: last.startedAt, finishedAt: last.finishedAt, error: last.error } : null,
    periodSeconds,
    state: sinceLastMs === null ? "never" : sinceLastMs > latePeriods * periodSeconds * 1000 ? "late" : "running",
    sinceLastMs,
    readAtMs: nowMs,
  };
}
