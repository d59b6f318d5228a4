// The write journal as the library keeps it (lib/routing/journal-entry.ts), against dynalite over HTTP: a moving
// tenant's writes are journaled before they are sent, nothing is journaled otherwise, a write whose journal cannot be
// written is not sent, and a process without a journal table stops journaling and says so in its reader state.
import type { Server } from "node:http";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlane, type DataPlane } from "./data-plane";
import { TenantJournalUnavailableError } from "./errors";
import { journalTableFor } from "../routing/journal-entry";
import { deleteJournal, journalTrust, readJournal } from "../routing/journal";
import { readerStates } from "../routing/readers";
import { ensureReadersTable } from "../routing/readers";
import { ensureRoutingTable, putRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { journaledKeys } from "../routing/tenant-moves";
import { defaultKeyScheme } from "../storage/key-scheme";
import { ensureTenantTable } from "../storage/tenant-tables";
import type { RoutingContent } from "../routing/record";
import { TenantScopeViolation } from "../storage/tenant-scope";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const region = "us-east-1";
const routingTable = "journal-it-routing";
const readersTable = "journal-it-readers";
const journalTable = journalTableFor(readersTable);
const tableName = "journal-it-pool";
let server: Server;
let dynamo: DynamoDBClient;
/** TableName of every request the data plane sent, in order. */
let sent: string[] = [];
/** A table whose requests fail (a journal table that refuses writes). */
let failing: string | null = null;
const planes: DataPlane[] = [];

function content(tenantId: string, overrides: Partial<RoutingContent> = {}): RoutingContent {
  return {
    tenantId,
    status: "restoring",
    deploymentModel: "pool",
    keyPrefix: `${tenantId}#`,
    keyScheme: defaultKeyScheme,
    placement: { storageInstanceId: "pool", tableName, region },
    bridge: null,
    ratePerSec: 1_000,
    burst: 1_000,
    quotaPerDay: 1_000_000,
    writeFrozen: false,
    frozenSince: null,
    suspendedReason: null,
    journal: `op-${tenantId}`,
    ...overrides,
  };
}

function dataPlane(options: { journalTable?: string | null; readerId: string }): DataPlane {
  const plane = createDataPlane({ routingTable, readersTable, region, clientFor: () => dynamo, ...options });
  planes.push(plane);
  return plane;
}

const itemAt = async (pk: string, sk: string) =>
  (await dynamo.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }))).Item;
const keysOf = (keys: Record<string, { S?: string }>[]) => keys.map((k) => `${k.pk!.S}/${k.sk!.S}`).sort();

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const table =
        (args.input as { TableName?: string }).TableName ?? Object.keys((args.input as { RequestItems?: object }).RequestItems ?? {})[0];
      if (table) sent.push(table);
      if (table !== undefined && table === failing) throw new Error(`${table} refused the request`);
      return next(args);
    },
    { step: "initialize", name: "recordTables" },
  );
  await ensureRoutingTable(dynamo, routingTable);
  await ensureReadersTable(dynamo, readersTable);
  await ensureTenantTable(dynamo, tableName, { capacityMode: "on_demand", readUnitsPerSec: 1_000, writeUnitsPerSec: 1_000 });
  for (const tenantId of ["acme", "globex", "initech", "umbrella"]) await putRoutingRecord(dynamo, content(tenantId), 0, routingTable);
});

afterEach(() => {
  sent = [];
  failing = null;
});

afterAll(async () => {
  for (const plane of planes) await plane.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the write journal", () => {
  it("journals every key a moving tenant's write touches before the write is sent", async () => {
    const acme = dataPlane({ readerId: "reader-a" }).forTenant("acme");
    sent = [];
    await acme.put({ pk: "acme#orders", sk: "1", total: 1 });
    await acme.update({ pk: "acme#orders", sk: "2" }, { set: { total: 2 } });
    await acme.batchWrite({ put: [{ pk: "acme#orders", sk: "3" }], delete: [{ pk: "acme#orders", sk: "1" }] });
    await acme.delete({ pk: "acme#orders", sk: "2" });
    // Each write: its journal item first, then the write.
    expect(sent.filter((t) => t === journalTable || t === tableName)).toEqual([
      journalTable,
      tableName,
      journalTable,
      tableName,
      journalTable,
      tableName,
      journalTable,
      tableName,
    ]);
    const journal = await readJournal(dynamo, "op-acme", 0, { tableName: journalTable });
    expect(journal.entries).toBe(4);
    expect(keysOf(journal.written)).toEqual(["acme#orders/1", "acme#orders/2", "acme#orders/3"]);
    expect(keysOf(journal.deleted)).toEqual(["acme#orders/1", "acme#orders/2"]);
    // From a later stamp, only what was written then.
    const last = await acme.put({ pk: "acme#orders", sk: "4" });
    expect(keysOf((await readJournal(dynamo, "op-acme", last.changeStamp, { tableName: journalTable })).written)).toContain(
      "acme#orders/4",
    );
  });

  it("journals nothing for a tenant that is not moving, or moving without a journal", async () => {
    await updateRoutingRecord(dynamo, "globex", ({ version: _v, updatedAt: _u, ...c }) => ({ ...c, status: "active" }), routingTable);
    await updateRoutingRecord(dynamo, "initech", ({ version: _v, updatedAt: _u, ...c }) => ({ ...c, journal: null }), routingTable);
    const plane = dataPlane({ readerId: "reader-b" });
    await plane.forTenant("globex").put({ pk: "globex#orders", sk: "1" });
    await plane.forTenant("initech").put({ pk: "initech#orders", sk: "1" });
    expect(sent).not.toContain(journalTable);
    expect((await readJournal(dynamo, "op-globex", 0, { tableName: journalTable })).entries).toBe(0);
  });

  it("does not send a write whose journal item could not be written", async () => {
    const acme = dataPlane({ readerId: "reader-c" }).forTenant("acme");
    failing = journalTable;
    const refused = await acme.put({ pk: "acme#orders", sk: "not-sent" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TenantJournalUnavailableError);
    expect(refused).toMatchObject({ retryable: true, tenantId: "acme" });
    failing = null;
    expect(await itemAt("acme#orders", "not-sent")).toBeUndefined();
  });

  it("leaves a key the guard refused out of what the console reads", async () => {
    const umbrella = dataPlane({ readerId: "reader-d" }).forTenant("umbrella");
    await umbrella.put({ pk: "umbrella#orders", sk: "mine" });
    await expect(umbrella.put({ pk: "acme#orders", sk: "not-mine" })).rejects.toBeInstanceOf(TenantScopeViolation);
    const journal = await readJournal(dynamo, "op-umbrella", 0, { tableName: journalTable });
    expect(keysOf(journal.written)).toEqual(["acme#orders/not-mine", "umbrella#orders/mine"]);
    const deps = { dynamoDb: () => dynamo, routingRegion: region };
    const keys = await journaledKeys(
      deps,
      "op-umbrella",
      { tenantId: "umbrella", keyScheme: defaultKeyScheme },
      0,
      undefined,
      journalTable,
    );
    expect(keys.all).toEqual(["umbrella#orders\u001fmine"]);
  });

  it("without a journal table: the write is sent unjournaled and the process says it keeps no journal, so the console does not rely on one", async () => {
    const errors: unknown[] = [];
    const plane = createDataPlane({
      routingTable,
      readersTable,
      region,
      clientFor: () => dynamo,
      journalTable: "no-such-table",
      readerId: "reader-e",
      onError: (e) => errors.push(e),
    });
    planes.push(plane);
    const since = Date.now();
    await plane.forTenant("acme").put({ pk: "acme#orders", sk: "unjournaled" });
    expect(await itemAt("acme#orders", "unjournaled")).toBeDefined();
    expect(String(errors[0])).toMatch(/the journal table no-such-table does not exist: this process keeps no write journal/);
    await plane.syncRouting();
    const states = await readerStates(dynamo, readersTable);
    expect(states.find((s) => s.readerId === "reader-e")).toMatchObject({ journal: false, journalTable: null });
    expect(states.find((s) => s.readerId === "reader-a")).toMatchObject({ journal: true, journalTable });
    // The console's clean-up of a move has nothing to delete there, and says so rather than failing.
    expect(await deleteJournal(dynamo, "op-acme", "no-such-table")).toBe(0);
    expect(await journalTrust(dynamo, since, readersTable)).toEqual({
      trusted: false,
      why: "data-plane reader(s) reader-e keep no journal (an older library version, or no journal table)",
    });
  });
});
