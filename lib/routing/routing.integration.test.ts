import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { provisionCatalogTables } from "../storage/provision-catalog-tables";
import { tableExists } from "../storage/tenant-tables";
import { publishCatalogRouting } from "./publish";
import {
  ensureRoutingTable,
  getRoutingRecord,
  putRoutingRecord,
  scanRoutingRecords,
  setWriteFrozen,
  StaleRoutingVersionError,
} from "./routing-table";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const table = "routing-it";
let server: Server;
let dynamo: DynamoDBClient;
let catalog: TestDatabase;
const fleet = generateFleet();

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  catalog = await testDatabases[0]!.start();
  await seedCatalog(catalog.db, fleet);
  await ensureRoutingTable(dynamo, table);
});

afterAll(async () => {
  await catalog?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

describe("tables and routing made from the catalog", () => {
  it("creates a table for every storage instance, once", async () => {
    const first = await provisionCatalogTables(catalog.db, () => dynamo);
    expect(first.created).toHaveLength(fleet.instances.length);
    for (const instance of fleet.instances) expect(await tableExists(dynamo, instance.tableName)).toBe(true);
    expect(await provisionCatalogTables(catalog.db, () => dynamo)).toEqual({ created: [], existed: fleet.instances.length });
  });

  it("publishes one versioned record per placed tenant, and only changes afterwards", async () => {
    expect(await publishCatalogRouting(catalog.db, dynamo, table)).toEqual({ published: fleet.tenants.length, unchanged: 0 });
    const bridge = fleet.tenants.find((t) => t.deploymentModel === "bridge")!;
    const record = await getRoutingRecord(dynamo, bridge.id, table);
    expect(record).toMatchObject({ version: 1, keyPrefix: `${bridge.id}#`, bridge: { entity: "orders" }, writeFrozen: false });

    expect(await publishCatalogRouting(catalog.db, dynamo, table)).toEqual({ published: 0, unchanged: fleet.tenants.length });

    await setWriteFrozen(dynamo, bridge.id, true, table);
    await catalog.db.tenant.update({ where: { id: bridge.id }, data: { planId: "enterprise" } });
    expect(await publishCatalogRouting(catalog.db, dynamo, table)).toEqual({ published: 1, unchanged: fleet.tenants.length - 1 });
    // The new plan's limits are published and the operation's write freeze is kept.
    expect(await getRoutingRecord(dynamo, bridge.id, table)).toMatchObject({ version: 3, ratePerSec: 300, writeFrozen: true });
    expect(await scanRoutingRecords(dynamo, table)).toHaveLength(fleet.tenants.length);
  });

  it("refuses a write based on a stale version", async () => {
    const tenant = fleet.tenants[0]!;
    const current = (await getRoutingRecord(dynamo, tenant.id, table))!;
    const { version: _v, updatedAt: _u, ...content } = current;
    await putRoutingRecord(dynamo, { ...content, ratePerSec: 1 }, current.version, table);
    await expect(putRoutingRecord(dynamo, { ...content, ratePerSec: 2 }, current.version, table)).rejects.toBeInstanceOf(
      StaleRoutingVersionError,
    );
    expect((await getRoutingRecord(dynamo, tenant.id, table))!.ratePerSec).toBe(1);
  });
});
