// Finding, evaluation and operation rows as the watcher and the engine write
// them, for the page queries' tests and for seeding a console to look at.
import type { Db } from "../../db/client";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { FindingEventKind, FindingKind, FindingSeverity, OperationKind } from "../../generated/prisma/enums.ts";
import type { FindingEvidence, FindingOutcome, FindingVictim, FleetSnapshot, PoolRecommendation, SeverityValue } from "../shapes";

const minute = 60_000;

export interface FindingInput {
  kind: FindingKind;
  storageInstanceId: string | null;
  tenantId?: string | null;
  severity: FindingSeverity;
  peakSeverity?: FindingSeverity;
  summary?: string;
  sinceMs: number;
  /** Resolved at this time; open when absent. */
  resolvedMs?: number;
  lastSeenMs?: number;
  evidence?: FindingEvidence;
  victims?: FindingVictim[];
  recommendation?: PoolRecommendation | null;
  outcome?: FindingOutcome | null;
  /** Its history; by default opened at `sinceMs` (and resolved at `resolvedMs`). */
  events?: { kind: FindingEventKind; atMs: number; severity?: FindingSeverity; detail?: string }[];
}

export function noisyEvidence(endMs: number, spanMinutes = 30): FindingEvidence {
  return {
    window: { startMs: endMs - spanMinutes * minute, endMs, periodSeconds: 60 },
    peakRatio: 4.2,
    meanRatio: 3.1,
    peakUtilisation: 1.18,
    latestUtilisation: 1.04,
    capacityThrottled: 18_400,
    requests: 412_000,
  };
}

export function victim(tenantId: string, ratio = 0.08, p99: number | null = 140): FindingVictim {
  return { tenantId, requests: 20_000, capacityThrottled: Math.round(20_000 * ratio), capacityThrottleRatio: ratio, latencyP99Max: p99 };
}

export function siloRecommendation(storageInstanceId: string, tenantId: string, flagged: string[] = [tenantId]): PoolRecommendation {
  return {
    storageInstanceId,
    flagged,
    moves: [{ tenantId, action: "migrate_to_silo", reason: `${tenantId} alone takes more than the pool's spare capacity` }],
    reason: `Moving ${tenantId} out is enough: the other flagged tenants fit once it has gone.`,
    before: { coTenantCapacityThrottled: 18_400, jain: 0.41, peakUtilisation: 1.18 },
    after: { coTenantCapacityThrottled: 0, jain: 0.93, peakUtilisation: 0.62 },
  };
}

export async function insertFinding(db: Db, input: FindingInput): Promise<string> {
  const resolved = input.resolvedMs !== undefined;
  const subject = `${input.kind}/${input.storageInstanceId ?? "-"}/${input.tenantId ?? "-"}`;
  const events = input.events ?? [
    { kind: "opened" as const, atMs: input.sinceMs + minute },
    ...(resolved ? [{ kind: "resolved" as const, atMs: input.resolvedMs! }] : []),
  ];
  const finding = await db.finding.create({
    data: {
      kind: input.kind,
      subject,
      storageInstanceId: input.storageInstanceId,
      tenantId: input.tenantId ?? null,
      status: resolved ? "resolved" : "open",
      severity: input.severity,
      peakSeverity: input.peakSeverity ?? input.severity,
      summary: input.summary ?? `${input.kind.replace("_", " ")} on ${input.storageInstanceId}`,
      evidence: (input.evidence ?? noisyEvidence(input.lastSeenMs ?? input.resolvedMs ?? input.sinceMs + 10 * minute)) as object,
      victims: (input.victims ?? []) as unknown as Prisma.InputJsonValue,
      recommendation: (input.recommendation ?? undefined) as Prisma.InputJsonValue | undefined,
      outcome: (input.outcome ?? undefined) as Prisma.InputJsonValue | undefined,
      sinceAt: new Date(input.sinceMs),
      openedAt: new Date(input.sinceMs + minute),
      lastSeenAt: new Date(input.lastSeenMs ?? input.resolvedMs ?? input.sinceMs + 10 * minute),
      resolvedAt: resolved ? new Date(input.resolvedMs!) : null,
      events: {
        create: events.map((event) => ({
          kind: event.kind,
          at: new Date(event.atMs),
          severity: event.severity ?? input.severity,
          detail: event.detail ?? `${event.kind} (${event.severity ?? input.severity})`,
        })),
      },
    },
  });
  return finding.id;
}

export function snapshotAt(evaluatedAtMs: number, openFindings: Record<SeverityValue, number>, tenants = 60): FleetSnapshot {
  return {
    evaluatedAtMs,
    periodSeconds: 60,
    tenants,
    instances: [],
    openFindings,
    pressuredPools: [],
    cost: {
      metricsPerEvaluation: 460,
      evaluationsPerMonth: 43_200,
      monthlyUsd: 198.72,
      naiveMonthlyUsd: 2_592,
      pricePerThousandMetricsUsd: 0.01,
    },
  };
}

/** An evaluation row: finished with its snapshot unless `finished` is false (still running, or died). */
export async function insertEvaluation(
  db: Db,
  periodStartMs: number,
  { finished = true, snapshot, error = null }: { finished?: boolean; snapshot?: FleetSnapshot; error?: string | null } = {},
): Promise<void> {
  await db.watchEvaluation.create({
    data: {
      periodStart: new Date(periodStartMs),
      workerId: "worker-test",
      startedAt: new Date(periodStartMs + 1_000),
      finishedAt: finished ? new Date(periodStartMs + 4_000) : null,
      wallMs: finished ? 3_000 : null,
      calls: finished ? 6 : null,
      metricsRequested: finished ? (snapshot?.cost.metricsPerEvaluation ?? 460) : null,
      error,
      snapshot: finished && snapshot ? (snapshot as unknown as Prisma.InputJsonValue) : undefined,
    },
  });
}

/** A finished operation row as the engine leaves it; a move records its placements in its validate step. */
export async function insertOperation(
  db: Db,
  input: {
    kind: OperationKind;
    tenantId: string | null;
    storageInstanceId?: string | null;
    startedMs: number;
    finishedMs: number | null;
    move?: { from: string; to: string };
    requestedByEmail?: string;
  },
): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { email: input.requestedByEmail ?? "operator@example.com" } });
  const steps = input.move
    ? [
        {
          name: "validate",
          label: "Validate",
          status: "done",
          changesTenant: false,
          output: {
            move: {
              tenantId: input.tenantId,
              source: { storageInstanceId: input.move.from },
              target: { storageInstanceId: input.move.to },
            },
          },
        },
      ]
    : [];
  const operation = await db.operation.create({
    data: {
      kind: input.kind,
      status: input.finishedMs === null ? "running" : "succeeded",
      tenantId: input.tenantId,
      storageInstanceId: input.storageInstanceId ?? null,
      steps,
      progress: input.finishedMs === null ? 0.5 : 1,
      requestedById: user.id,
      idempotencyKey: `fixture-${input.kind}-${input.tenantId}-${input.startedMs}`,
      createdAt: new Date(input.startedMs - 1_000),
      startedAt: new Date(input.startedMs),
      finishedAt: input.finishedMs === null ? null : new Date(input.finishedMs),
    },
  });
  return operation.id;
}
