// DescribeTable for each declared storage instance, sent to its declared
// region's endpoint (a table is found only in its own region), a few at a time.
import "server-only";
import { DescribeTableCommand, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import type { ImportAccess } from "./access";
import { tableFactsOf, type TableFacts } from "./table-check";
import type { DeclaredInstance } from "./validate";

export async function describeTables(
  access: Pick<ImportAccess, "dynamoDb">,
  instances: readonly Pick<DeclaredInstance, "id" | "tableName" | "region">[],
  concurrency = 8,
): Promise<Map<string, TableFacts>> {
  const facts = new Map<string, TableFacts>();
  let next = 0;
  const describer = async () => {
    while (next < instances.length) {
      const instance = instances[next++]!;
      try {
        const { Table } = await access.dynamoDb(instance.region).send(new DescribeTableCommand({ TableName: instance.tableName }));
        facts.set(instance.id, Table ? tableFactsOf(instance.region, Table) : { found: false, region: instance.region });
      } catch (error) {
        facts.set(
          instance.id,
          error instanceof ResourceNotFoundException
            ? { found: false, region: instance.region }
            : { found: false, region: instance.region, error: error instanceof Error ? error.message : String(error) },
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, instances.length) }, describer));
  return facts;
}
