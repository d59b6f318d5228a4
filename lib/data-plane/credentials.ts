// AWS mode: credentials vended per tenant (a token vending machine). The
// library computes the session policy for a tenant's current placement (its
// tables only; its partitions only, by dynamodb:LeadingKeys rendered from the
// key scheme); the service's own `credentialsFor` assumes its tenant-access
// role with it (e.g. STS AssumeRole with Policy = the JSON of `sessionPolicy`).
import { leadingKeysPattern, type KeyScheme } from "../storage/key-scheme";
import { tableArn, tenantDataActions } from "../storage/session-policy";

/** What the SDK's `credentials` option accepts: a provider it calls when it needs credentials and before they expire. */
export type CredentialsProvider = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;

/** What a service needs to vend credentials for one tenant's current placement. */
export interface TenantCredentialsRequest {
  tenantId: string;
  /** The tables (and their regions) holding the tenant's items under its current routing version. */
  tables: readonly { tableName: string; region: string }[];
  /** The dynamodb:LeadingKeys pattern (StringLike) confining keys to the tenant's partitions; null for a silo table whose keys do not carry it. */
  leadingKeys: string | null;
  /** The IAM session policy allowing exactly the item actions the library makes, on those tables and partitions. */
  sessionPolicy: object;
}

export function tenantCredentialsRequest(
  tenantId: string,
  keyScheme: KeyScheme,
  tables: readonly { tableName: string; region: string }[],
): TenantCredentialsRequest {
  const leadingKeys = leadingKeysPattern(keyScheme, tenantId);
  const resources = tables.map((t) => tableArn(t.region, t.tableName));
  return {
    tenantId,
    tables,
    leadingKeys,
    sessionPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TenantItemsOnly",
          Effect: "Allow",
          Action: [...tenantDataActions],
          Resource: resources,
          ...(leadingKeys === null ? {} : { Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [leadingKeys] } } }),
        },
      ],
    },
  };
}
