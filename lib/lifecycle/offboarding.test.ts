// The offboarding's pure and in-memory parts: the export and its manifest
// (written, proved, refused when altered; streamed for a download), the purge's
// batching and retries (BatchWriteItem of 25, UnprocessedItems and throttling
// sent again, a foreign key refused before anything is sent), the co-tenant
// rule, and the deletion certificate.
import { gunzipSync } from "node:zlib";
import { BatchWriteItemCommand, QueryCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import type { BackupStore } from "../storage/backup-store";
import { BackupObjectMissing } from "../storage/backup-store";
import { CorruptBackup } from "../storage/item-files";
import { defaultKeyScheme } from "../storage/key-scheme";
import type { DataClient } from "../storage/tenant-access";
import type { Item } from "../storage/tenant-partitions";
import { buildCertificate, certificateHash, type CertificateFacts } from "./offboarding-certificate";
import { checkExport, exportLocation, exportTenant, openOffboardingExport, readExportManifest, type Placement } from "./offboarding-export";
import { compareCoTenants, deleteTenantKeys, snapshotOf, type PoolScan } from "./offboarding-purge";

class MemoryStore implements BackupStore {
  readonly description = "memory";
  readonly objects = new Map<string, Uint8Array>();
  async put(key: string, body: Uint8Array) {
    this.objects.set(key, body);
  }
  async get(key: string) {
    const body = this.objects.get(key);
    if (!body) throw new BackupObjectMissing(key, this.description);
    return body;
  }
  async deletePrefix(prefix: string) {
    for (const key of [...this.objects.keys()]) if (key.startsWith(prefix)) this.objects.delete(key);
    return 1;
  }
}

const item = (tenantId: string, entity: string, n: number): Item => ({
  pk: { S: `${tenantId}#${entity}` },
  sk: { S: String(n).padStart(4, "0") },
  tenantId: { S: tenantId },
  updatedAt: { N: "1000" },
  payload: { S: `${tenantId} ${entity} ${n}` },
});

/** A client answering Queries from `items` (one page per partition) and recording BatchWriteItems. */
function fakeTable(items: Item[]): DataClient & { batches: WriteRequest[][] } {
  const batches: WriteRequest[][] = [];
  return {
    access: "fake",
    batches,
    send: (async (command: unknown) => {
      if (command instanceof QueryCommand) {
        const pk = command.input.ExpressionAttributeValues?.[":pk"]?.S;
        return { Items: items.filter((i) => i.pk?.S === pk), Count: 0 };
      }
      if (command instanceof BatchWriteItemCommand) {
        batches.push(Object.values(command.input.RequestItems!)[0]!);
        return {};
      }
      throw new Error(`unexpected ${String(command)}`);
    }) as DataClient["send"],
  };
}

const placement = (tableName: string, storageInstanceId: string, role: "primary" | "bridge" = "primary"): Placement => ({
  role,
  storageInstanceId,
  tableName,
  region: "us-east-1",
  mode: "pool",
  entities: ["orders", "customers", "invoices", "events"],
  keyScheme: defaultKeyScheme,
  writeUnitsPerSec: 1000,
});

async function exported(store: MemoryStore) {
  const pool = [item("acme", "orders", 1), item("acme", "customers", 2), item("acme", "events", 3)];
  const silo = [item("acme", "orders", 4)];
  const tables: Record<string, DataClient> = { "tsc-pool-a": fakeTable(pool), "tsc-silo-acme": fakeTable(silo) };
  return exportTenant({
    store,
    operationId: "op1",
    tenantId: "acme",
    placements: [placement("tsc-pool-a", "pool-a"), placement("tsc-silo-acme", "silo-acme", "bridge")],
    dataOf: (p) => ({ table: (tableName) => ({ client: tables[tableName]!, tableName: p.tableName }) }),
    now: () => Date.UTC(2026, 11, 1),
  });
}

describe("the final export", () => {
  it("writes each placement's items and a manifest that counts them per entity and proves them", async () => {
    const store = new MemoryStore();
    const { manifest, manifestSha256 } = await exported(store);
    expect(manifest).toMatchObject({
      tenantId: "acme",
      items: 4,
      exportedAt: "2026-12-01T00:00:00.000Z",
      placements: [
        { tableName: "tsc-pool-a", items: 3, entities: { orders: 1, customers: 1, events: 1 } },
        { tableName: "tsc-silo-acme", items: 1, entities: { orders: 1 } },
      ],
    });
    expect(manifest.files.map((f) => [f.name, f.storageInstanceId, f.items])).toEqual([
      ["items.pool-a.part-0000.jsonl.gz", "pool-a", 3],
      ["items.silo-acme.part-0000.jsonl.gz", "silo-acme", 1],
    ]);
    expect(await readExportManifest(store, "op1")).toEqual({ manifest, sha256: manifestSha256 });
    expect(await checkExport(store, manifest)).toEqual({ items: 4 });
    // DynamoDB JSON lines, as DynamoDB's own export writes them.
    const lines = gunzipSync(store.objects.get(`${exportLocation("op1")}items.pool-a.part-0000.jsonl.gz`)!)
      .toString()
      .trim()
      .split("\n");
    expect(JSON.parse(lines[0]!)).toEqual({ Item: item("acme", "orders", 1) });
  });

  it("refuses an export whose file was changed, or whose manifest says other counts", async () => {
    const store = new MemoryStore();
    const { manifest } = await exported(store);
    const name = `${exportLocation("op1")}${manifest.files[0]!.name}`;
    const original = store.objects.get(name)!;
    store.objects.set(name, original.subarray(0, original.length - 1));
    await expect(checkExport(store, manifest)).rejects.toBeInstanceOf(CorruptBackup);
    store.objects.set(name, original);
    await expect(
      checkExport(store, { ...manifest, placements: manifest.placements.map((p) => ({ ...p, items: p.items + 1 })) }),
    ).rejects.toThrow(/do not match its manifest/);
  });

  it("streams the items as one gzip (its parts concatenated) and the manifest, for the download", async () => {
    const store = new MemoryStore();
    const { manifest } = await exported(store);
    const download = await openOffboardingExport(store, "op1", "items");
    expect(download).toMatchObject({ fileName: "acme-items.jsonl.gz", contentType: "application/gzip", bytes: manifest.bytes });
    const body = Buffer.from(await new Response(download.stream).arrayBuffer());
    expect(gunzipSync(body).toString().trim().split("\n")).toHaveLength(4);
    const json = await new Response((await openOffboardingExport(store, "op1", "manifest")).stream).json();
    expect(json).toEqual(manifest);
  });
});

describe("the purge's deletes", () => {
  const tenant = { tenantId: "acme", keyScheme: defaultKeyScheme };
  const keys = Array.from({ length: 60 }, (_, n) => ({ pk: { S: "acme#orders" }, sk: { S: String(n) } }));

  it("sends BatchWriteItem requests of at most 25 deletes, sending again what comes back unprocessed or throttled", async () => {
    const sent: number[] = [];
    let calls = 0;
    const client: DataClient = {
      access: "fake",
      send: (async (command: BatchWriteItemCommand) => {
        calls++;
        const requests = command.input.RequestItems!.t!;
        if (calls === 2) throw Object.assign(new Error("slow down"), { name: "ProvisionedThroughputExceededException" });
        sent.push(requests.length);
        // The first answer leaves 5 unprocessed.
        return calls === 1 ? { UnprocessedItems: { t: requests.slice(0, 5) } } : {};
      }) as DataClient["send"],
    };
    const backoffs: number[] = [];
    await deleteTenantKeys({ client, tableName: "t" }, tenant, keys, { concurrency: 1, backoff: async (n) => void backoffs.push(n) });
    expect(sent.reduce((a, b) => a + b, 0) - 5).toBe(60); // every key deleted once, the 5 unprocessed twice
    expect(Math.max(...sent)).toBeLessThanOrEqual(25);
    expect(backoffs.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a key that is not the tenant's before sending anything", async () => {
    const table = fakeTable([]);
    await expect(
      deleteTenantKeys({ client: table, tableName: "t" }, tenant, [...keys, { pk: { S: "other#orders" }, sk: { S: "1" } }]),
    ).rejects.toThrow(/not one of its items/);
    expect(table.batches).toEqual([]);
  });

  it("gives up on a request still throttled after many tries (the step fails; a retry resumes the purge)", async () => {
    const client: DataClient = {
      access: "fake",
      send: (async () => {
        throw Object.assign(new Error("slow down"), { name: "ThrottlingException" });
      }) as DataClient["send"],
    };
    await expect(
      deleteTenantKeys({ client, tableName: "t" }, tenant, keys.slice(0, 3), { backoff: async () => undefined }),
    ).rejects.toThrow(/still unprocessed or throttled/);
  });
});

describe("co-tenants before and after the purge", () => {
  const scan = (entries: [string, string, number][]): PoolScan => ({
    others: new Map(entries.map(([key, hash, stamp]) => [key, { hash, stamp }])),
    tenantItems: 0,
  });

  it("passes what is unchanged or written again by its tenant since; names what changed without a write, or is gone", () => {
    const before = snapshotOf(
      "tsc-pool-a",
      5_000,
      scan([
        ["b#1", "h1", 1_000],
        ["b#2", "h2", 1_000],
        ["b#3", "h3", 1_000],
        ["b#4", "h4", 1_000],
        ["b#5", "h5", 6_000], // written while the snapshot was taken: left out
      ]),
    );
    expect(before.items.size).toBe(4);
    const after = scan([
      ["b#1", "h1", 1_000],
      ["b#2", "h2'", 7_000], // its tenant wrote it since
      ["b#3", "h3'", 1_000], // changed with no newer stamp
      ["b#5", "h5", 6_000],
    ]);
    expect(compareCoTenants(before, after)).toEqual({
      tableName: "tsc-pool-a",
      compared: 4,
      unchanged: 1,
      rewritten: 1,
      changed: ["b#3"],
      gone: ["b#4"],
      changedCount: 1,
      goneCount: 1,
    });
  });
});

describe("the deletion certificate", () => {
  const facts: CertificateFacts = {
    operationId: "op1",
    tenant: { id: "acme", name: "Acme", tier: "standard", deploymentModel: "bridge", keyPrefix: "acme#" },
    reason: "contract ended",
    requestedBy: { email: "operator@example.com", at: "2026-12-01T09:00:00.000Z" },
    approvedBy: { email: "admin@example.com", at: "2026-12-01T10:00:00.000Z" },
    graceDays: 7,
    times: {
      suspendedAt: "2026-12-01T10:00:05.000Z",
      exportedAt: "2026-12-01T10:01:00.000Z",
      graceEndedAt: "2026-12-08T10:01:00.000Z",
      purgedAt: "2026-12-08T10:05:00.000Z",
      verifiedAt: "2026-12-08T10:06:00.000Z",
      retiredAt: "2026-12-08T10:06:01.000Z",
    },
    export: {
      store: "memory",
      location: "offboarding/op1/",
      manifestSha256: "a".repeat(64),
      items: 4,
      bytes: 300,
      contentHash: "b".repeat(64),
    },
    deleted: [
      { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1", how: "deleted by key", items: 3 },
      { storageInstanceId: "silo-acme", tableName: "tsc-silo-acme", region: "us-east-1", how: "table dropped", items: 1 },
    ],
    verification: {
      tenantItemsLeft: [
        { tableName: "tsc-pool-a", items: 0 },
        { tableName: "tsc-silo-acme", items: 0 },
      ],
      coTenants: [{ tableName: "tsc-pool-a", compared: 100, unchanged: 98, rewritten: 2 }],
    },
    backups: [
      { backupId: "b2", storageInstanceId: "pool-a", takenAt: "2026-11-30T00:00:00.000Z", expiresAt: "2026-12-07T00:00:00.000Z", items: 3 },
      { backupId: "b1", storageInstanceId: "pool-a", takenAt: "2026-11-20T00:00:00.000Z", expiresAt: "2026-12-20T00:00:00.000Z", items: 3 },
    ],
    pointInTimeRecovery: true,
    issuedAt: "2026-12-08T10:06:02.000Z",
  };

  it("says what was deleted, where, by whom, and what still holds the data until when; its hash covers all of it", () => {
    const certificate = buildCertificate(facts);
    expect(certificate).toMatchObject({
      format: "tsc-deletion-certificate/1",
      items: 4,
      verification: { result: "passed" },
      requestedBy: { email: "operator@example.com" },
      approvedBy: { email: "admin@example.com" },
      stillHeld: {
        backups: [{ backupId: "b1" }, { backupId: "b2" }],
        // 35 days of point-in-time recovery from the purge: 2026-12-08 + 35 d.
        pointInTimeRecovery: { tables: ["tsc-pool-a", "tsc-silo-acme"], until: "2027-01-12T10:05:00.000Z" },
        backupsAndRecoveryUntil: "2027-01-12T10:05:00.000Z",
      },
    });
    expect(certificate.sha256).toBe(certificateHash(certificate));
    expect(certificateHash({ ...certificate, items: 5 })).not.toBe(certificate.sha256);
    // The hash does not depend on the order the facts were assembled in.
    const reordered = Object.fromEntries(Object.entries(certificate).reverse()) as typeof certificate;
    expect(certificateHash(reordered)).toBe(certificate.sha256);
  });

  it("has no end date while a backup never expires, the purge's time without backups or recovery, and is refused while items are left", () => {
    expect(
      buildCertificate({ ...facts, backups: [{ ...facts.backups[0]!, expiresAt: null }] }).stillHeld.backupsAndRecoveryUntil,
    ).toBeNull();
    expect(buildCertificate({ ...facts, backups: [], pointInTimeRecovery: false }).stillHeld).toMatchObject({
      pointInTimeRecovery: null,
      backupsAndRecoveryUntil: facts.times.purgedAt,
    });
    expect(() =>
      buildCertificate({ ...facts, verification: { ...facts.verification, tenantItemsLeft: [{ tableName: "tsc-pool-a", items: 2 }] } }),
    ).toThrow(/items of acme are left in tsc-pool-a/);
  });
});
