// The API Gateway adapter against aws-sdk-client-mock (no local API Gateway exists).
import {
  APIGatewayClient,
  ConflictException,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  NotFoundException,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { applyUsagePlanLimits, findTenantApiKey, moveTenantApiKey } from "./api-gateway";
import { loadConfig } from "../config/config";
import { apiGatewayEnforcement, planEnforcementFor } from "./plan-enforcement";

const gateway = mockClient(APIGatewayClient);
const client = new APIGatewayClient({ region: "us-east-1" });
const meta = { $metadata: {} };

beforeEach(() => {
  gateway.reset();
  gateway.on(GetApiKeysCommand).resolves({
    items: [
      { id: "k-other", name: "acme-logistics-eu" },
      { id: "k-acme", name: "acme-logistics" },
    ],
  });
});

describe("API Gateway plan enforcement", () => {
  it("finds the tenant's key by exact name, paging through results", async () => {
    gateway
      .on(GetApiKeysCommand)
      .resolvesOnce({ items: [{ id: "k-1", name: "acme-logistics-old" }], position: "p2" })
      .resolvesOnce({ items: [{ id: "k-acme", name: "acme-logistics" }] });
    expect(await findTenantApiKey(client, "acme-logistics")).toBe("k-acme");
    expect(gateway.commandCalls(GetApiKeysCommand).map((c) => c.args[0].input)).toEqual([
      { nameQuery: "acme-logistics", position: undefined, limit: 500 },
      { nameQuery: "acme-logistics", position: "p2", limit: 500 },
    ]);
  });

  it("refuses a tenant without a key, naming it", async () => {
    gateway.on(GetApiKeysCommand).resolves({ items: [] });
    await expect(findTenantApiKey(client, "initech")).rejects.toThrow(/no API key named initech/);
  });

  it("adds the key to the new usage plan before removing it from the old one", async () => {
    gateway.on(CreateUsagePlanKeyCommand).resolves({});
    gateway.on(DeleteUsagePlanKeyCommand).resolves({});
    await moveTenantApiKey(client, "acme-logistics", "up-basic", "up-premium");
    const calls = gateway.calls().map((c) => c.args[0].constructor.name);
    expect(calls).toEqual(["GetApiKeysCommand", "CreateUsagePlanKeyCommand", "DeleteUsagePlanKeyCommand"]);
    expect(gateway.commandCalls(CreateUsagePlanKeyCommand)[0]!.args[0].input).toEqual({
      usagePlanId: "up-premium",
      keyId: "k-acme",
      keyType: "API_KEY",
    });
    expect(gateway.commandCalls(DeleteUsagePlanKeyCommand)[0]!.args[0].input).toEqual({ usagePlanId: "up-basic", keyId: "k-acme" });
  });

  it("is safe to repeat: a key already on the new plan or already off the old one is not an error", async () => {
    gateway.on(CreateUsagePlanKeyCommand).rejects(new ConflictException({ message: "exists", ...meta }));
    gateway.on(DeleteUsagePlanKeyCommand).rejects(new NotFoundException({ message: "gone", ...meta }));
    await expect(moveTenantApiKey(client, "acme-logistics", "up-basic", "up-premium")).resolves.toEqual({ keyId: "k-acme" });
  });

  it("passes other failures on", async () => {
    gateway.on(CreateUsagePlanKeyCommand).rejects(new Error("AccessDenied"));
    await expect(moveTenantApiKey(client, "acme-logistics", "up-basic", "up-premium")).rejects.toThrow("AccessDenied");
    expect(gateway.commandCalls(DeleteUsagePlanKeyCommand)).toHaveLength(0);
  });

  it("writes a plan's limits to its usage plan as a daily quota", async () => {
    gateway.on(UpdateUsagePlanCommand).resolves({});
    await applyUsagePlanLimits(client, "up-basic", { ratePerSec: 50, burst: 100, quotaPerDay: 1_000_000 });
    expect(gateway.commandCalls(UpdateUsagePlanCommand)[0]!.args[0].input.patchOperations).toEqual([
      { op: "replace", path: "/throttle/rateLimit", value: "50" },
      { op: "replace", path: "/throttle/burstLimit", value: "100" },
      { op: "replace", path: "/quota/limit", value: "1000000" },
      { op: "replace", path: "/quota/period", value: "DAY" },
    ]);
  });

  it("refuses a plan with no usage plan configured, before calling AWS", async () => {
    const enforcement = apiGatewayEnforcement(client);
    await expect(
      enforcement.moveTenant("acme-logistics", null, {
        id: "premium",
        ratePerSec: 1,
        burst: 1,
        quotaPerDay: 1,
        apiGatewayUsagePlanId: null,
      }),
    ).rejects.toThrow(/plan premium has no API Gateway usage plan/);
    expect(gateway.calls()).toHaveLength(0);
  });

  it("is chosen by PLAN_ENFORCEMENT", () => {
    expect(planEnforcementFor(loadConfig({})).name).toBe("routing-record");
    expect(planEnforcementFor(loadConfig({ PLAN_ENFORCEMENT: "api-gateway", AWS_REGION: "us-east-1" })).name).toBe("api-gateway");
    expect(() => loadConfig({ PLAN_ENFORCEMENT: "nginx" })).toThrow(/PLAN_ENFORCEMENT/);
  });
});
