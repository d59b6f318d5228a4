// An onboarding request: the form's fields validated, checked against the
// catalog, and queued as an operation together with the tenant's row (status
// provisioning), so the id is taken from the moment the request is accepted.
import { nameKey } from "../validation/names";
import "server-only";
import { z } from "zod";
import { defaultRegion } from "../config/config";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { defaultModelForTier, deploymentModels, keyPrefixFor, slugPattern, tiers } from "../catalog/vocabulary";
import { onboardOperation } from "./operation";
import { enqueueOperation } from "../operations/queue";
import { tenantEntities } from "../storage/tenant-items";
import { idempotencyKeyField, tenantNameField } from "../validation/fields";

/** A select whose empty choice means "the default". */
function optionalChoice<T extends string>(values: readonly T[], message: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return value as T;
    });
}

export const onboardingInput = z.object({
  name: tenantNameField,
  id: z
    .string()
    .trim()
    .min(3, "At least 3 characters")
    .max(63, "At most 63 characters")
    .regex(slugPattern, "Lowercase letters, digits and hyphens; starts and ends with a letter or digit")
    .refine((id) => id !== "new", '"new" is reserved (it is the onboarding page\'s address)'),
  tier: z.enum(tiers, { error: "Choose a tier" }),
  model: optionalChoice(deploymentModels, "Choose silo, pool or bridge, or leave the tier's default"),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "An AWS region such as us-east-1"),
  contactEmail: z.email("An e-mail address such as ops@example.com").max(254, "At most 254 characters"),
  bridgeEntity: optionalChoice(tenantEntities, `One of ${tenantEntities.join(", ")}`),
  idempotencyKey: idempotencyKeyField,
});

export type OnboardingInput = z.infer<typeof onboardingInput>;

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

const idTaken = (id: string) => new ActionRefusal(`Tenant id ${id} is taken (tenant ids are never reused).`, { id: ["This id is taken"] });

/** Names compare by nameKey (lib/validation/names.ts): one that looks like another tenant's is refused, naming that tenant. */
function nameTaken(name: string, existing: { id: string; name: string }): ActionRefusal {
  return new ActionRefusal(`Tenant ${existing.id} is already called "${existing.name}", which looks the same as "${name}".`, {
    name: [`Looks the same as tenant ${existing.id}'s name ("${existing.name}"): choose a name that tells them apart`],
  });
}

/** Regions a tenant can be placed in: those with storage instances, and the console's own. */
export async function onboardingRegions(db: ActionContext["db"]): Promise<string[]> {
  const rows = await db.storageInstance.findMany({ where: { status: "active" }, select: { region: true }, distinct: ["region"] });
  return [...new Set([defaultRegion(), ...rows.map((r) => r.region)])].sort();
}

export async function requestOnboarding({ db, user }: ActionContext, input: OnboardingInput) {
  const model = input.model ?? defaultModelForTier[input.tier];
  const plan = await db.throttlingPlan.findFirst({ where: { defaultFor: input.tier }, select: { id: true } });
  if (!plan)
    throw new ActionRefusal(`No throttling plan is the default for the ${input.tier} tier; an admin sets one on the Plans page.`, {
      tier: ["No default plan for this tier"],
    });
  const regions = await onboardingRegions(db);
  if (!regions.includes(input.region))
    throw new ActionRefusal(`The console has no storage in ${input.region}.`, { region: [`One of ${regions.join(", ")}`] });
  if (model === "bridge" && !input.bridgeEntity)
    throw new ActionRefusal("A bridge tenant needs the entity to silo.", { bridgeEntity: ["Choose the entity that gets its own table"] });

  const parameters = {
    tenantId: input.id,
    name: input.name,
    tier: input.tier,
    deploymentModel: model,
    region: input.region,
    planId: plan.id,
    bridgeEntity: model === "bridge" ? input.bridgeEntity : null,
  };
  const key = nameKey(input.name);
  const queued = enqueueOperation(
    db,
    onboardOperation,
    {
      kind: "onboard",
      tenantId: input.id,
      parameters,
      idempotencyKey: input.idempotencyKey,
      user,
      action: "tenants.onboard",
      target: { type: "tenant", id: input.id },
    },
    async (tx) => {
      const taken = await tx.tenant.findUnique({ where: { id: input.id }, select: { id: true } });
      if (taken) throw idTaken(input.id);
      const lookAlike = await tx.tenant.findUnique({ where: { nameKey: key }, select: { id: true, name: true } });
      if (lookAlike) throw nameTaken(input.name, lookAlike);
      await tx.tenant.create({
        data: {
          id: input.id,
          name: input.name,
          nameKey: key,
          tier: input.tier,
          deploymentModel: model,
          status: "provisioning",
          planId: plan.id,
          keyPrefix: keyPrefixFor(input.id),
          contactEmail: input.contactEmail,
          bridgeEntity: parameters.bridgeEntity,
        },
      });
    },
  );
  const { operation, duplicate } = await queued.catch(async (error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    // Another request took the id, or a name that looks the same, between our checks and our insert: the checks' refusals.
    const lookAlike = await db.tenant.findUnique({ where: { nameKey: key }, select: { id: true, name: true } });
    if (lookAlike && lookAlike.id !== input.id) throw nameTaken(input.name, lookAlike);
    if (await db.tenant.findUnique({ where: { id: input.id }, select: { id: true } })) throw idTaken(input.id);
    throw error;
  });
  return {
    data: { operationId: operation.id },
    message: duplicate ? "Already requested: showing the same operation." : `Onboarding of ${input.id} queued.`,
  };
}
