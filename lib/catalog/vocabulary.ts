// The catalog's words, shared by validation, queries and the UI.
import { DeploymentModel, InstanceMode, Role, TenantStatus, Tier } from "../generated/prisma/enums.ts";

export { DeploymentModel, InstanceMode, Role, TenantStatus, Tier };
export type {
  DeploymentModel as DeploymentModelValue,
  InstanceMode as InstanceModeValue,
  Role as RoleValue,
  TenantStatus as TenantStatusValue,
  Tier as TierValue,
} from "../generated/prisma/enums.ts";

export const tiers = Object.values(Tier);
export const deploymentModels = Object.values(DeploymentModel);
export const tenantStatuses = Object.values(TenantStatus);
export const roles = Object.values(Role);

/** Tenant and storage-instance ids: lowercase slugs, DNS-label shaped, 3 to 63 characters. */
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

export const tierLabels: Record<Tier, string> = {
  basic: "Basic",
  standard: "Standard",
  premium: "Premium",
  enterprise: "Enterprise",
};

export const deploymentModelLabels: Record<DeploymentModel, string> = {
  silo: "Silo",
  pool: "Pool",
  bridge: "Bridge",
};

/** The model a tier is placed in unless onboarding overrides it. */
export const defaultModelForTier: Record<Tier, DeploymentModel> = {
  basic: "pool",
  standard: "pool",
  premium: "silo",
  enterprise: "silo",
};

/** Every partition key of a tenant's items starts with this; '#' cannot occur in a slug, so no prefix is another's prefix. */
export function keyPrefixFor(tenantId: string): string {
  return `${tenantId}#`;
}
