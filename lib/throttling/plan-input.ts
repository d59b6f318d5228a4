// A throttling plan's fields as forms, actions and operations validate them.
import { z } from "zod";
import { planNameField } from "../validation/fields";

export const planBounds = {
  ratePerSec: { min: 1, max: 100_000 },
  burst: { min: 1, max: 1_000_000 },
  // The catalog stores quotas as 32-bit integers.
  quotaPerDay: { min: 1, max: 2_000_000_000 },
} as const;

const boundedInt = (label: string, { min, max }: { min: number; max: number }) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min.toLocaleString("en-US")}`)
    .max(max, `${label} must be at most ${max.toLocaleString("en-US")}`);

/** What the SaaS charges a tenant on the plan a month, in US dollars ("" or null: not priced); absent: left as it is. */
export const planPriceField = z.preprocess(
  (value) => (value === "" ? null : value),
  z.coerce
    .number({ error: "The price must be a number" })
    .finite("The price must be a number")
    .min(0, "The price cannot be negative")
    .max(1_000_000, "At most 1,000,000 US dollars a month")
    .refine((usd) => Number.isInteger(Math.round(usd * 100)) && Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-6, "Whole cents only")
    .nullable()
    .optional(),
);

/** The catalog's form of a plan's price: cents, null when not priced, undefined to leave it as it is. */
export function priceCents(usd: number | null | undefined): number | null | undefined {
  return usd === undefined || usd === null ? usd : Math.round(usd * 100);
}

export const planLimitsSchema = z.object({
  name: planNameField,
  ratePerSec: boundedInt("Rate", planBounds.ratePerSec),
  burst: boundedInt("Burst", planBounds.burst),
  quotaPerDay: boundedInt("Daily quota", planBounds.quotaPerDay),
  apiGatewayUsagePlanId: z
    .string()
    .trim()
    .max(64, "At most 64 characters")
    .regex(/^[A-Za-z0-9]*$/, "Letters and digits only (an API Gateway usage plan id)")
    .transform((value) => value || null)
    .nullable()
    .default(null),
  priceUsdPerMonth: planPriceField,
});

export type PlanLimitsInput = z.infer<typeof planLimitsSchema>;
