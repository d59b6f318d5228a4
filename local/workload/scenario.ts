// Which traffic shape each tenant gets. Tenants named in the scenario file get
// exactly what it says; the others get a shape and size derived from their id
// and plan, so the same fleet always behaves the same way.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { hashString, prng } from "../../lib/random";
import type { RoutingRecord } from "../../lib/routing/record";
import type { TenantProfile, TrafficShape } from "./model/traffic";

const shapeSchema: z.ZodType<TrafficShape> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("steady") }),
  z.object({ kind: z.literal("daily"), amplitude: z.number().min(0).max(1), peakHourUtc: z.number().min(0).max(24) }),
  z.object({
    kind: z.literal("bursty"),
    burstFactor: z.number().min(1),
    burstsPerHour: z.number().min(0),
    burstSeconds: z.number().int().min(1),
  }),
  z.object({ kind: z.literal("growing"), doublingHours: z.number().positive(), maxFactor: z.number().min(1) }),
  z.object({
    kind: z.literal("noisy"),
    noisyRate: z.number().min(0),
    periodSeconds: z.number().int().min(1),
    activeSeconds: z.number().int().min(1),
    phaseSeconds: z.number().int().min(0).default(0),
  }),
]);

const overrideSchema = z.object({
  shape: shapeSchema.optional(),
  baseRate: z.number().min(0).optional(),
  readRatio: z.number().min(0).max(1).optional(),
  itemBytes: z.number().int().min(50).max(400_000).optional(),
  maxItems: z.number().int().min(1).optional(),
});

export const scenarioSchema = z.object({
  /** Base demand as a share of the plan's rate limit, drawn per tenant in [min, max]. */
  baseShareOfPlanRate: z.tuple([z.number().min(0), z.number().min(0)]).default([0.01, 0.05]),
  tenants: z.record(z.string(), overrideSchema).default({}),
});

export type Scenario = z.infer<typeof scenarioSchema>;

export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`workload scenario ${file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = scenarioSchema.safeParse(raw);
  if (!result.success)
    throw new Error(`workload scenario ${file}: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return result.data;
}

function derivedShape(random: () => number): TrafficShape {
  const roll = random();
  if (roll < 0.5) return { kind: "daily", amplitude: 0.4 + random() * 0.5, peakHourUtc: Math.floor(8 + random() * 12) };
  if (roll < 0.7) return { kind: "steady" };
  if (roll < 0.9)
    return { kind: "bursty", burstFactor: 3 + Math.floor(random() * 5), burstsPerHour: 2 + Math.floor(random() * 4), burstSeconds: 60 };
  return { kind: "growing", doublingHours: 6 + Math.floor(random() * 18), maxFactor: 8 };
}

export function profileFor(record: Pick<RoutingRecord, "tenantId" | "ratePerSec">, scenario: Scenario): TenantProfile {
  const random = prng(hashString(record.tenantId));
  const [low, high] = scenario.baseShareOfPlanRate;
  const derived: TenantProfile = {
    tenantId: record.tenantId,
    shape: derivedShape(random),
    baseRate: Math.round(record.ratePerSec * (low + random() * (high - low)) * 100) / 100,
    readRatio: Math.round((0.55 + random() * 0.35) * 100) / 100,
    itemBytes: 300 + Math.floor(random() * 1200),
    maxItems: 200 + Math.floor(record.ratePerSec * 8 * (0.5 + random())),
  };
  const override = scenario.tenants[record.tenantId];
  return override ? { ...derived, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) } : derived;
}
