// How operation steps reach tenant items: through a client scoped to one
// tenant (its partitions under the key scheme, its id, its tables), or, for whole-table reads, a
// read-only instance-level client. See lib/storage/tenant-access.ts.
import { instanceReadClient, tenantScopedClient, type DataClient, type TenantData } from "../storage/tenant-access";
import type { OperationDeps, TenantTables } from "./deps";

export type { TenantData };

export function tenantData(deps: Pick<OperationDeps, "dynamoDb" | "tenantDynamoDb">, request: TenantTables): TenantData {
  const scope = {
    tenantId: request.tenantId,
    keyScheme: request.keyScheme,
    operation: request.operation,
    tables: request.tables.map((t) => t.tableName),
  };
  const clients = new Map<string, DataClient>();
  return {
    table(tableName) {
      const table = request.tables.find((t) => t.tableName === tableName);
      if (!table) throw new Error(`${request.operation}: ${tableName} is not one of tenant ${request.tenantId}'s tables`);
      let client = clients.get(table.region);
      if (!client)
        clients.set(
          table.region,
          (client = tenantScopedClient(deps.tenantDynamoDb?.(table.region, request) ?? deps.dynamoDb(table.region), scope)),
        );
      return { client, tableName };
    },
  };
}

/** The one way to read a whole table (a backup's Scan): it cannot write. */
export function instanceData(
  deps: Pick<OperationDeps, "dynamoDb">,
  table: { tableName: string; region: string },
  operation: string,
): DataClient {
  return instanceReadClient(deps.dynamoDb(table.region), table.tableName, operation);
}

export const operationLabel = (operation: { kind: string; id: string }) => `${operation.kind} ${operation.id}`;
