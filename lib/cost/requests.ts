// An admin's overrides of the price table (prices.manage): set a region's
// price of one item, or go back to the list price. Each change and its audit
// entry are written in one transaction; the reason is required and kept.
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { singleLine } from "../validation/fields";
import { isPriceItem, priceItems, pricedRegions, regionPrices, type PriceItem } from "./prices";

const regionField = z
  .string()
  .trim()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "Not an AWS region such as us-east-1");

const itemField = z
  .string()
  .refine(isPriceItem, "Not an item of the price table")
  .transform((value) => value as PriceItem);

export const priceOverrideInput = z.object({
  region: regionField,
  item: itemField,
  usd: z.coerce
    .number({ error: "The price must be a number" })
    .finite("The price must be a number")
    .min(0, "The price cannot be negative")
    .max(1_000_000, "At most 1,000,000 US dollars"),
  reason: singleLine({ max: 200, required: "Say why (the source you read, the date)" }),
});

export const priceResetInput = z.object({
  region: regionField,
  item: itemField,
  reason: singleLine({ max: 200, required: "Say why" }),
});

/** Regions an override may name: those the table lists and those of the fleet's storage instances. */
async function knownRegion(db: ActionContext["db"], region: string): Promise<void> {
  if (pricedRegions.includes(region)) return;
  const instance = await db.storageInstance.findFirst({ where: { region }, select: { id: true } });
  if (!instance)
    throw new ActionRefusal(`No storage instance is in ${region} and the price table does not list it.`, { region: ["Unknown region"] });
}

export async function setPriceOverride({ db, user }: ActionContext, input: z.infer<typeof priceOverrideInput>) {
  await knownRegion(db, input.region);
  const listed = regionPrices(input.region, []).prices[input.item];
  await db.$transaction([
    db.priceOverride.upsert({
      where: { region_item: { region: input.region, item: input.item } },
      create: { ...input, setById: user.id, setByEmail: user.email },
      update: { usd: input.usd, reason: input.reason, setById: user.id, setByEmail: user.email },
    }),
    db.auditEntry.create({
      data: auditEntry(user, {
        action: "prices.override",
        targetType: "price",
        targetId: `${input.region}/${input.item}`,
        parameters: { ...input, listedUsd: listed.listedUsd, unit: priceItems[input.item].unit },
        outcome: "succeeded",
      }),
    }),
  ]);
  return { data: undefined, message: `${priceItems[input.item].label} in ${input.region}: $${input.usd} ${priceItems[input.item].unit}.` };
}

export async function resetPriceOverride({ db, user }: ActionContext, input: z.infer<typeof priceResetInput>) {
  const existing = await db.priceOverride.findUnique({ where: { region_item: { region: input.region, item: input.item } } });
  if (!existing) throw new ActionRefusal(`${priceItems[input.item].label} in ${input.region} is not overridden.`);
  await db.$transaction([
    db.priceOverride.delete({ where: { region_item: { region: input.region, item: input.item } } }),
    db.auditEntry.create({
      data: auditEntry(user, {
        action: "prices.reset",
        targetType: "price",
        targetId: `${input.region}/${input.item}`,
        parameters: { ...input, overriddenUsd: existing.usd },
        outcome: "succeeded",
      }),
    }),
  ]);
  return { data: undefined, message: `${priceItems[input.item].label} in ${input.region} is back to the list price.` };
}
