// Clients for tenant data. Operations get a tenant-scoped client (every
// request checked against one tenant's scope before it is sent; in AWS mode
// also signed with credentials whose session policy lets AWS enforce the same
// bounds), or, for whole-table reads, an instance-level client that cannot
// write. A TenantTable only takes one of these, so tenant data cannot be
// reached through a raw DynamoDB client by construction.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { checkInstanceRead, checkTenantRequest, TenantScopeViolation, type TenantScope } from "./tenant-scope";

/** What reads and writes tenant items: a checked client, never a raw one. */
export interface DataClient {
  /** "tenant acme (restore cmwv…)" or "instance tsc-pool-1 (backup cmwv…)". */
  readonly access: string;
  send: DynamoDBClient["send"];
}

/** A tenant's tables, each reached through the tenant's scoped client. */
export interface TenantData {
  /** One of the scope's tables; any other is refused here, before a client exists. */
  table(tableName: string): { client: DataClient; tableName: string };
}

// By class, not constructor name: production bundles may rename classes.
const commands = [
  ["GetItemCommand", GetItemCommand],
  ["PutItemCommand", PutItemCommand],
  ["DeleteItemCommand", DeleteItemCommand],
  ["UpdateItemCommand", UpdateItemCommand],
  ["QueryCommand", QueryCommand],
  ["ScanCommand", ScanCommand],
  ["BatchWriteItemCommand", BatchWriteItemCommand],
  ["BatchGetItemCommand", BatchGetItemCommand],
  ["DescribeTableCommand", DescribeTableCommand],
] as const;

function commandName(command: unknown): string {
  for (const [name, type] of commands) if (command instanceof type) return name;
  return (command as { constructor?: { name?: string } })?.constructor?.name ?? "an unknown command";
}

function checked(
  client: DynamoDBClient,
  access: string,
  check: (name: string, input: Record<string, unknown>) => void,
  onRefused?: (error: Error) => void,
): DataClient {
  const send = ((command: { input: Record<string, unknown> }, ...rest: unknown[]) => {
    try {
      check(commandName(command), command.input);
    } catch (error) {
      onRefused?.(error as Error);
      return Promise.reject(error);
    }
    return (client.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as DynamoDBClient["send"];
  return { access, send };
}

/** Refusals are logged where the operator's worker logs go, besides failing the request. */
const logRefusal = (error: Error) => {
  if (error instanceof TenantScopeViolation) console.warn(`tenant scope: ${error.message}`);
};

export function tenantScopedClient(client: DynamoDBClient, scope: TenantScope): DataClient {
  return checked(
    client,
    `tenant ${scope.tenantId} (${scope.operation})`,
    (name, input) => checkTenantRequest(scope, name, input),
    logRefusal,
  );
}

/** Reads one whole table and nothing else; refuses every write. */
export function instanceReadClient(client: DynamoDBClient, tableName: string, operation: string): DataClient {
  return checked(client, `instance ${tableName} (${operation}, read-only)`, (name, input) =>
    checkInstanceRead(tableName, operation, name, input),
  );
}
