// The IAM session policy that confines vended credentials to one tenant's
// items: its tables only, its partitions only (dynamodb:LeadingKeys rendered
// from the key scheme). Pure: the worker's token vending
// (tenant-credentials.ts) and the data-plane library
// (lib/data-plane/credentials.ts) both build their policies here.
import { leadingKeysPattern, partitionShape, type KeyScheme } from "./key-scheme";

/** Item actions tenant-scoped access needs (and DescribeTable for counts and waits). */
export const tenantDataActions = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:Query",
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

export function tableArn(region: string, tableName: string): string {
  return `arn:aws:dynamodb:${region}:*:table/${tableName}`;
}

/** The session policy for one tenant: its tables only, its partitions only. A silo tenant's tables are its silo's. */
export function tenantSessionPolicy(tenant: {
  tenantId: string;
  keyScheme: KeyScheme;
  tables: readonly { tableName: string; region: string }[];
}) {
  const leadingKeys = leadingKeysPattern(tenant.keyScheme, tenant.tenantId);
  const shape = partitionShape(tenant.keyScheme);
  // Where the tenant's partitions are found by a Scan, the credentials must allow one. A Scan names no leading
  // keys, so IAM cannot confine it to the tenant's partitions (ForAllValues would pass an empty set): it is
  // granted separately, and only the guard's filter (lib/storage/tenant-scope.ts) bounds what a pool's scan
  // returns. A silo table whose keys do not carry the tenant is the tenant's whole, so there a scan is confined.
  const scans =
    shape === "any" || shape === "table"
      ? [
          {
            Sid: shape === "any" ? "ScanToFindItsPartitions" : "ScanItsOwnTable",
            Effect: "Allow",
            Action: ["dynamodb:Scan"],
            Resource: tenant.tables.map((t) => tableArn(t.region, t.tableName)),
          },
        ]
      : [];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TenantItemsOnly",
        Effect: "Allow",
        Action: [...tenantDataActions],
        Resource: tenant.tables.map((t) => tableArn(t.region, t.tableName)),
        ...(leadingKeys === null ? {} : { Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [leadingKeys] } } }),
      },
      {
        Sid: "DescribeItsTables",
        Effect: "Allow",
        Action: ["dynamodb:DescribeTable"],
        Resource: tenant.tables.map((t) => tableArn(t.region, t.tableName)),
      },
      ...scans,
    ],
  };
}
