// The demo fleet: a believable, deterministic catalog of storage instances,
// throttling plans, tenants and users. Pure: no I/O, no clock, no Math.random.
import { prng } from "../lib/random";
import { nameKey } from "../lib/validation/names";
import { keyPrefixFor, type DeploymentModelValue, type RoleValue, type TierValue } from "../lib/catalog/vocabulary";

export interface DemoPlan {
  id: string;
  name: string;
  defaultFor: TierValue | null;
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
  /** What the SaaS charges a tenant on the plan a month, in US cents (the cost page compares it with the estimate); null: not priced. */
  priceCentsPerMonth: number | null;
}

/**
 * The four tiers of the AWS SaaS Factory reference usage plans: its rates and
 * bursts as they are; its daily quotas (1,000 / 3,000 / 5,000 / 10,000, sized
 * for a demo API) times 1,000, because storage requests per tenant run far
 * higher than API calls: at the reference quota a basic tenant making one
 * request a second would be cut off for the day after 17 minutes.
 */
export const demoPlans: DemoPlan[] = [
  { id: "basic", name: "Basic", defaultFor: "basic", ratePerSec: 50, burst: 50, quotaPerDay: 1_000_000, priceCentsPerMonth: 500 },
  {
    id: "standard",
    name: "Standard",
    defaultFor: "standard",
    ratePerSec: 75,
    burst: 100,
    quotaPerDay: 3_000_000,
    priceCentsPerMonth: 1_500,
  },
  { id: "premium", name: "Premium", defaultFor: "premium", ratePerSec: 100, burst: 200, quotaPerDay: 5_000_000, priceCentsPerMonth: 4_900 },
  {
    id: "enterprise",
    name: "Enterprise",
    defaultFor: "enterprise",
    ratePerSec: 300,
    burst: 300,
    quotaPerDay: 10_000_000,
    priceCentsPerMonth: 19_900,
  },
  // No tier's default: the plan an operator moves a tenant to when it must be held back (trial, unpaid invoice, abuse).
  { id: "restricted", name: "Restricted", defaultFor: null, ratePerSec: 10, burst: 20, quotaPerDay: 200_000, priceCentsPerMonth: null },
];

export interface DemoInstance {
  id: string;
  tableName: string;
  mode: "pool" | "silo";
  capacityMode: "provisioned" | "on_demand";
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  region: string;
  createdAt: Date;
}

export interface DemoTenant {
  id: string;
  name: string;
  tier: TierValue;
  deploymentModel: DeploymentModelValue;
  status: "active" | "suspended" | "provisioning";
  planId: string;
  storageInstanceId: string;
  keyPrefix: string;
  bridgeEntity: string | null;
  bridgeInstanceId: string | null;
  contactEmail: string;
  createdAt: Date;
}

export interface DemoUser {
  email: string;
  name: string;
  role: RoleValue;
  /** Documented demo credentials, printed by `npm run demo`; never used outside the demo and tests. */
  password: string;
}

export const demoUsers: DemoUser[] = [
  { email: "admin@example.com", name: "Ada Admin", role: "admin", password: "demo-admin-pass" },
  { email: "operator@example.com", name: "Omar Operator", role: "operator", password: "demo-operator-pass" },
  { email: "support@example.com", name: "Sofia Support", role: "support", password: "demo-support-pass" },
];

/** Fixed reference time: the fleet's dates do not move between runs. */
const fleetEpoch = Date.UTC(2026, 9, 1);
const day = 24 * 60 * 60 * 1000;

export { prng };

export const demoPools: DemoInstance[] = (
  [
    // Sized for the synthetic workload (local/workload): about twice its usual demand, so one noisy tenant can overrun pool-use1-02.
    { id: "pool-use1-01", region: "us-east-1", capacityMode: "provisioned", readUnitsPerSec: 80, writeUnitsPerSec: 40 },
    { id: "pool-use1-02", region: "us-east-1", capacityMode: "provisioned", readUnitsPerSec: 60, writeUnitsPerSec: 30 },
    { id: "pool-use1-03", region: "us-east-1", capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 },
    { id: "pool-euw1-01", region: "eu-west-1", capacityMode: "provisioned", readUnitsPerSec: 50, writeUnitsPerSec: 25 },
  ] as const
).map((pool, i) => ({
  ...pool,
  mode: "pool" as const,
  tableName: `tsc-${pool.id}`,
  createdAt: new Date(fleetEpoch - (700 - i * 90) * day),
}));

// [name, tier]; a few bridge tenants are premium tenants with a siloed heavy entity.
const namedTenants: [string, TierValue, ("bridge" | undefined)?][] = [
  ["Acme Logistics", "basic"],
  ["Northwind Traders", "standard"],
  ["Globex Corporation", "enterprise"],
  ["Initech", "basic"],
  ["Umbrella Health", "premium"],
  ["Stark Analytics", "enterprise"],
  ["Wayne Freight", "premium", "bridge"],
  ["Hooli Cloud", "standard"],
  ["Pied Piper", "basic"],
  ["Soylent Foods", "standard"],
  ["Tyrell Robotics", "premium"],
  ["Cyberdyne Systems", "enterprise"],
  ["Wonka Confectionery", "basic"],
  ["Gringotts Ledger", "premium", "bridge"],
  ["Oceanic Airlines", "standard"],
  ["Vandelay Industries", "basic"],
  ["Dunder Mifflin Paper", "basic"],
  ["Blue Sun Retail", "standard"],
  ["Monarch Outfitters", "basic"],
  ["Massive Dynamic", "enterprise"],
  ["Café Lumière", "basic"],
  ["Müller Logistik GmbH", "standard"],
  ["株式会社さくら", "premium"],
  ["شركة النخيل للتجارة", "standard"],
  ["Nordlys Energi AS", "basic"],
  ["São Paulo Pagamentos", "standard"],
  ["Zürich Rückversicherung", "premium", "bridge"],
  ["Kowalski & Synowie", "basic"],
  ["Brightline Dental", "basic"],
  ["Copperleaf Learning", "standard"],
  ["Evergreen Property", "basic"],
  ["Fjord Fisheries", "basic"],
  ["Granite Payroll", "standard"],
  ["Harbor Insurance", "premium"],
  ["Ironclad Security", "standard"],
  ["Juniper Travel", "basic"],
  ["Keystone Clinics", "standard"],
  ["Lighthouse Media", "basic"],
  ["Meridian Banking", "enterprise"],
  ["Nimbus Weather", "basic"],
  ["Orchard Grocers", "standard"],
  ["Pinnacle Events", "basic"],
  ["Quartz Legal", "standard"],
  ["Redwood Construction", "basic"],
  ["Saffron Kitchens", "basic"],
  ["Tidewater Shipping", "standard"],
  ["Upland Farms", "basic"],
  ["Vertex Telecom", "premium"],
  ["Willow Pet Care", "basic"],
  ["Xenon Labs", "standard"],
  ["Yellowstone Outdoors", "basic"],
  ["Zephyr Mobility", "standard"],
  ["Atlas Manufacturing", "standard"],
  ["Beacon Nonprofit Network", "basic"],
  ["Cobalt Mining", "premium"],
  ["Delta Dental Partners", "basic"],
  ["Ember Fitness", "basic"],
  ["Falcon Couriers", "standard"],
  ["Gemstone Jewelers", "basic"],
  ["Helix Genomics", "enterprise"],
];

export function slugFor(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return ascii.length >= 3 ? ascii.slice(0, 50).replace(/-+$/, "") : "";
}

const nonLatinIds: Record<string, string> = {
  株式会社さくら: "sakura-kk",
  "شركة النخيل للتجارة": "al-nakheel-trading",
};

const bridgeEntity = "orders";

function siloInstance(tenantId: string, region: string, createdAt: Date): DemoInstance {
  return {
    id: `silo-${tenantId}`.slice(0, 63).replace(/-+$/, ""),
    tableName: `tsc-silo-${tenantId}`,
    mode: "silo",
    capacityMode: "on_demand",
    readUnitsPerSec: 12_000,
    writeUnitsPerSec: 4_000,
    region,
    createdAt,
  };
}

export interface DemoFleet {
  plans: DemoPlan[];
  instances: DemoInstance[];
  tenants: DemoTenant[];
  users: DemoUser[];
}

/** About 60 named tenants: basic and standard pooled, premium and enterprise siloed, three premium bridges. */
export function generateFleet(seed = 42): DemoFleet {
  const random = prng(seed);
  const instances: DemoInstance[] = [...demoPools];
  const tenants: DemoTenant[] = namedTenants.map(([name, tier, bridge], i) => {
    const id = nonLatinIds[name] ?? slugFor(name);
    const createdAt = new Date(fleetEpoch - Math.floor(random() * 700 + 5) * day);
    const pool = demoPools[Math.floor(random() * demoPools.length)]!;
    const siloed = (tier === "premium" || tier === "enterprise") && !bridge;
    const model: DeploymentModelValue = bridge ? "bridge" : siloed ? "silo" : "pool";
    let storageInstanceId = pool.id;
    let bridgeInstanceId: string | null = null;
    if (model === "silo") {
      const silo = siloInstance(id, pool.region, createdAt);
      instances.push(silo);
      storageInstanceId = silo.id;
    } else if (model === "bridge") {
      const silo = siloInstance(id, pool.region, createdAt);
      instances.push(silo);
      bridgeInstanceId = silo.id;
    }
    const roll = random();
    return {
      id,
      name,
      tier,
      deploymentModel: model,
      status: i % 17 === 9 ? "suspended" : roll > 0.97 ? "provisioning" : "active",
      planId: tier,
      storageInstanceId,
      keyPrefix: keyPrefixFor(id),
      bridgeEntity: model === "bridge" ? bridgeEntity : null,
      bridgeInstanceId,
      contactEmail: `ops@${id}.example`,
      createdAt,
    };
  });
  return { plans: demoPlans, instances, tenants, users: demoUsers };
}

const syllables = [
  "ab",
  "ar",
  "bel",
  "cor",
  "dan",
  "el",
  "fen",
  "gal",
  "hor",
  "is",
  "jun",
  "kel",
  "lum",
  "mar",
  "nor",
  "or",
  "pel",
  "quin",
  "ros",
  "sol",
  "tor",
  "ul",
  "val",
  "wen",
  "xan",
  "yor",
  "zel",
];
const suffixes = ["Labs", "Logistics", "Health", "Retail", "Media", "Systems", "Foods", "Travel", "Finance", "Studios", "Works", "Energy"];

/**
 * `count` synthetic pooled tenants for scale tests and benchmarks, spread over
 * the given pools with the basic and standard plans; ids are `t<n>-<name>`.
 */
export function generateTenants(count: number, seed: number, poolIds: string[]): DemoTenant[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const taken = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const word = `${pick(syllables)}${pick(syllables)}${pick(syllables)}`;
    let name = `${word[0]!.toUpperCase()}${word.slice(1)} ${pick(suffixes)}`;
    // Tenant names are unique as a reader sees them; the odd repeat gets its number.
    if (taken.has(nameKey(name))) name = `${name} ${i}`;
    taken.add(nameKey(name));
    const id = `t${i}-${slugFor(name)}`.slice(0, 63).replace(/-+$/, "");
    const tier: TierValue = random() < 0.7 ? "basic" : "standard";
    return {
      id,
      name,
      tier,
      deploymentModel: "pool",
      status: random() < 0.95 ? "active" : "suspended",
      planId: tier,
      storageInstanceId: pick(poolIds),
      keyPrefix: keyPrefixFor(id),
      bridgeEntity: null,
      bridgeInstanceId: null,
      contactEmail: `ops@${id}.example`,
      createdAt: new Date(fleetEpoch - Math.floor(random() * 700) * day),
    };
  });
}
