// What DescribeTable says of a declared storage instance's table, and whether
// it is the table the declaration describes: it exists in the declared region
// and is active, its key schema is the key scheme's partition and sort key
// (strings, as templates render them), a declared tenant index exists with the
// tenant attribute as its partition key; and its capacity, which the catalog
// records. Pure (plan.test.ts); describe.ts asks AWS.
import type { DescribeTableCommandOutput } from "@aws-sdk/client-dynamodb";
import type { KeyScheme } from "../storage/key-scheme";

/** An on-demand table without a maximum throughput is bounded by DynamoDB's default table quota (40,000 units per second). */
export const onDemandDefaultUnits = 40_000;

export type TableFacts =
  | { found: false; region: string }
  | { found: false; region: string; error: string }
  | {
      found: true;
      region: string;
      status: string;
      partitionKey: { name: string; type: string | null } | null;
      sortKey: { name: string; type: string | null } | null;
      capacityMode: "provisioned" | "on_demand";
      /** Null for an on-demand table with no maximum throughput set. */
      readUnitsPerSec: number | null;
      writeUnitsPerSec: number | null;
      /** Global secondary indexes by name: their partition key. */
      indexes: Record<string, string | null>;
    };

/** The facts of a DescribeTable answer (sent to the declared region's endpoint). */
export function tableFactsOf(region: string, table: NonNullable<DescribeTableCommandOutput["Table"]>): TableFacts {
  const typeOf = (name: string) => table.AttributeDefinitions?.find((d) => d.AttributeName === name)?.AttributeType ?? null;
  const key = (kind: "HASH" | "RANGE") => {
    const name = table.KeySchema?.find((k) => k.KeyType === kind)?.AttributeName;
    return name ? { name, type: typeOf(name) } : null;
  };
  const onDemand = table.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST";
  const positive = (units: number | undefined) => (units !== undefined && units > 0 ? units : null);
  return {
    found: true,
    region,
    status: table.TableStatus ?? "UNKNOWN",
    partitionKey: key("HASH"),
    sortKey: key("RANGE"),
    capacityMode: onDemand ? "on_demand" : "provisioned",
    readUnitsPerSec: onDemand
      ? positive(table.OnDemandThroughput?.MaxReadRequestUnits)
      : (table.ProvisionedThroughput?.ReadCapacityUnits ?? 0),
    writeUnitsPerSec: onDemand
      ? positive(table.OnDemandThroughput?.MaxWriteRequestUnits)
      : (table.ProvisionedThroughput?.WriteCapacityUnits ?? 0),
    indexes: Object.fromEntries(
      (table.GlobalSecondaryIndexes ?? []).map((index) => [
        index.IndexName ?? "",
        index.KeySchema?.find((k) => k.KeyType === "HASH")?.AttributeName ?? null,
      ]),
    ),
  };
}

export interface TableCheck {
  /** Why the table is not the one declared (empty when it is). */
  problems: string[];
  /** What the catalog records, when the table was found. */
  capacity: { capacityMode: "provisioned" | "on_demand"; readUnitsPerSec: number; writeUnitsPerSec: number } | null;
  notes: string[];
}

export function checkTable(declared: { tableName: string; region: string; keyScheme: KeyScheme }, facts: TableFacts): TableCheck {
  if (!facts.found)
    return {
      problems: [
        "error" in facts
          ? `DescribeTable of ${declared.tableName} in ${declared.region} failed: ${facts.error}`
          : `no table ${declared.tableName} in ${declared.region}`,
      ],
      capacity: null,
      notes: [],
    };
  const problems: string[] = [];
  const notes: string[] = [];
  const scheme = declared.keyScheme;
  if (facts.status !== "ACTIVE" && facts.status !== "UPDATING") problems.push(`the table is ${facts.status}, not ACTIVE`);
  const keyProblem = (role: string, declaredName: string | null, actual: { name: string; type: string | null } | null) => {
    if (declaredName === null) {
      if (actual) problems.push(`the table has a ${role} (${actual.name}) but the key scheme declares none`);
      return;
    }
    if (!actual) problems.push(`the key scheme's ${role} is ${declaredName}, but the table has no ${role}`);
    else if (actual.name !== declaredName) problems.push(`the table's ${role} is ${actual.name}, the key scheme says ${declaredName}`);
    else if (actual.type !== "S")
      problems.push(`the table's ${role} ${actual.name} is of type ${actual.type ?? "unknown"}; the key scheme needs strings (S)`);
  };
  keyProblem("partition key", scheme.partitionKey, facts.partitionKey);
  keyProblem("sort key", scheme.sortKey, facts.sortKey);
  if (scheme.tenantIndex !== null) {
    if (!Object.hasOwn(facts.indexes, scheme.tenantIndex))
      problems.push(`the table has no global secondary index ${scheme.tenantIndex} (the key scheme's tenant index)`);
    else if (facts.indexes[scheme.tenantIndex] !== scheme.tenantAttribute)
      problems.push(
        `index ${scheme.tenantIndex}'s partition key is ${facts.indexes[scheme.tenantIndex] ?? "unknown"}, not the tenant attribute ${scheme.tenantAttribute ?? "(none)"}`,
      );
  }
  const unbounded = facts.capacityMode === "on_demand" && (facts.readUnitsPerSec === null || facts.writeUnitsPerSec === null);
  if (unbounded)
    notes.push(
      `on-demand with no maximum throughput: recorded as ${onDemandDefaultUnits.toLocaleString("en-US")} units/s, DynamoDB's default table quota`,
    );
  return {
    problems,
    capacity: {
      capacityMode: facts.capacityMode,
      readUnitsPerSec: facts.readUnitsPerSec ?? onDemandDefaultUnits,
      writeUnitsPerSec: facts.writeUnitsPerSec ?? onDemandDefaultUnits,
    },
    notes,
  };
}
