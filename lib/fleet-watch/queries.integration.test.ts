// The pages' reads of the fleet watch on PGlite: the findings list's filters,
// order and recent window; a tenant's and an instance's findings (and the open
// ones a tenant suffers from); one finding with its evidence and history; the
// operations that touched a tenant or an instance; and the watcher's latest
// snapshot and whether it is running.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlans, demoUsers, type DemoFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { testDatabase, type TestDatabase } from "../db/__tests__/databases";
import { pool, tenant } from "../operations/__tests__/migration-fixture";
import { parseFindingFilters } from "./finding-filters";
import {
  insertEvaluation,
  insertFinding,
  insertOperation,
  noisyEvidence,
  siloRecommendation,
  snapshotAt,
  victim,
} from "./__tests__/page-fixtures";
import { findingDetail, findingsOf, latestSnapshot, listFindings, openFindingCounts, operationsTouching } from "./queries";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const now = Date.UTC(2026, 11, 2, 12, 0);

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: [pool("pool-a"), pool("pool-b")],
  tenants: [
    { ...tenant("noisy", "pool-a"), name: "Noisy Co" },
    tenant("victim-one", "pool-a"),
    tenant("victim-two", "pool-a"),
    tenant("other", "pool-b"),
  ],
  users: demoUsers,
};

let database: TestDatabase;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await testDatabase("pglite").start();
  const db = database.db;
  await seedCatalog(db, fleet);
  ids.noisy = await insertFinding(db, {
    kind: "noisy_neighbour",
    storageInstanceId: "pool-a",
    tenantId: "noisy",
    severity: "critical",
    peakSeverity: "critical",
    sinceMs: now - 2 * hour,
    lastSeenMs: now - minute,
    evidence: noisyEvidence(now - minute),
    victims: [victim("victim-one", 0.12, 220), victim("victim-two", 0.05, null)],
    recommendation: siloRecommendation("pool-a", "noisy"),
    events: [
      { kind: "opened", atMs: now - 2 * hour + minute, severity: "major" },
      { kind: "escalated", atMs: now - hour, severity: "critical" },
    ],
  });
  ids.pressure = await insertFinding(db, {
    kind: "instance_pressure",
    storageInstanceId: "pool-b",
    severity: "minor",
    sinceMs: now - 30 * minute,
  });
  ids.unfair = await insertFinding(db, { kind: "unfair_pool", storageInstanceId: "pool-a", severity: "major", sinceMs: now - hour });
  ids.resolvedRecently = await insertFinding(db, {
    kind: "noisy_neighbour",
    storageInstanceId: "pool-b",
    tenantId: "other",
    severity: "minor",
    peakSeverity: "major",
    sinceMs: now - 2 * day - hour,
    resolvedMs: now - 2 * day,
  });
  ids.resolvedLongAgo = await insertFinding(db, {
    kind: "unfair_pool",
    storageInstanceId: "pool-a",
    severity: "minor",
    sinceMs: now - 10 * day - hour,
    resolvedMs: now - 10 * day,
  });
  // Operations: the noisy tenant moved out of pool-a into pool-b; a plan change of a pool-a resident; a restore on pool-b;
  // an old migration outside every range asked for; a plan change of a tenant on neither.
  ids.move = await insertOperation(db, {
    kind: "migrate",
    tenantId: "noisy",
    storageInstanceId: "pool-b",
    startedMs: now - 40 * minute,
    finishedMs: now - 30 * minute,
    move: { from: "pool-a", to: "pool-b" },
  });
  ids.plan = await insertOperation(db, {
    kind: "change_plan",
    tenantId: "victim-one",
    startedMs: now - 20 * minute,
    finishedMs: now - 19 * minute,
  });
  ids.restore = await insertOperation(db, {
    kind: "restore",
    tenantId: "other",
    startedMs: now - 3 * hour,
    finishedMs: now - 3 * hour + 5 * minute,
  });
  ids.oldMove = await insertOperation(db, {
    kind: "migrate",
    tenantId: "victim-two",
    storageInstanceId: "pool-a",
    startedMs: now - 5 * day,
    finishedMs: now - 5 * day + minute,
    move: { from: "pool-b", to: "pool-a" },
  });
  await insertOperation(db, {
    kind: "backup",
    tenantId: null,
    storageInstanceId: "pool-a",
    startedMs: now - 10 * minute,
    finishedMs: now - 9 * minute,
  });
});

afterAll(async () => {
  await database?.stop();
});

const list = (query: Record<string, string>) => listFindings(database.db, parseFindingFilters(query).filters, now);

describe("the findings list", () => {
  it("shows open findings, most severe and most recent first, then those resolved in the last week", async () => {
    const page = await list({});
    expect(page.rows.map((f) => f.id)).toEqual([ids.noisy, ids.unfair, ids.pressure, ids.resolvedRecently]);
    expect(page).toMatchObject({ total: 4, page: 1, pageCount: 1 });
    const noisy = page.rows[0]!;
    expect(noisy).toMatchObject({ tenantName: "Noisy Co", victimCount: 2, status: "open", severity: "critical" });
    expect(page.rows[1]).toMatchObject({ tenantId: null, tenantName: null, victimCount: 0 });
  });

  it("filters by kind, severity, status, instance and tenant", async () => {
    const idsOf = async (query: Record<string, string>) => (await list(query)).rows.map((f) => f.id);
    expect(await idsOf({ kind: "noisy_neighbour" })).toEqual([ids.noisy, ids.resolvedRecently]);
    expect(await idsOf({ severity: "minor" })).toEqual([ids.pressure, ids.resolvedRecently]);
    expect(await idsOf({ status: "open" })).toEqual([ids.noisy, ids.unfair, ids.pressure]);
    // Resolved asked for: all of them, not only the last week's.
    expect(await idsOf({ status: "resolved" })).toEqual([ids.resolvedRecently, ids.resolvedLongAgo]);
    expect(await idsOf({ instance: "pool-a" })).toEqual([ids.noisy, ids.unfair]);
    expect(await idsOf({ instance: "pool-a", status: "resolved" })).toEqual([ids.resolvedLongAgo]);
    expect(await idsOf({ tenant: "other" })).toEqual([ids.resolvedRecently]);
    expect(await idsOf({ tenant: "nobody" })).toEqual([]);
  });

  it("ignores a malformed filter rather than matching nothing", async () => {
    const { filters, errors } = parseFindingFilters({ severity: "urgent", instance: "pool-a" });
    expect(errors).toHaveLength(1);
    expect((await listFindings(database.db, filters, now)).rows.map((f) => f.id)).toEqual([ids.noisy, ids.unfair]);
  });

  it("counts past the last page and says so", async () => {
    const page = await list({ page: "2" });
    expect(page).toMatchObject({ rows: [], total: 4, page: 2, pageCount: 1 });
  });

  it("counts open findings by severity", async () => {
    expect(await openFindingCounts(database.db)).toEqual({ minor: 1, major: 1, critical: 1 });
  });
});

describe("a tenant's and an instance's findings", () => {
  it("an instance: its open findings and the last month's history", async () => {
    const found = await findingsOf(database.db, { storageInstanceId: "pool-a" }, now);
    expect(found.open.map((f) => f.id)).toEqual([ids.noisy, ids.unfair]);
    expect(found.recent.map((f) => f.id)).toEqual([ids.resolvedLongAgo]);
    expect(found.victimOf).toEqual([]);
  });

  it("a tenant: its own findings, and the open ones in which it is a victim", async () => {
    const victimOne = await findingsOf(database.db, { tenantId: "victim-one" }, now);
    expect(victimOne.open).toEqual([]);
    expect(victimOne.victimOf.map((f) => f.id)).toEqual([ids.noisy]);
    const other = await findingsOf(database.db, { tenantId: "other" }, now);
    expect(other.open).toEqual([]);
    expect(other.recent.map((f) => f.id)).toEqual([ids.resolvedRecently]);
    expect(other.recent[0]).toMatchObject({ severity: "minor", peakSeverity: "major" });
  });
});

describe("one finding", () => {
  it("reads its evidence, victims, recommendation, history and the operations since it began", async () => {
    const detail = (await findingDetail(database.db, ids.noisy!, now))!;
    expect(detail.evidence).toMatchObject({ peakRatio: 4.2, window: { periodSeconds: 60 } });
    expect(detail.victims.map((v) => [v.tenantId, v.latencyP99Max])).toEqual([
      ["victim-one", 220],
      ["victim-two", null],
    ]);
    expect(detail.recommendation?.moves).toEqual([expect.objectContaining({ tenantId: "noisy", action: "migrate_to_silo" })]);
    expect(detail.events.map((e) => [e.kind, e.severity])).toEqual([
      ["opened", "major"],
      ["escalated", "critical"],
    ]);
    expect(detail.tenantNames).toEqual({ noisy: "Noisy Co", "victim-one": "victim-one", "victim-two": "victim-two" });
    expect(detail.instance).toMatchObject({ id: "pool-a", mode: "pool", writeUnitsPerSec: 4_000 });
    expect(detail.operations.map((o) => [o.id, o.label])).toEqual([[ids.move, "Migration of noisy: pool-a → pool-b"]]);
    expect(detail.outcome).toBeNull();
  });

  it("is null when there is no such finding", async () => {
    expect(await findingDetail(database.db, "no-such-finding", now)).toBeNull();
  });
});

describe("operations that touched a tenant or an instance", () => {
  it("an instance: moves into and out of it, and plan changes and restores of its tenants, in the range", async () => {
    const idsOf = async (instance: string, fromMs: number) =>
      (await operationsTouching(database.db, { storageInstanceId: instance }, fromMs, now)).map((o) => o.id);
    expect(await idsOf("pool-a", now - 6 * hour)).toEqual([ids.move, ids.plan]);
    expect(await idsOf("pool-b", now - 6 * hour)).toEqual([ids.restore, ids.move]);
    expect(await idsOf("pool-a", now - 7 * day)).toEqual([ids.oldMove, ids.move, ids.plan]);
    expect(await idsOf("pool-a", now - 15 * minute)).toEqual([]);
  });

  it("a tenant: its own, with where a move took it", async () => {
    const marks = await operationsTouching(database.db, { tenantId: "noisy" }, now - hour, now);
    expect(marks).toEqual([
      expect.objectContaining({
        id: ids.move,
        kind: "migrate",
        fromInstanceId: "pool-a",
        toInstanceId: "pool-b",
        startedAtMs: now - 40 * minute,
        finishedAtMs: now - 30 * minute,
      }),
    ]);
  });
});

describe("the watcher's latest snapshot", () => {
  it("says the watcher has not run, then running, then late when no evaluation started for three periods", async () => {
    const db = database.db;
    expect(await latestSnapshot(db, now)).toMatchObject({ state: "never", snapshot: null, evaluatedAt: null, lastAttempt: null });

    await insertEvaluation(db, now - 3 * minute, { snapshot: snapshotAt(now - 3 * minute, { minor: 1, major: 1, critical: 1 }) });
    // The newest period is still being evaluated: the snapshot is the last finished one's.
    await insertEvaluation(db, now - 2 * minute, { finished: false });
    const running = await latestSnapshot(db, now);
    expect(running).toMatchObject({
      state: "running",
      periodSeconds: 60,
      evaluatedAt: new Date(now - 3 * minute + 4_000),
      evaluation: { metricsRequested: 460, calls: 6, wallMs: 3_000 },
      lastAttempt: { periodStart: new Date(now - 2 * minute), finishedAt: null },
    });
    expect(running.snapshot?.cost.monthlyUsd).toBe(198.72);

    const late = await latestSnapshot(db, now + 10 * minute);
    expect(late.state).toBe("late");
    expect(late.sinceLastMs).toBeGreaterThan(3 * minute);
    expect(late.snapshot?.evaluatedAtMs).toBe(now - 3 * minute);
  });
});
