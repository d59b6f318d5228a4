// The price table the cost estimates use: one versioned table of AWS list
// prices per region, each price with its source and dates, and the overrides
// an admin sets on top (PriceOverride rows, audited). Pure: no I/O.
//
// These figures were entered from AWS's public pricing pages as the team knew
// them (on-demand prices after the 1 November 2024 reduction); they were NOT
// re-read online when recorded, since this console is built on a machine with
// no internet. An admin who finds one out of date overrides it on /costs, with
// a reason, and the estimate says which prices were overridden.

/** Bump when a price below changes; the estimate names the version it used. */
export const priceTableVersion = "2026-12-02";

/** When the figures were written into this table (from the team's reference; not re-read online). */
export const recordedOn = "2026-12-02";

/** DynamoDB bills every item's size plus this many bytes of overhead (primary key and index bookkeeping). */
export const itemOverheadBytes = 100;
/** DynamoDB and CloudWatch bill a "GB" of 2^30 bytes. */
export const bytesPerGb = 2 ** 30;

export const priceItems = {
  onDemandRead: { label: "On-demand reads", unit: "per million read request units" },
  onDemandWrite: { label: "On-demand writes", unit: "per million write request units" },
  provisionedRead: { label: "Provisioned read capacity", unit: "per RCU-hour" },
  provisionedWrite: { label: "Provisioned write capacity", unit: "per WCU-hour" },
  storage: { label: "Table storage", unit: "per GB-month" },
  pointInTime: { label: "Point-in-time recovery", unit: "per GB-month" },
  backup: { label: "On-demand backups", unit: "per GB-month" },
  customMetric: { label: "CloudWatch custom metrics", unit: "per metric-month" },
  getMetricData: { label: "CloudWatch GetMetricData", unit: "per 1,000 metrics requested" },
  putMetricData: { label: "CloudWatch PutMetricData", unit: "per 1,000 requests" },
} as const;

export type PriceItem = keyof typeof priceItems;
export const priceItemKeys = Object.keys(priceItems) as PriceItem[];

export interface ListedPrice {
  usd: number;
  source: string;
  /** The date the price was published or took effect, as far as the source says. */
  effective: string;
}

const sources = {
  onDemand: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
  provisioned: "https://aws.amazon.com/dynamodb/pricing/provisioned/",
  cloudWatch: "https://aws.amazon.com/cloudwatch/pricing/",
} as const;

const listed = (usd: number, source: string, effective: string): ListedPrice => ({ usd, source, effective });

/** US East (N. Virginia). */
const usEast1: Record<PriceItem, ListedPrice> = {
  onDemandRead: listed(0.125, sources.onDemand, "2024-11-01"),
  onDemandWrite: listed(0.625, sources.onDemand, "2024-11-01"),
  provisionedRead: listed(0.00013, sources.provisioned, "2018-11-28"),
  provisionedWrite: listed(0.00065, sources.provisioned, "2018-11-28"),
  storage: listed(0.25, sources.onDemand, "2018-11-28"),
  pointInTime: listed(0.2, sources.onDemand, "2018-11-28"),
  backup: listed(0.1, sources.onDemand, "2018-11-28"),
  customMetric: listed(0.3, sources.cloudWatch, "2017-12-01"),
  getMetricData: listed(0.01, sources.cloudWatch, "2017-12-01"),
  putMetricData: listed(0.01, sources.cloudWatch, "2017-12-01"),
};

/**
 * List prices per region. Storage is priced past the free tier (the first 25 GB a month per account are free: the
 * estimate ignores it, as it belongs to the account, not a tenant); custom metrics at the first tier (the first 10,000
 * metrics; larger accounts pay less per metric past it).
 */
export const priceTable: Record<string, Record<PriceItem, ListedPrice>> = {
  "us-east-1": usEast1,
  // US West (Oregon) lists the same prices as US East (N. Virginia).
  "us-west-2": usEast1,
  // Europe (Ireland): DynamoDB about 13 % above US East; CloudWatch the same.
  "eu-west-1": {
    onDemandRead: listed(0.1413, sources.onDemand, "2024-11-01"),
    onDemandWrite: listed(0.7068, sources.onDemand, "2024-11-01"),
    provisionedRead: listed(0.000147, sources.provisioned, "2018-11-28"),
    provisionedWrite: listed(0.000735, sources.provisioned, "2018-11-28"),
    storage: listed(0.283, sources.onDemand, "2018-11-28"),
    pointInTime: listed(0.226, sources.onDemand, "2018-11-28"),
    backup: listed(0.113, sources.onDemand, "2018-11-28"),
    customMetric: listed(0.3, sources.cloudWatch, "2017-12-01"),
    getMetricData: listed(0.01, sources.cloudWatch, "2017-12-01"),
    putMetricData: listed(0.01, sources.cloudWatch, "2017-12-01"),
  },
};

export const pricedRegions = Object.keys(priceTable);
/** A region the table does not list is priced as this one, and the estimate says so. */
export const fallbackRegion = "us-east-1";

export interface Override {
  region: string;
  item: string;
  usd: number;
  reason: string;
  setByEmail: string;
  updatedAt: Date;
}

export interface EffectivePrice extends ListedPrice {
  item: PriceItem;
  /** The listed price, when an admin's override replaced it. */
  listedUsd: number;
  override: Omit<Override, "region" | "item"> | null;
}

export interface RegionPrices {
  region: string;
  /** The table's region whose list prices apply (the region itself, or the fallback). */
  listedAs: string;
  version: string;
  prices: Record<PriceItem, EffectivePrice>;
}

export function isPriceItem(value: string): value is PriceItem {
  return Object.hasOwn(priceItems, value);
}

/** The prices that apply in a region: its list prices (or the fallback's), with the admin's overrides for that region on top. */
export function regionPrices(region: string, overrides: readonly Override[]): RegionPrices {
  const listedAs = Object.hasOwn(priceTable, region) ? region : fallbackRegion;
  const table = priceTable[listedAs]!;
  const prices = {} as Record<PriceItem, EffectivePrice>;
  for (const item of priceItemKeys) {
    const base = table[item];
    const override = overrides.find((o) => o.region === region && o.item === item) ?? null;
    prices[item] = {
      ...base,
      item,
      usd: override ? override.usd : base.usd,
      listedUsd: base.usd,
      override: override
        ? { usd: override.usd, reason: override.reason, setByEmail: override.setByEmail, updatedAt: override.updatedAt }
        : null,
    };
  }
  return { region, listedAs, version: priceTableVersion, prices };
}

/** The per-unit rates formulas multiply by (list prices are per million, per thousand…: divided out once here). */
export interface UnitRates {
  readUnit: number;
  writeUnit: number;
  readUnitHour: number;
  writeUnitHour: number;
  storageGbMonth: number;
  pointInTimeGbMonth: number;
  backupGbMonth: number;
  metricMonth: number;
  metricRequested: number;
  putRequest: number;
}

export function unitRates({ prices }: RegionPrices): UnitRates {
  return {
    readUnit: prices.onDemandRead.usd / 1e6,
    writeUnit: prices.onDemandWrite.usd / 1e6,
    readUnitHour: prices.provisionedRead.usd,
    writeUnitHour: prices.provisionedWrite.usd,
    storageGbMonth: prices.storage.usd,
    pointInTimeGbMonth: prices.pointInTime.usd,
    backupGbMonth: prices.backup.usd,
    metricMonth: prices.customMetric.usd,
    metricRequested: prices.getMetricData.usd / 1000,
    putRequest: prices.putMetricData.usd / 1000,
  };
}
