// Tenant data is reached only through scoped clients: no code in lib/ or app/
// builds a DynamoDB client of its own, and only the modules listed here send
// item-level requests (each through a checked client, or to the routing and
// readers tables, which hold no tenant items).
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const itemCommands =
  /\b(GetItem|PutItem|DeleteItem|UpdateItem|Query|Scan|BatchWriteItem|BatchGetItem|TransactWriteItems|TransactGetItems|ExecuteStatement|BatchExecuteStatement)Command\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === "generated" || name === "__tests__" ? [] : sources(file);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path.relative(root, file)] : [];
  });
}

const files = [...sources(path.join(root, "lib")), ...sources(path.join(root, "app"))];

/** Why each may send item requests. */
const itemRequestModules: Record<string, string> = {
  "lib/storage/tenant-partitions.ts": "sends through TenantTable.client, a DataClient",
  "lib/storage/seed-tenant.ts": "sends through TenantData (scoped)",
  "lib/storage/tenant-access.ts": "the checked clients themselves",
  "lib/storage/tenant-scope.ts": "names the requests it checks",
  "lib/backup/export.ts": "scans through the instance-level read-only client",
  "lib/lifecycle/offboarding-purge.ts":
    "deletes through the tenant's scoped client (TenantTable.client, every key checked first); scans a pool through the instance-level read-only client",
  "lib/routing/routing-table.ts": "routing records, no tenant items",
  "lib/routing/readers.ts": "data-plane readers' heartbeats, no tenant items",
  "lib/routing/reader-state.ts": "data-plane readers' heartbeats, no tenant items",
  "lib/routing/routing-item.ts": "routing records, no tenant items",
  "lib/routing/journal-entry.ts": "moving tenants' write journals (keys only) in the journal table, no tenant items",
  "lib/routing/journal.ts": "moving tenants' write journals (keys only) in the journal table, no tenant items",
  // The data-plane library runs in the SaaS's services, not the console; its one way to tenant items checks every request.
  "lib/data-plane/tenant-client.ts": "the library's tenant client: every request passes the guard before it is sent",
};

/** Why each may construct a DynamoDB client. */
const clientConstructors: Record<string, string> = {
  "lib/aws/clients.ts": "the console's and the worker's clients",
  "lib/data-plane/data-plane.ts": "the library's default client in a SaaS's service, used only through its guarded tenant client",
};

describe("tenant data by construction", () => {
  it("no module but lib/aws/clients.ts (and the data-plane library's entry) constructs a DynamoDB client", () => {
    const constructing = files.filter((file) => /new DynamoDBClient\s*\(/.test(readFileSync(path.join(root, file), "utf8")));
    expect(constructing.sort()).toEqual(Object.keys(clientConstructors).sort());
  });

  it("only the listed modules send item-level requests", () => {
    const sending = files.filter((file) => itemCommands.test(readFileSync(path.join(root, file), "utf8"))).sort();
    expect(sending).toEqual(Object.keys(itemRequestModules).sort());
  });

  it("the scanner sees the code it guards", () => {
    expect(files).toContain("lib/backup/restore-operation.ts");
    expect(files.length).toBeGreaterThan(100);
  });
});
