// The backup format and the checks a restore makes before it writes anything,
// on a real directory store (no mocks: files, gzip and hashes are the subject).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Item } from "../storage/tenant-partitions";
import { diffItems } from "./diff";
import { FileSetWriter } from "./files";
import { defaultKeyScheme } from "../storage/key-scheme";
import { backupFormat, decodeItemLine, encodeItemLine, hashesOf, tenantContentHash, type Manifest } from "./format";
import { readManifest, readTenantFromBackup } from "./read";
import { DirectoryBackupStore, parseBackupStoreSetting } from "../storage/backup-store";

const item = (tenant: string, entity: string, id: number, payload = "p"): Item => ({
  pk: { S: `${tenant}#${entity}` },
  sk: { S: String(id).padStart(8, "0") },
  tenantId: { S: tenant },
  updatedAt: { N: String(1_700_000_000_000 + id) },
  payload: { S: payload },
});

describe("backup lines", () => {
  it("round-trips items in DynamoDB JSON, binary values as base64", () => {
    const original: Item = {
      ...item("acme", "orders", 1),
      blob: { B: new Uint8Array([0, 1, 254, 255]) },
      nested: { M: { list: { L: [{ N: "1" }, { B: new Uint8Array([7]) }] } } },
    };
    const line = encodeItemLine(original);
    expect(JSON.parse(line).Item.blob).toEqual({ B: "AAH+/w==" });
    expect(hashesOf(defaultKeyScheme, [decodeItemLine(line)])).toEqual(hashesOf(defaultKeyScheme, [original]));
    expect(() => decodeItemLine('{"NotItem":{}}')).toThrow(/without an Item/);
  });

  it("hashes a tenant's items the same whatever order they were read in", () => {
    const items = [item("acme", "orders", 1), item("acme", "orders", 2), item("acme", "events", 3)];
    expect(tenantContentHash(hashesOf(defaultKeyScheme, items))).toBe(tenantContentHash(hashesOf(defaultKeyScheme, [...items].reverse())));
    expect(tenantContentHash(hashesOf(defaultKeyScheme, items))).not.toBe(
      tenantContentHash(hashesOf(defaultKeyScheme, [item("acme", "orders", 1, "changed"), ...items.slice(1)])),
    );
  });
});

describe("what a restore would change", () => {
  it("lists keys to add, change and remove", () => {
    const now = hashesOf(defaultKeyScheme, [item("a", "orders", 1), item("a", "orders", 2, "new"), item("a", "orders", 9)]);
    const wanted = hashesOf(defaultKeyScheme, [item("a", "orders", 1), item("a", "orders", 2), item("a", "orders", 3)]);
    expect(diffItems(now, wanted)).toEqual({
      add: ["a#orders\u001f00000003"],
      change: ["a#orders\u001f00000002"],
      remove: ["a#orders\u001f00000009"],
      unchanged: 1,
    });
  });
});

describe("reading a tenant out of a backup", () => {
  let root: string;
  let store: DirectoryBackupStore;
  const location = "backups/b1/";
  const acme = [item("acme", "orders", 1), item("acme", "events", 2)];
  const globex = [item("globex", "orders", 1)];

  async function writeBackup(strategy: Manifest["strategy"]) {
    const files = [];
    if (strategy === "per_tenant") {
      for (const [tenant, items] of [
        ["acme", acme],
        ["globex", globex],
      ] as const) {
        const writer = new FileSetWriter(store, location, `tenants/${tenant}`, tenant);
        for (const i of items) await writer.add(i);
        files.push(...(await writer.close()));
      }
    } else {
      const writer = new FileSetWriter(store, location, "segments/segment-000", null);
      for (const i of [...globex, ...acme]) await writer.add(i);
      files.push(...(await writer.close()));
    }
    const manifest: Manifest = {
      format: backupFormat,
      keyScheme: defaultKeyScheme,
      backupId: "b1",
      storageInstanceId: "pool-1",
      tableName: "t",
      region: "us-east-1",
      strategy,
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      items: 3,
      files,
      tenants: [
        {
          tenantId: "acme",
          keyPrefix: "acme#",
          entities: ["orders", "events"],
          items: 2,
          bytes: 1,
          contentHash: tenantContentHash(hashesOf(defaultKeyScheme, acme)),
        },
        {
          tenantId: "globex",
          keyPrefix: "globex#",
          entities: ["orders"],
          items: 1,
          bytes: 1,
          contentHash: tenantContentHash(hashesOf(defaultKeyScheme, globex)),
        },
      ],
      otherItems: 0,
    };
    await store.put(`${location}manifest.json`, Buffer.from(JSON.stringify(manifest)));
    return manifest;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "tsc-backup-unit-"));
    store = new DirectoryBackupStore(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each(["per_tenant", "whole_table"] as const)(
    "separated %s: reads only the tenant's items, checked against the manifest",
    async (strategy) => {
      await store.deletePrefix(location);
      const manifest = await writeBackup(strategy);
      const read = await readTenantFromBackup(store, location, await readManifest(store, location), "acme");
      expect(hashesOf(defaultKeyScheme, read.items)).toEqual(hashesOf(defaultKeyScheme, acme));
      expect(read.filesRead).toBe(strategy === "per_tenant" ? 1 : 1);
      expect(read.itemsRead).toBe(strategy === "per_tenant" ? 2 : 3);
      await expect(readTenantFromBackup(store, location, manifest, "initech")).rejects.toThrow(
        /does not hold tenant initech's data; it holds 2 tenant\(s\): acme, globex/,
      );
    },
  );

  it("refuses a changed, truncated or missing file, and a manifest whose counts or hashes do not match", async () => {
    await store.deletePrefix(location);
    const manifest = await writeBackup("per_tenant");
    const file = path.join(root, location, manifest.files.find((f) => f.tenantId === "acme")!.name);
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original.subarray(0, 20), Buffer.from([original[20]! ^ 1]), original.subarray(21)]));
    await expect(readTenantFromBackup(store, location, manifest, "acme")).rejects.toThrow(
      /does not match its manifest.*changed or truncated/,
    );
    await writeFile(file, original.subarray(0, original.length - 5));
    await expect(readTenantFromBackup(store, location, manifest, "acme")).rejects.toThrow(/does not match its manifest/);
    await rm(file);
    await expect(readTenantFromBackup(store, location, manifest, "acme")).rejects.toThrow(/is missing from directory/);
    await writeFile(file, original);
    const wrongHash = {
      ...manifest,
      tenants: manifest.tenants.map((t) => (t.tenantId === "acme" ? { ...t, contentHash: "0".repeat(64) } : t)),
    };
    await expect(readTenantFromBackup(store, location, wrongHash, "acme")).rejects.toThrow(/content hash/);
    const wrongCount = { ...manifest, tenants: manifest.tenants.map((t) => (t.tenantId === "acme" ? { ...t, items: 3 } : t)) };
    await expect(readTenantFromBackup(store, location, wrongCount, "acme")).rejects.toThrow(/holds 2 items of acme; its manifest says 3/);
    await store.put(`${location}manifest.json`, Buffer.from('{"format":"tsc-backup/1"'));
    await expect(readManifest(store, location)).rejects.toThrow(/not valid JSON/);
  });

  it("keeps object keys inside the store", async () => {
    await expect(store.put("../escape", Buffer.from("x"))).rejects.toThrow(/not a backup object key/);
    await expect(store.get("backups/../../etc/passwd")).rejects.toThrow(/not a backup object key/);
  });
});

describe("BACKUP_STORE", () => {
  it("names a directory or an S3 bucket and prefix", () => {
    expect(parseBackupStoreSetting("s3://tsc-backups/prod")).toEqual({ kind: "s3", bucket: "tsc-backups", prefix: "prod/" });
    expect(parseBackupStoreSetting("s3://tsc-backups")).toEqual({ kind: "s3", bucket: "tsc-backups", prefix: "" });
    expect(parseBackupStoreSetting("/var/backups")).toEqual({ kind: "directory", root: "/var/backups" });
    expect(() => parseBackupStoreSetting("s3://Bad_Bucket/x")).toThrow(/valid bucket name/);
    expect(() => parseBackupStoreSetting("")).toThrow(/BACKUP_STORE is not set/);
  });
});
