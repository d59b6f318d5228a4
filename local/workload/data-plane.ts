// The synthetic tenants' application: reads each tenant's routing record (at
// most routingCacheTtlMs old), runs the admission model, then performs the
// served requests for real against the tenant's table(s), timing each call.
import {
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { prng } from "../../lib/random";
import { isServing, routingCacheTtlMs, type RoutingRecord } from "../../lib/routing/record";
import { scanRoutingRecords } from "../../lib/routing/routing-table";
import { assertTenantOwnsKey, itemIdFor, partitionKeyFor, tenantEntities, type TenantEntity } from "../../lib/storage/tenant-items";
import { FleetModel, routesFor, type InstanceCapacity } from "./model/fleet-model";
import { itemSizeBytes, readUnits, writeUnits } from "./model/item-size";
import type { TenantProfile } from "./model/traffic";
import { type MetricWindow, type StoredData } from "./metric-window";
import { profileFor, type Scenario } from "./scenario";

/** AWS's documented starting throughput for on-demand tables, used when a table states no maximum. */
const onDemandDefault: InstanceCapacity = { readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 };
const capacityRefreshMs = 30_000;

export interface DataPlaneOptions {
  dynamoDb: (region: string) => DynamoDBClient;
  routingTable: string;
  scenario: Scenario;
  /** When the scenario began: growth is measured from here. */
  originMs: number;
  seed: number;
  /** Calls in flight at once. */
  concurrency?: number;
  /** Spread each tick's calls over the tick, as real traffic arrives (default); tests run them back to back. */
  spreadCalls?: boolean;
}

export interface TickStats {
  operations: number;
  failures: number;
  /** How long the tick's calls took, ms (a tick longer than its interval means the data plane cannot keep up). */
  elapsedMs: number;
}

interface TenantData {
  /** Items per entity partition; new ids are appended, so the count is also the next id. */
  itemsPerEntity: Map<string, number>;
  bytes: number;
}

const tableKey = (region: string, tableName: string) => `${region}/${tableName}`;

export class DataPlane {
  private readonly random: () => number;
  private readonly model: FleetModel;
  private records: RoutingRecord[] = [];
  private routingReadAt = -Infinity;
  private readonly profiles = new Map<string, TenantProfile>();
  private readonly capacities = new Map<string, InstanceCapacity>();
  private capacityReadAt = -Infinity;
  private readonly data = new Map<string, TenantData>();
  private readonly scannedTables = new Set<string>();

  constructor(private readonly options: DataPlaneOptions) {
    this.random = prng(options.seed);
    this.model = new FleetModel(this.random, options.originMs, tenantEntities);
  }

  /** Re-reads routing when the cached copy is older than routingCacheTtlMs. */
  async refreshRouting(nowMs = Date.now(), force = false): Promise<RoutingRecord[]> {
    if (force || nowMs - this.routingReadAt >= routingCacheTtlMs) {
      this.records = await scanRoutingRecords(this.options.dynamoDb(defaultRoutingRegion(this.records)), this.options.routingTable);
      this.routingReadAt = nowMs;
      for (const record of this.records) {
        if (!this.profiles.has(record.tenantId)) this.profiles.set(record.tenantId, profileFor(record, this.options.scenario));
        // A tenant onboarded while we run: learn what its seed wrote before writing after it.
        if (this.scannedTables.size > 0 && !this.data.has(record.tenantId) && isServing(record)) await this.learnTenant(record);
      }
    }
    return this.records;
  }

  routing(): RoutingRecord[] {
    return this.records;
  }

  profilesByTenant(): Map<string, TenantProfile> {
    return this.profiles;
  }

  capacityOf(storageInstanceId: string): InstanceCapacity | undefined {
    return this.capacities.get(storageInstanceId);
  }

  /** Each table's capacity as DynamoDB reports it (provisioned units, or the on-demand maximum). */
  async refreshCapacity(nowMs = Date.now()): Promise<void> {
    if (nowMs - this.capacityReadAt < capacityRefreshMs) return;
    this.capacityReadAt = nowMs;
    const seen = new Map<string, { region: string; tableName: string }>();
    for (const record of this.records) {
      for (const route of routesFor(record, tenantEntities)) seen.set(route.storageInstanceId, route);
    }
    await Promise.all(
      [...seen].map(async ([instanceId, { region, tableName }]) => {
        try {
          const { Table } = await this.options.dynamoDb(region).send(new DescribeTableCommand({ TableName: tableName }));
          const provisioned = Table?.ProvisionedThroughput;
          const onDemand = Table?.OnDemandThroughput;
          if (Table?.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST" || !provisioned?.ReadCapacityUnits) {
            this.capacities.set(instanceId, {
              readUnitsPerSec: onDemand?.MaxReadRequestUnits && onDemand.MaxReadRequestUnits > 0 ? onDemand.MaxReadRequestUnits : onDemandDefault.readUnitsPerSec,
              writeUnitsPerSec: onDemand?.MaxWriteRequestUnits && onDemand.MaxWriteRequestUnits > 0 ? onDemand.MaxWriteRequestUnits : onDemandDefault.writeUnitsPerSec,
            });
          } else {
            this.capacities.set(instanceId, { readUnitsPerSec: provisioned.ReadCapacityUnits, writeUnitsPerSec: provisioned.WriteCapacityUnits ?? 1 });
          }
        } catch {
          this.capacities.delete(instanceId);
        }
      }),
    );
  }

  /** Learns how many items each tenant already has (after a restart), one scan per table. */
  async scanStoredData(): Promise<void> {
    const tables = new Map<string, { region: string; tableName: string }>();
    for (const record of this.records) for (const route of routesFor(record, tenantEntities)) tables.set(tableKey(route.region, route.tableName), route);
    const prefixes = new Map(this.records.map((r) => [r.keyPrefix, r.tenantId]));
    for (const [key, { region, tableName }] of tables) {
      if (this.scannedTables.has(key)) continue;
      this.scannedTables.add(key);
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.options.dynamoDb(region).send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ProjectionExpression: "pk, sk, #b", ExpressionAttributeNames: { "#b": "bytes" } }));
        for (const item of page.Items ?? []) {
          const pk = item.pk?.S ?? "";
          const separator = pk.indexOf("#");
          const tenantId = prefixes.get(pk.slice(0, separator + 1));
          if (!tenantId) continue;
          const data = this.dataFor(tenantId);
          const entity = pk.slice(separator + 1);
          data.itemsPerEntity.set(entity, Math.max(data.itemsPerEntity.get(entity) ?? 0, Number(item.sk?.S ?? 0) + 1));
          data.bytes += Number(item.bytes?.N ?? 0);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  }

  private async learnTenant(record: RoutingRecord): Promise<void> {
    const data = this.dataFor(record.tenantId);
    for (const route of routesFor(record, tenantEntities)) {
      for (const entity of route.entities as readonly TenantEntity[]) {
        const page = await this.options.dynamoDb(route.region).send(
          new QueryCommand({ TableName: route.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: partitionKeyFor(record.keyPrefix, entity) } }, Select: "COUNT" }),
        );
        data.itemsPerEntity.set(entity, page.Count ?? 0);
      }
    }
  }

  private dataFor(tenantId: string): TenantData {
    let data = this.data.get(tenantId);
    if (!data) {
      data = { itemsPerEntity: new Map(), bytes: 0 };
      this.data.set(tenantId, data);
    }
    return data;
  }

  storedData(): Map<string, StoredData> {
    const out = new Map<string, StoredData>();
    for (const record of this.records) {
      if (!isServing(record)) continue;
      const data = this.data.get(record.tenantId);
      const items = data ? [...data.itemsPerEntity.values()].reduce((a, b) => a + b, 0) : 0;
      out.set(record.tenantId, { items, bytes: data?.bytes ?? 0 });
    }
    return out;
  }

  /** One live interval: the model decides, then the served calls run for real. Counters go into `window`. */
  async tick(nowMs: number, seconds: number, window: MetricWindow): Promise<TickStats> {
    const started = performance.now();
    await this.refreshRouting(nowMs);
    await this.refreshCapacity(nowMs);
    const records = new Map(this.records.map((r) => [r.tenantId, r]));
    const { tenants } = this.model.interval(this.records, this.profiles, (id) => this.capacities.get(id), nowMs, seconds);

    const calls: (() => Promise<void>)[] = [];
    let failures = 0;
    for (const result of tenants) {
      const record = records.get(result.tenantId)!;
      const profile = this.profiles.get(result.tenantId)!;
      const counters = window.countRequests(result.tenantId, record.placement.storageInstanceId, result);
      for (const served of result.served) {
        const instance = window.instance(served.route.storageInstanceId);
        const entities = served.route.entities as readonly TenantEntity[];
        for (let i = 0; i < served.reads + served.writes; i++) {
          const isRead = i < served.reads;
          const entity = entities[Math.floor(this.random() * entities.length)]!;
          const useQuery = isRead && this.random() < 0.2;
          calls.push(async () => {
            const began = performance.now();
            if (served.queueDelayMs >= 0.5) await sleep(served.queueDelayMs * (0.5 + this.random()));
            try {
              const units = isRead
                ? await this.read(record, profile, served.route.region, served.route.tableName, entity, useQuery)
                : await this.write(record, profile, served.route.region, served.route.tableName, entity);
              const latency = performance.now() - began;
              counters.latency.add(latency);
              instance.latency.add(latency);
              if (isRead) {
                counters.readUnits += units;
                instance.readUnits += units;
              } else {
                counters.writeUnits += units;
                instance.writeUnits += units;
              }
            } catch {
              failures++;
            }
          });
        }
      }
    }
    // Interleave tenants, as their requests arrive at the same time.
    for (let i = calls.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [calls[i], calls[j]] = [calls[j]!, calls[i]!];
    }
    await runSpread(calls, this.options.spreadCalls === false ? 0 : seconds * 1000, this.options.concurrency ?? 32);
    return { operations: calls.length, failures, elapsedMs: performance.now() - started };
  }

  private async read(record: RoutingRecord, profile: TenantProfile, region: string, tableName: string, entity: TenantEntity, useQuery: boolean): Promise<number> {
    const pk = partitionKeyFor(record.keyPrefix, entity);
    const known = this.dataFor(record.tenantId).itemsPerEntity.get(entity) ?? 0;
    const client = this.options.dynamoDb(region);
    if (useQuery) {
      // Tenant-scoped by construction: the key condition is the tenant's own partition.
      const result = await client.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: pk } }, Limit: 10, ReturnConsumedCapacity: "TOTAL" }));
      return result.ConsumedCapacity?.CapacityUnits ?? readUnits((result.Count ?? 0) * profile.itemBytes, false);
    }
    const sk = itemIdFor(Math.floor(this.random() * Math.max(known, 1)));
    const result = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ReturnConsumedCapacity: "TOTAL" }));
    return result.ConsumedCapacity?.CapacityUnits ?? readUnits(result.Item ? itemSizeBytes(result.Item) : 1, false);
  }

  private async write(record: RoutingRecord, profile: TenantProfile, region: string, tableName: string, entity: TenantEntity): Promise<number> {
    const data = this.dataFor(record.tenantId);
    const known = data.itemsPerEntity.get(entity) ?? 0;
    const perEntityLimit = Math.ceil(profile.maxItems / tenantEntities.length);
    const insert = known < perEntityLimit && (known === 0 || this.random() < 0.3);
    const id = insert ? known : Math.floor(this.random() * known);
    const item: Record<string, AttributeValue> = {
      pk: { S: partitionKeyFor(record.keyPrefix, entity) },
      sk: { S: itemIdFor(id) },
      tenantId: { S: record.tenantId },
      entity: { S: entity },
      updatedAt: { N: String(Date.now()) },
      payload: { S: "" },
    };
    const padding = Math.max(0, profile.itemBytes - itemSizeBytes(item) - 12);
    item.payload = { S: "x".repeat(padding) };
    const bytes = itemSizeBytes(item) + 12;
    item.bytes = { N: String(bytes) };
    assertTenantOwnsKey(record.keyPrefix, record.tenantId, { pk: item.pk!.S!, tenantId: record.tenantId });
    const result = await this.options.dynamoDb(region).send(new PutItemCommand({ TableName: tableName, Item: item, ReturnConsumedCapacity: "TOTAL" }));
    if (insert) {
      data.itemsPerEntity.set(entity, known + 1);
      data.bytes += bytes;
    }
    return result.ConsumedCapacity?.CapacityUnits ?? writeUnits(bytes);
  }
}

function defaultRoutingRegion(records: RoutingRecord[]): string {
  return process.env.AWS_REGION ?? records[0]?.placement.region ?? "us-east-1";
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts `calls` evenly over `spanMs` (as real traffic arrives), at most `concurrency` at once. */
async function runSpread(calls: (() => Promise<void>)[], spanMs: number, concurrency: number): Promise<void> {
  if (calls.length === 0) return;
  const started = performance.now();
  const gap = spanMs / calls.length;
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      const due = started + index * gap * 0.9;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      await calls[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
}
