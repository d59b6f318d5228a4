import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";
import { variables } from "./variables";

const console_ = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", NEXTAUTH_SECRET: "s".repeat(32), AWS_REGION: "us-east-1" };

describe("configuration", () => {
  it("gives every documented default when nothing is set", () => {
    const settings = loadConfig({});
    expect(settings.AUTH_PASSWORD_SIGNIN).toBe("on");
    expect(settings.DATABASE_POOL_SIZE).toBe(5);
    expect(settings.TENANT_ROUTING_TABLE).toBe("tsc-tenant-routing");
    expect(settings.OPERATION_LEASE_MS).toBe(15_000);
    expect(settings.MIGRATION_ROLLBACK_WINDOW_HOURS).toBe(24);
  });

  it("treats an empty value as unset", () => {
    expect(loadConfig({ DATABASE_POOL_SIZE: "", TENANT_ROUTING_TABLE: "" })).toMatchObject({
      DATABASE_POOL_SIZE: 5,
      TENANT_ROUTING_TABLE: "tsc-tenant-routing",
    });
  });

  it("requires what the console cannot start without, naming each", () => {
    expect(loadConfig(console_, "console").DATABASE_URL).toBe(console_.DATABASE_URL);
    const error = (() => {
      try {
        loadConfig({}, "console");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(":")[0])).toEqual(["DATABASE_URL", "NEXTAUTH_SECRET", "AWS_REGION"]);
  });

  it("accepts AWS_DEFAULT_REGION for the region, as the SDK does", () => {
    expect(() => loadConfig({ ...console_, AWS_REGION: undefined, AWS_DEFAULT_REGION: "eu-west-1" }, "console")).not.toThrow();
  });

  it("requires a backup store of the worker but not of the console", () => {
    expect(() => loadConfig(console_, "worker")).toThrow(/BACKUP_STORE: is not set/);
    expect(() => loadConfig({ ...console_, BACKUP_STORE: "s3://my-backups/console" }, "worker")).not.toThrow();
  });

  it("refuses malformed values by name, without echoing them", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://x", NEXTAUTH_SECRET: "short" })).toThrow(/DATABASE_URL[\s\S]*NEXTAUTH_SECRET/);
    expect(() => loadConfig({ NEXTAUTH_SECRET: "short-secret-value" })).not.toThrow(/short-secret-value/);
    for (const [name, value] of [
      ["WORKER_CONCURRENCY", "two"],
      ["OPERATION_LEASE_MS", "1.5"],
      ["BACKUP_STORE", "s3://X"],
      ["BACKUP_POINT_IN_TIME", "yes"],
      ["PLAN_ENFORCEMENT", "nginx"],
      ["AWS_ENDPOINT_URL_DYNAMODB", "localhost:8000"],
      ["MIGRATION_COPY_CAPACITY_SHARE", "2"],
      ["TENANT_METRICS_NAMESPACE", "AWS/DynamoDB"],
      ["AWS_REGION", "virginia"],
    ]) {
      expect(() => loadConfig({ [name!]: value }), name).toThrow(new RegExp(`${name}:`));
    }
  });

  it("requires the OIDC settings together", () => {
    expect(() => loadConfig({ ...console_, OIDC_ISSUER: "https://id.example" })).toThrow(/must be set together/);
  });

  it("refuses to disable password sign-in with no other way in", () => {
    expect(() => loadConfig({ ...console_, AUTH_PASSWORD_SIGNIN: "off" })).toThrow(/no way to sign in/);
  });

  it("requires the webhook's secret with its URL, without echoing either", () => {
    const webhook = { ALERT_WEBHOOK_URL: "https://hooks.example.com/tsc" };
    expect(() => loadConfig(webhook)).toThrow(/ALERT_WEBHOOK_SECRET: is required with ALERT_WEBHOOK_URL/);
    expect(() => loadConfig({ ...webhook, ALERT_WEBHOOK_SECRET: "a-secret-of-24-characters" })).not.toThrow();
    const short = () => loadConfig({ ...webhook, ALERT_WEBHOOK_SECRET: "short-secret" });
    expect(short).toThrow(/ALERT_WEBHOOK_SECRET: must be at least 16 characters/);
    expect(short).not.toThrow(/short-secret/);
  });

  it("refuses malformed alert settings by name", () => {
    for (const [name, value] of [
      ["ALERT_QUIET_HOURS", "22-07"],
      ["ALERT_QUIET_HOURS", "24:00-07:00"],
      ["ALERT_QUIET_HOURS", "07:00-07:00"],
      ["ALERT_SNS_TOPIC_ARN", "arn:aws:sqs:us-east-1:123456789012:alerts"],
      ["ALERT_MIN_MINUTES_MAJOR", "-1"],
      ["ALERT_MAX_ATTEMPTS", "0"],
    ]) {
      expect(() => loadConfig({ [name!]: value }), `${name}=${value}`).toThrow(new RegExp(`${name}:`));
    }
    expect(
      loadConfig({ ALERT_QUIET_HOURS: "22:00-07:00", ALERT_SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" }),
    ).toMatchObject({
      ALERT_QUIET_HOURS: "22:00-07:00",
      ALERT_MIN_MINUTES_CRITICAL: 0,
      ALERT_MIN_MINUTES_MAJOR: 5,
      ALERT_MIN_MINUTES_MINOR: 15,
    });
  });

  it("documents every variable", () => {
    for (const [name, variable] of Object.entries(variables)) expect(variable.meaning.length, name).toBeGreaterThan(10);
  });
});
