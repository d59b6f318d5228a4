// Where throttling plans are enforced besides the routing record, which the
// data plane always reads: nowhere else (the embedded stack, whose data plane
// is the synthetic workload), or API Gateway usage plans (AWS mode,
// PLAN_ENFORCEMENT=api-gateway).
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { defaultRegion, type Config } from "../config/config";
import { ApiGatewayConfigError, applyUsagePlanLimits, moveTenantApiKey, type PlanLimits } from "./api-gateway";

export interface EnforcedPlan extends PlanLimits {
  id: string;
  apiGatewayUsagePlanId: string | null;
}

export interface PlanEnforcement {
  name: "routing-record" | "api-gateway";
  moveTenant(tenantId: string, from: EnforcedPlan | null, to: EnforcedPlan): Promise<string>;
  updatePlan(plan: EnforcedPlan): Promise<string>;
}

export const routingRecordOnly: PlanEnforcement = {
  name: "routing-record",
  async moveTenant() {
    return "enforced by the data plane from the routing record";
  },
  async updatePlan() {
    return "enforced by the data plane from the routing records";
  },
};

export function apiGatewayEnforcement(client: APIGatewayClient): PlanEnforcement {
  const usagePlanOf = (plan: EnforcedPlan) => {
    if (!plan.apiGatewayUsagePlanId)
      throw new ApiGatewayConfigError(`plan ${plan.id} has no API Gateway usage plan; set one on the Plans page`);
    return plan.apiGatewayUsagePlanId;
  };
  return {
    name: "api-gateway",
    async moveTenant(tenantId, from, to) {
      const target = usagePlanOf(to);
      const { keyId } = await moveTenantApiKey(client, tenantId, from?.apiGatewayUsagePlanId ?? null, target);
      return `API key ${keyId} moved to usage plan ${target}`;
    },
    async updatePlan(plan) {
      const usagePlanId = usagePlanOf(plan);
      await applyUsagePlanLimits(client, usagePlanId, plan);
      return `usage plan ${usagePlanId} updated`;
    },
  };
}

export function planEnforcementFor(settings: Pick<Config, "PLAN_ENFORCEMENT" | "AWS_REGION" | "AWS_DEFAULT_REGION">): PlanEnforcement {
  if (settings.PLAN_ENFORCEMENT === "routing-record") return routingRecordOnly;
  return apiGatewayEnforcement(new APIGatewayClient({ region: defaultRegion(settings), maxAttempts: 3 }));
}
