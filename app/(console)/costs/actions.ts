"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { priceOverrideInput, priceResetInput, resetPriceOverride, setPriceOverride } from "@/lib/cost/requests";

const target = (input: { region?: unknown; item?: unknown }) => ({
  type: "price",
  id: typeof input.region === "string" && typeof input.item === "string" ? `${input.region}/${input.item}` : null,
});

export const overridePriceAction = defineAction({
  name: "prices.override",
  permission: "prices.manage",
  input: priceOverrideInput,
  target,
  run: async (ctx, input) => {
    const result = await setPriceOverride(ctx, input);
    revalidatePath("/costs");
    return result;
  },
});

export const resetPriceAction = defineAction({
  name: "prices.reset",
  permission: "prices.manage",
  input: priceResetInput,
  target,
  run: async (ctx, input) => {
    const result = await resetPriceOverride(ctx, input);
    revalidatePath("/costs");
    return result;
  },
});
