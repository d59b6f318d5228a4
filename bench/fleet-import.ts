// Importing an existing fleet: 10,000 tenants on 100 pool tables (half keyed
// the console's default way, half TENANT#<id> in PK/SK) into an empty catalog,
// DynamoDB (dynalite) in its own process, on PGlite and on PostgreSQL 15. Times
// the dry run (parse, validate, 100 DescribeTable calls, the catalog diff) and
// the import (the dry run again, the catalog rows in one transaction, 10,000
// routing records published), then checks a second import changes nothing.
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { testDatabases } from "../lib/db/__tests__/databases";
import type { ImportAccess } from "../lib/fleet-import/access";
import { applyImport, dryRunImport } from "../lib/fleet-import/requests";
import { auditEntry } from "../lib/audit/record";
import { ensureRoutingTable, scanRoutingRecords } from "../lib/routing/routing-table";
import { demoPlans, demoUsers } from "../prisma/demo-fleet";
import { seedCatalog } from "../prisma/seed-catalog";
import { report, timed } from "./stats";
import { startDynamoDbProcess } from "./support/dynamodb";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const tenantCount = Number(process.env.BENCH_IMPORT_TENANTS ?? 10_000);
const instanceCount = Number(process.env.BENCH_IMPORT_INSTANCES ?? 100);
const tiers = ["basic", "standard", "premium"] as const;

function fleetFile(run: string): string {
  const instances = Array.from({ length: instanceCount }, (_, i) => {
    const custom = i % 2 === 1;
    return {
      id: `pool-${String(i).padStart(3, "0")}`,
      tableName: `bench-import-${run}-${i}`,
      region: "us-east-1",
      mode: "pool",
      ...(custom ? { keyScheme: { partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}" } } : {}),
    };
  });
  const tenants = Array.from({ length: tenantCount }, (_, i) => ({
    id: `tenant-${String(i).padStart(5, "0")}`,
    name: `Tenant ${i} Ltd.`,
    tier: tiers[i % tiers.length],
    deploymentModel: "pool",
    planId: tiers[i % tiers.length],
    storageInstanceId: instances[i % instanceCount]!.id,
    contactEmail: `ops+${i}@tenant.test`,
  }));
  return JSON.stringify({ instances, tenants }, null, 1);
}

const dynamo = await startDynamoDbProcess();
try {
  for (const [index, target] of testDatabases.entries()) {
    let database;
    try {
      database = await target.start();
    } catch (error) {
      console.error(`fleet-import: ${target.name} not measured: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const suffix = index === 0 ? "" : `-${target.name}`;
    try {
      const { db } = database;
      await seedCatalog(db, { plans: demoPlans, instances: [], tenants: [], users: demoUsers });
      const routingTable = `bench-import-routing-${target.name}`;
      await ensureRoutingTable(dynamo.dynamo, routingTable);
      const text = fleetFile(target.name);
      for (const instance of (JSON.parse(text) as { instances: { tableName: string; keyScheme?: unknown }[] }).instances) {
        const [pk, sk] = instance.keyScheme ? ["PK", "SK"] : ["pk", "sk"];
        await dynamo.dynamo.send(
          new CreateTableCommand({
            TableName: instance.tableName,
            AttributeDefinitions: [
              { AttributeName: pk, AttributeType: "S" },
              { AttributeName: sk, AttributeType: "S" },
            ],
            KeySchema: [
              { AttributeName: pk, KeyType: "HASH" },
              { AttributeName: sk, KeyType: "RANGE" },
            ],
            BillingMode: "PROVISIONED",
            ProvisionedThroughput: { ReadCapacityUnits: 150, WriteCapacityUnits: 75 },
          }),
        );
      }
      const access: ImportAccess = { db, dynamoDb: () => dynamo.dynamo, routingTable, routingRegion: "us-east-1" };
      const admin = await db.user.findFirstOrThrow({ where: { role: "admin" } });
      const audit = (facts: Parameters<typeof auditEntry>[1]) => auditEntry({ ...admin, role: "admin" }, facts);

      const dryRun = await timed(() => dryRunImport(access, text));
      if (!dryRun.result.ok || dryRun.result.plan.tenants.create !== tenantCount)
        throw new Error(`the dry run does not plan ${tenantCount} new tenants: ${JSON.stringify(dryRun.result).slice(0, 500)}`);
      report(`fleet-import-dry-run-${tenantCount}-tenants${suffix}`, dryRun.ms / 1000, "s");

      const applied = await timed(() => applyImport(access, text, audit, dryRun.result.ok ? dryRun.result.plan.fingerprint : null));
      report(`fleet-import-${tenantCount}-tenants${suffix}`, applied.ms / 1000, "s");
      const [tenants, records] = await Promise.all([
        db.tenant.count({ where: { status: "active" } }),
        scanRoutingRecords(dynamo.dynamo, routingTable),
      ]);
      if (tenants !== tenantCount || records.length !== tenantCount)
        throw new Error(`after the import: ${tenants} active tenants, ${records.length} routing records (expected ${tenantCount})`);

      const again = await timed(() => applyImport(access, text, audit, null));
      if (again.result.tenantsCreated !== 0 || again.result.routing.published !== 0)
        throw new Error(`the second import changed something: ${JSON.stringify({ ...again.result, plan: undefined })}`);
      report(`fleet-import-again-${tenantCount}-tenants${suffix}`, again.ms / 1000, "s");
    } finally {
      await database.stop();
    }
  }
} finally {
  await dynamo.stop();
}
