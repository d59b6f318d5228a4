// Plan enforcement in AWS mode: each throttling plan is an API Gateway usage
// plan, each tenant an API key named after its tenant id. Moving a tenant to a
// plan moves its key; editing a plan updates the usage plan's limits. Every
// call is safe to repeat (a resumed operation repeats the last one).
import {
  ConflictException,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  NotFoundException,
  UpdateUsagePlanCommand,
  type APIGatewayClient,
} from "@aws-sdk/client-api-gateway";

export interface PlanLimits {
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
}

export class ApiGatewayConfigError extends Error {
  override name = "ApiGatewayConfigError";
}

/** The tenant's API key: the one whose name is exactly the tenant id. */
export async function findTenantApiKey(client: APIGatewayClient, tenantId: string): Promise<string> {
  let position: string | undefined;
  do {
    const page = await client.send(new GetApiKeysCommand({ nameQuery: tenantId, position, limit: 500 }));
    const key = page.items?.find((item) => item.name === tenantId);
    if (key?.id) return key.id;
    position = page.position;
  } while (position);
  throw new ApiGatewayConfigError(`API Gateway has no API key named ${tenantId}; create one for the tenant first`);
}

/** Adds the key to the new usage plan, then removes it from the old one, so the tenant is never without a plan. */
export async function moveTenantApiKey(
  client: APIGatewayClient,
  tenantId: string,
  fromUsagePlanId: string | null,
  toUsagePlanId: string,
): Promise<{ keyId: string }> {
  const keyId = await findTenantApiKey(client, tenantId);
  try {
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: toUsagePlanId, keyId, keyType: "API_KEY" }));
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error; // already on the new plan
  }
  if (fromUsagePlanId && fromUsagePlanId !== toUsagePlanId) {
    try {
      await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: fromUsagePlanId, keyId }));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error; // already removed
    }
  }
  return { keyId };
}

export async function applyUsagePlanLimits(client: APIGatewayClient, usagePlanId: string, limits: PlanLimits): Promise<void> {
  await client.send(
    new UpdateUsagePlanCommand({
      usagePlanId,
      patchOperations: [
        { op: "replace", path: "/throttle/rateLimit", value: String(limits.ratePerSec) },
        { op: "replace", path: "/throttle/burstLimit", value: String(limits.burst) },
        { op: "replace", path: "/quota/limit", value: String(limits.quotaPerDay) },
        { op: "replace", path: "/quota/period", value: "DAY" },
      ],
    }),
  );
}
