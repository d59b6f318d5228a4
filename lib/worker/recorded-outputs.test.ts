// Operations already in a database keep running after an upgrade: every step
// output as the steps recorded it before outputs were typed (the literals of
// that code, including a freeze recorded before it kept the source it read)
// still reads back through the step's schema.
import { describe, expect, it } from "vitest";
import { stepsOf, type JsonObject } from "../operations/definition";
import { operationDefinitions } from "./kinds";

const move = {
  tenantId: "acme",
  keyPrefix: "acme",
  entities: ["orders", "customers", "invoices", "events"],
  source: { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1", mode: "pool" },
  target: { storageInstanceId: "silo-acme", tableName: "tsc-silo-acme", region: "us-east-1", mode: "silo" },
  targetModel: "silo",
  copyRatePerSec: 0,
  removeTargetOnUndo: true,
  createdInstanceId: "silo-acme",
};
const moving = {
  start: { copyFrom: 1_764_590_000_000 },
  copy: { copied: 1_200, ms: 850, itemsPerSec: 1_412 },
  catchUp: { since: 1_764_590_003_000, passes: 2, copied: 14 },
  verifyAll: { since: 1_764_590_004_000, recheck: ["acme#orders#o-1|o-1", ""], onlyInTarget: [] },
  freeze: {
    frozenSince: "2026-12-01T13:30:00.000Z",
    copied: 3,
    removed: 0,
    sourceRead: { since: 1_764_590_003_000, count: 3, hashes: { "acme#orders#o-1|o-1": "9f2c" } },
  },
  verify: { items: 1_200, compared: 17, ms: 40 },
  cutOver: { freezeMs: 310, switchedAt: 1_764_590_009_000, version: 7 },
};
const { copy: _copy, ...rollingBack } = moving; // a rollback copies back only what changed

const plan = {
  tenant: { tenantId: "acme", keyPrefix: "acme" },
  targets: [{ storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1", entities: ["orders", "customers"] }],
  source: { kind: "backup", backupId: "cmwv0000000000000000000000", location: "backups/cmwv0000000000000000000000/" },
  sideTable: null,
};

/** Per kind: its parameters, and each step's output as recorded. */
const recorded: Record<string, { parameters: unknown; outputs: Record<string, JsonObject> }[]> = {
  onboard: [
    {
      parameters: {
        tenantId: "acme",
        name: "Acme",
        tier: "standard",
        deploymentModel: "bridge",
        region: "us-east-1",
        planId: "standard",
        bridgeEntity: "orders",
      },
      outputs: { place: { poolId: "pool-a", siloId: "silo-acme", reason: "pool-a: 40 % busy; orders in silo-acme" } },
    },
  ],
  migrate: [
    {
      parameters: { tenantId: "acme", target: "new-silo", copyRatePerSec: 0 },
      outputs: { validate: { move, items: 1_200, sourceModel: "pool", rollbackWindowMs: 86_400_000 }, ...moving },
    },
    {
      parameters: { tenantId: "acme", target: "pool-b", copyRatePerSec: 500 },
      outputs: {
        validate: { move, items: 0, sourceModel: "bridge", rollbackWindowMs: 0 },
        ...moving,
        freeze: { frozenSince: null, copied: 0, removed: 1 },
        cutOver: { freezeMs: null, switchedAt: 1_764_590_009_000, version: 3 },
      },
    },
    {
      parameters: { tenantId: "acme", target: "pool-b", copyRatePerSec: 0 },
      outputs: {
        validate: { move, items: 9_000, sourceModel: "pool", rollbackWindowMs: 3_600_000 },
        ...moving,
        freeze: { ...moving.freeze, sourceRead: null },
      },
    },
  ],
  rollback_migration: [
    {
      parameters: { migrationId: "cmwv0000000000000000000000" },
      outputs: {
        validate: {
          move: { ...move, removeTargetOnUndo: false, createdInstanceId: null },
          since: 1_764_590_007_000,
          abandonedInstanceId: "silo-acme",
        },
        ...rollingBack,
      },
    },
  ],
  cleanup_migration: [{ parameters: { migrationId: "cmwv0000000000000000000000" }, outputs: { validate: { move } } }],
  integration_check: [
    {
      parameters: { tenantId: "acme" },
      outputs: {
        metrics: { passed: true, detail: "42 requests", lastDatapointAt: 1_764_000_000_000, requests: 42 },
        readers: { passed: true, detail: "1 live reader(s): r1", readers: ["r1"] },
        freeze: { passed: true, detail: "1 reader(s) acknowledged", version: 7, acknowledgedBy: 1, waitedMs: 2_400 },
        unfreeze: { passed: true, detail: "writes frozen for 2,500 ms", frozenMs: 2_500 },
      },
    },
  ],
  // New in issue 19: these are the outputs as its first version records them.
  offboard: [
    {
      parameters: {
        tenantId: "acme",
        reason: "contract ended",
        graceDays: 7,
        purgeCapacityShare: 0.25,
        prior: { status: "active", suspendedReason: null },
      },
      outputs: {
        suspend: {
          placements: [
            {
              role: "primary",
              storageInstanceId: "pool-a",
              tableName: "tsc-pool-a",
              region: "us-east-1",
              mode: "pool",
              entities: ["customers", "invoices", "events"],
              keyScheme: {
                partitionKey: "pk",
                sortKey: "sk",
                template: "{tenantId}#{entity}",
                tenantAttribute: "tenantId",
                tenantIndex: null,
                changeStamp: "updatedAt",
              },
              writeUnitsPerSec: 1_000,
            },
          ],
          suspendedAt: "2026-12-01T13:30:00.000Z",
        },
        export: {
          location: "offboarding/cmwv0000000000000000000000/",
          manifestSha256: "a".repeat(64),
          items: 1_200,
          bytes: 48_000,
          contentHash: "b".repeat(64),
          exportedAt: "2026-12-01T13:31:00.000Z",
          perPlacement: { "tsc-pool-a": 1_200 },
        },
        grace: { graceEndedAt: "2026-12-08T13:31:00.000Z" },
        purge: {
          purgedAt: "2026-12-08T13:32:00.000Z",
          deleted: [{ storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1", how: "deleted by key", items: 1_200 }],
        },
        verify: {
          verifiedAt: "2026-12-08T13:33:00.000Z",
          tenantItemsLeft: [{ tableName: "tsc-pool-a", items: 0 }],
          coTenants: [{ tableName: "tsc-pool-a", compared: 5_000, unchanged: 4_990, rewritten: 10 }],
        },
        retire: { retiredAt: "2026-12-08T13:34:00.000Z" },
        certificate: { sha256: "c".repeat(64), issuedAt: "2026-12-08T13:35:00.000Z" },
      },
    },
  ],
  cleanup_orphan: [
    {
      parameters: { target: "tenantCopy", tenantId: "acme", tableName: "tsc-pool-a", region: "us-east-1" },
      outputs: {
        validate: {
          tenant: { tenantId: "acme", keyPrefix: "acme" },
          table: { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1" },
          items: 1_200,
          ownTable: false,
        },
      },
    },
    {
      parameters: { target: "table", storageInstanceId: "silo-acme", tableName: "tsc-silo-acme", region: "us-east-1" },
      outputs: {
        validate: {
          tenant: null,
          table: { storageInstanceId: "silo-acme", tableName: "tsc-silo-acme", region: "us-east-1" },
          items: 0,
          ownTable: false,
        },
      },
    },
  ],
  backup: [
    {
      parameters: { storageInstanceId: "pool-a", strategy: "per_tenant", scheduled: false, retentionDays: 7, segments: 4 },
      outputs: {
        validate: {
          backupId: "cmwv0000000000000000000000",
          location: "backups/cmwv0000000000000000000000/",
          tableName: "tsc-pool-a",
          region: "us-east-1",
          residents: [{ tenantId: "acme", keyPrefix: "acme", entities: ["orders", "customers"] }],
        },
        export: { items: 200_000, files: 11, sizeBytes: 31_000_000, tenants: 10, otherItems: 0, ms: 9_100, itemsPerSec: 21_978 },
      },
    },
  ],
  restore: [
    {
      parameters: { tenantId: "acme", source: { kind: "backup", backupId: "cmwv0000000000000000000000" }, mode: "in_place" },
      outputs: {
        validate: { plan },
        load: { items: 20_000, contentHash: "ab12", ms: 700 },
        compare: {
          add: 1,
          change: 2,
          remove: 0,
          unchanged: 19_997,
          current: 19_999,
          samples: { add: ["k1"], change: ["k2", "k3"], remove: [] },
        },
        freeze: { frozenSince: "2026-12-01T13:30:00.000Z" },
        snapshot: {
          location: "restores/cmwv0000000000000000000001/",
          files: [{ name: "before-acme-0.jsonl.gz", items: 19_999, bytes: 812_000, sha256: "a".repeat(64), tenantId: "acme" }],
          items: 19_999,
          contentHash: "cd34",
        },
        replace: { added: 1, changed: 2, removed: 0 },
        verify: { items: 20_000 },
        unfreeze: { frozenMs: 1_900 },
      },
    },
    {
      parameters: {
        tenantId: "acme",
        source: { kind: "pointInTime", at: "2026-12-01T12:00:00.000Z" },
        mode: "side_table",
      },
      outputs: {
        validate: {
          plan: {
            ...plan,
            source: {
              kind: "pointInTime",
              tableName: "tsc-pool-a",
              scratchTable: "tsc-pool-a-pitr-0000000001",
              region: "us-east-1",
              entities: ["orders"],
            },
            sideTable: "tsc-restore-acme-00000001",
          },
        },
        load: { items: 5, contentHash: "ef56", ms: 30 },
        compare: { add: 0, change: 0, remove: 0, unchanged: 5, current: 5, samples: { add: [], change: [], remove: [] } },
        sideTable: { sideTable: "tsc-restore-acme-00000001", region: "us-east-1", items: 5 },
      },
    },
    {
      parameters: { tenantId: "acme", source: { kind: "backup", backupId: "cmwv0000000000000000000000" }, mode: "in_place" },
      outputs: { validate: { plan }, freeze: { frozenSince: null }, unfreeze: { frozenMs: null } },
    },
  ],
};

describe("outputs recorded by earlier versions of the steps", () => {
  for (const [kind, operations] of Object.entries(recorded)) {
    it(`read back through ${kind}'s step schemas`, () => {
      const definition = operationDefinitions[kind]!;
      for (const { parameters, outputs } of operations) {
        const steps = stepsOf(definition, definition.parameters.parse(parameters));
        for (const [name, output] of Object.entries(outputs)) {
          const schema = steps.find((s) => s.name === name)?.output;
          expect(schema, `${kind} step ${name} declares an output`).toBeDefined();
          const parsed = schema!.safeParse(output);
          expect(parsed.error?.issues ?? [], `${kind} step ${name}`).toEqual([]);
        }
      }
    });
  }

  it("cover every kind", () => {
    expect(Object.keys(recorded).sort()).toEqual(
      Object.keys(operationDefinitions)
        .filter((kind) => !["change_plan", "update_plan"].includes(kind))
        .sort(),
    );
  });
});
