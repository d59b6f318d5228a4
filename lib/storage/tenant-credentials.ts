// AWS mode: credentials vended per tenant (a token vending machine). The
// worker's role assumes TENANT_ACCESS_ROLE_ARN with a session policy that
// allows DynamoDB item actions only on the tenant's tables and only on its
// partition keys under the tables' key scheme (dynamodb:LeadingKeys: the
// tenant's prefix, or its one exact partition), so AWS enforces what
// lib/storage/tenant-scope.ts checks. A silo table whose keys do not carry the
// tenant is the tenant's whole: its policy names the tables only. No local STS exists: this
// is unit-tested against aws-sdk-client-mock (tenant-credentials.test.ts).
import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
export { tenantSessionPolicy } from "./session-policy";

/** What the SDK's `credentials` option accepts. */
export interface VendedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** AssumeRole with the tenant's session policy; the SDK calls this provider when it needs credentials and again before they expire. */
export function tenantCredentials(
  sts: STSClient,
  options: { roleArn: string; tenantId: string; operation: string; policy: object; durationSeconds?: number },
): () => Promise<VendedCredentials> {
  let cached: VendedCredentials | undefined;
  return async () => {
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > 60_000) return cached;
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: `tsc-${options.tenantId}`.slice(0, 64),
        Policy: JSON.stringify(options.policy),
        DurationSeconds: options.durationSeconds ?? 900,
        Tags: [
          { Key: "tenant", Value: options.tenantId },
          { Key: "operation", Value: options.operation.slice(0, 256) },
        ],
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey)
      throw new Error(`AssumeRole for tenant ${options.tenantId} returned no credentials`);
    cached = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
    return cached;
  };
}
