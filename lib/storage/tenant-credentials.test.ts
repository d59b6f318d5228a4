// Vended credentials (AWS mode) against aws-sdk-client-mock: no local STS exists.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config/config";
import { tenantDynamoDbFor } from "../operations/environment";
import { defaultKeyScheme, keySchemeFor } from "./key-scheme";
import { tenantCredentials, tenantSessionPolicy } from "./tenant-credentials";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const sts = mockClient(STSClient);
beforeEach(() => sts.reset());

describe("the tenant session policy", () => {
  it("for a pool tenant: item actions on the pool's table, only on partition keys beginning with its prefix", () => {
    const policy = tenantSessionPolicy({
      tenantId: "acme",
      keyScheme: defaultKeyScheme,
      tables: [{ tableName: "tsc-pool-use1-01", region: "us-east-1" }],
    });
    expect(policy.Statement[0]).toEqual({
      Sid: "TenantItemsOnly",
      Effect: "Allow",
      Action: [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
      ],
      Resource: ["arn:aws:dynamodb:us-east-1:*:table/tsc-pool-use1-01"],
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["acme#*"] } },
    });
    expect(JSON.stringify(policy)).not.toContain("dynamodb:Scan");
    expect(policy.Statement[1]).toMatchObject({
      Action: ["dynamodb:DescribeTable"],
      Resource: ["arn:aws:dynamodb:us-east-1:*:table/tsc-pool-use1-01"],
    });
  });

  it("for a silo tenant: its silo table only (and a bridge tenant's pool and silo tables)", () => {
    const silo = tenantSessionPolicy({
      tenantId: "globex",
      keyScheme: defaultKeyScheme,
      tables: [{ tableName: "tsc-silo-globex", region: "eu-west-1" }],
    });
    expect(silo.Statement[0]!.Resource).toEqual(["arn:aws:dynamodb:eu-west-1:*:table/tsc-silo-globex"]);
    const bridge = tenantSessionPolicy({
      tenantId: "wayne",
      keyScheme: defaultKeyScheme,
      tables: [
        { tableName: "tsc-pool-use1-02", region: "us-east-1" },
        { tableName: "tsc-silo-wayne", region: "us-east-1" },
      ],
    });
    expect(bridge.Statement[0]!.Resource).toEqual([
      "arn:aws:dynamodb:us-east-1:*:table/tsc-pool-use1-02",
      "arn:aws:dynamodb:us-east-1:*:table/tsc-silo-wayne",
    ]);
  });
});

describe("the session policy follows the tables' key scheme", () => {
  const tables = [{ tableName: "saas-main", region: "us-east-1" }];
  const leadingKeys = (policy: ReturnType<typeof tenantSessionPolicy>) =>
    (policy.Statement[0] as { Condition?: Record<string, Record<string, string[]>> }).Condition?.["ForAllValues:StringLike"]?.[
      "dynamodb:LeadingKeys"
    ];

  it("one partition per tenant: exactly that partition, so TENANT#acme cannot reach TENANT#acme-corp", () => {
    const keyScheme = keySchemeFor({ partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: null }, "pool");
    expect(leadingKeys(tenantSessionPolicy({ tenantId: "acme", keyScheme, tables }))).toEqual(["TENANT#acme"]);
  });

  it("a prefix template: the tenant's prefix and anything after it", () => {
    const keyScheme = keySchemeFor({ template: "ORG#{tenantId}#..." }, "pool");
    const policy = tenantSessionPolicy({ tenantId: "acme", keyScheme, tables });
    expect(leadingKeys(policy)).toEqual(["ORG#acme#*"]);
    // Its partitions are found by a scan, which IAM cannot confine by leading keys: granted apart, bounded by the guard's filter.
    expect(policy.Statement[2]).toEqual({
      Sid: "ScanToFindItsPartitions",
      Effect: "Allow",
      Action: ["dynamodb:Scan"],
      Resource: ["arn:aws:dynamodb:us-east-1:*:table/saas-main"],
    });
  });

  it("a silo table whose keys do not carry the tenant: the table alone bounds the credentials", () => {
    const keyScheme = keySchemeFor({ template: null }, "silo");
    const policy = tenantSessionPolicy({ tenantId: "acme", keyScheme, tables });
    expect(leadingKeys(policy)).toBeUndefined();
    expect(policy.Statement[0]!.Resource).toEqual(["arn:aws:dynamodb:us-east-1:*:table/saas-main"]);
  });
});

describe("vended credentials", () => {
  it("assume the tenant role with the session policy and reuse the credentials until shortly before they expire", async () => {
    const expiration = new Date(Date.now() + 15 * 60_000);
    sts
      .on(AssumeRoleCommand)
      .resolves({ Credentials: { AccessKeyId: "ASIA1", SecretAccessKey: "secret", SessionToken: "token", Expiration: expiration } });
    const policy = tenantSessionPolicy({
      tenantId: "acme",
      keyScheme: defaultKeyScheme,
      tables: [{ tableName: "tsc-pool-use1-01", region: "us-east-1" }],
    });
    const provider = tenantCredentials(new STSClient({ region: "us-east-1" }), {
      roleArn: "arn:aws:iam::123456789012:role/tsc-tenant-data",
      tenantId: "acme",
      operation: "restore op1",
      policy,
    });
    expect(await provider()).toEqual({ accessKeyId: "ASIA1", secretAccessKey: "secret", sessionToken: "token", expiration });
    await provider();
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      RoleArn: "arn:aws:iam::123456789012:role/tsc-tenant-data",
      RoleSessionName: "tsc-acme",
      Policy: JSON.stringify(policy),
      DurationSeconds: 900,
      Tags: [
        { Key: "tenant", Value: "acme" },
        { Key: "operation", Value: "restore op1" },
      ],
    });
  });

  it("assume again when the credentials are about to expire, and fail when STS returns none", async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce({
        Credentials: { AccessKeyId: "A", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(Date.now() + 30_000) },
      })
      .resolvesOnce({});
    const provider = tenantCredentials(new STSClient({ region: "us-east-1" }), {
      roleArn: "arn:aws:iam::1:role/r",
      tenantId: "acme",
      operation: "o",
      policy: {},
    });
    await provider();
    await expect(provider()).rejects.toThrow(/returned no credentials/);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });
});

describe("TENANT_ACCESS_ROLE_ARN", () => {
  it("is optional, and must be an IAM role ARN when set", () => {
    expect(tenantDynamoDbFor(loadConfig({}))).toBeUndefined();
    expect(
      tenantDynamoDbFor(loadConfig({ TENANT_ACCESS_ROLE_ARN: "arn:aws:iam::123456789012:role/tsc-tenant-data", AWS_REGION: "us-east-1" })),
    ).toBeTypeOf("function");
    expect(() => loadConfig({ TENANT_ACCESS_ROLE_ARN: "tsc-tenant-data" })).toThrow(/TENANT_ACCESS_ROLE_ARN: must be an IAM role ARN/);
  });
});

describe("tenant clients in AWS mode", () => {
  it("reuses one client per tenant scope, and gives another scope its own", () => {
    vi.stubEnv("AWS_REGION", "us-east-1");
    const clientFor = tenantDynamoDbFor(loadConfig({ TENANT_ACCESS_ROLE_ARN: "arn:aws:iam::123456789012:role/tsc-tenant-data" }))!;
    const scope = {
      tenantId: "acme",
      keyScheme: defaultKeyScheme,
      operation: "migrate op1",
      tables: [{ tableName: "tsc-pool-1", region: "us-east-1" }],
    };
    const first = clientFor("us-east-1", scope);
    expect(clientFor("us-east-1", { ...scope })).toBe(first);
    expect(clientFor("us-east-1", { ...scope, tenantId: "globex" })).not.toBe(first);
    expect(clientFor("us-east-1", { ...scope, tables: [...scope.tables, { tableName: "tsc-silo-acme", region: "us-east-1" }] })).not.toBe(
      first,
    );
    vi.unstubAllEnvs();
  });
});
