// The synthetic tenants' application, written as a SaaS service would be: every
// storage call goes through the data-plane library (lib/data-plane), which
// reads routing, honours freezes, takes part in the readers protocol, stamps
// writes and publishes the metric contract. What stays here is the workload's
// own: the traffic and admission model (which requests are served, refused by
// the plan or by the instance's capacity, and how long they queue), the tables'
// capacity, and what each tenant has stored.
import { AsyncLocalStorage } from "node:async_hooks";
import { DescribeTableCommand, QueryCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { itemSizeBytes } from "../../lib/data-plane/capacity-units";
import {
  createDataPlane,
  TenantUnavailableError,
  TenantWriteFrozenError,
  type DataPlane as Library,
  type TenantClient,
} from "../../lib/data-plane";
import type { MetricsOptions } from "../../lib/data-plane/metrics";
import type { StoredData } from "../../lib/data-plane/metric-window";
import { toAttributeValues, type Item } from "../../lib/data-plane/values";
import { prng } from "../../lib/random";
import { isServing, type RoutingRecord } from "../../lib/routing/record";
import { entityPartition } from "../../lib/storage/key-scheme";
import { itemIdFor, tenantEntities, type TenantEntity } from "../../lib/storage/tenant-items";
import { FleetModel, routesFor, type InstanceCapacity } from "./model/fleet-model";
import type { TenantProfile } from "./model/traffic";
import { profileFor, type Scenario } from "./scenario";

/** AWS's documented starting throughput for on-demand tables, used when a table states no maximum. */
const onDemandDefault: InstanceCapacity = { readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 };
const capacityRefreshMs = 30_000;

export interface DataPlaneOptions {
  dynamoDb: (region: string) => DynamoDBClient;
  routingTable: string;
  /** The region of the routing and readers tables (default AWS_REGION, else us-east-1). */
  region?: string;
  /** Per-tenant metrics, published by the library (default off). */
  metrics?: MetricsOptions;
  scenario: Scenario;
  /** When the scenario began: growth is measured from here. */
  originMs: number;
  seed: number;
  /** Calls in flight at once. */
  concurrency?: number;
  /** Spread each tick's calls over the tick, as real traffic arrives (default); tests run them back to back. */
  spreadCalls?: boolean;
  /** Take part in the readers protocol (lib/routing/readers.ts) under this id, in this table; without it the library does not. */
  reader?: { readerId: string; tableName: string };
  /** Called for every write DynamoDB acknowledged (tests check none is lost). */
  onWriteAcknowledged?: (
    tenantId: string,
    item: Record<string, AttributeValue>,
    where: { tableName: string; routingVersion: number },
  ) => void;
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

/** The storage's queueing the model decided for the call under way (the instance answers later when busy). */
const queueing = new AsyncLocalStorage<number>();
const queued = new WeakSet<DynamoDBClient>();

/** The client with the model's queueing delay applied before each call the workload makes through it. */
function withQueueing(client: DynamoDBClient): DynamoDBClient {
  if (queued.has(client)) return client;
  queued.add(client);
  client.middlewareStack.add(
    (next) => async (args) => {
      const delayMs = queueing.getStore();
      if (delayMs !== undefined && delayMs >= 0.5) await sleep(delayMs);
      return next(args);
    },
    { step: "initialize", name: "workloadQueueing" },
  );
  return client;
}

export class DataPlane {
  private readonly random: () => number;
  private readonly model: FleetModel;
  /** The data-plane library, exactly as a customer's service uses it. */
  readonly library: Library;
  private records: RoutingRecord[] = [];
  private readonly profiles = new Map<string, TenantProfile>();
  private readonly capacities = new Map<string, InstanceCapacity>();
  private capacityReadAt = -Infinity;
  private readonly data = new Map<string, TenantData>();
  private readonly scannedTables = new Set<string>();

  constructor(private readonly options: DataPlaneOptions) {
    this.random = prng(options.seed);
    this.model = new FleetModel(this.random, options.originMs, tenantEntities);
    this.library = createDataPlane({
      routingTable: options.routingTable,
      readersTable: options.reader?.tableName ?? null,
      readerId: options.reader?.readerId,
      region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
      clientFor: (region) => withQueueing(options.dynamoDb(region)),
      // The model refuses writes it knows are frozen; one that meets a freeze mid-interval is refused at once, as before.
      freeze: { waitMs: 0 },
      // The model admits by plan (and by the instance's capacity) itself.
      enforcement: "off",
      metrics: options.metrics ?? { mode: "off" },
    });
  }

  /** The routing records (the library's scan, re-read when older than routingCacheTtlMs, or now when `force`). */
  async refreshRouting(_nowMs = Date.now(), force = false): Promise<RoutingRecord[]> {
    this.records = await this.library.tenants({ fresh: force });
    for (const record of this.records) {
      if (!this.profiles.has(record.tenantId)) this.profiles.set(record.tenantId, profileFor(record, this.options.scenario));
      // A tenant onboarded while we run: learn what its seed wrote before writing after it.
      if (this.scannedTables.size > 0 && !this.data.has(record.tenantId) && isServing(record)) await this.learnTenant(record);
    }
    return this.records;
  }

  routing(): RoutingRecord[] {
    return this.records;
  }

  /** Re-reads moving tenants' records and publishes this reader's state now (the library's background loop does it every 50 ms). */
  async refreshMoving(nowMs = Date.now()): Promise<void> {
    await this.library.syncRouting(nowMs);
  }

  acknowledgements(): Record<string, number> {
    return this.library.acknowledgements();
  }

  writesLandingFrom(nowMs = Date.now()): Record<string, number> {
    return this.library.writesLandingFrom(nowMs);
  }

  /**
   * The stamp of the tenant's oldest write still in flight (Infinity when none): every write stamped before it has
   * been answered, its acknowledgement (onWriteAcknowledged) included. Tests wait on it instead of a fixed pause.
   */
  oldestWriteInFlight(tenantId: string): number {
    return this.library.oldestWriteInFlight(tenantId);
  }

  /** Publishes the metrics counted so far (stamped `timestampMs`). */
  flushMetrics(timestampMs?: number): Promise<void> {
    return this.library.flushMetrics(timestampMs);
  }

  /** Stops the library's loop and publishes its last metrics. */
  close(): Promise<void> {
    return this.library.close();
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
              readUnitsPerSec:
                onDemand?.MaxReadRequestUnits && onDemand.MaxReadRequestUnits > 0
                  ? onDemand.MaxReadRequestUnits
                  : onDemandDefault.readUnitsPerSec,
              writeUnitsPerSec:
                onDemand?.MaxWriteRequestUnits && onDemand.MaxWriteRequestUnits > 0
                  ? onDemand.MaxWriteRequestUnits
                  : onDemandDefault.writeUnitsPerSec,
            });
          } else {
            this.capacities.set(instanceId, {
              readUnitsPerSec: provisioned.ReadCapacityUnits,
              writeUnitsPerSec: provisioned.WriteCapacityUnits ?? 1,
            });
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
    for (const record of this.records)
      for (const route of routesFor(record, tenantEntities)) tables.set(tableKey(route.region, route.tableName), route);
    const prefixes = new Map(this.records.map((r) => [r.keyPrefix, r.tenantId]));
    for (const [key, { region, tableName }] of tables) {
      if (this.scannedTables.has(key)) continue;
      this.scannedTables.add(key);
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.options.dynamoDb(region).send(
          new ScanCommand({
            TableName: tableName,
            ExclusiveStartKey: startKey,
            ProjectionExpression: "pk, sk, #b",
            ExpressionAttributeNames: { "#b": "bytes" },
          }),
        );
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
          new QueryCommand({
            TableName: route.tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": { S: entityPartition(record.keyScheme, record.tenantId, entity) } },
            Select: "COUNT",
          }),
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

  /** One live interval: the model decides, then the served calls run for real through the library. */
  async tick(nowMs: number, seconds: number): Promise<TickStats> {
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
      const tenant = this.library.forTenant(result.tenantId);
      await tenant.recordRefused({ plan: result.planThrottled, capacity: result.capacityThrottled }).catch(() => undefined);
      for (const served of result.served) {
        const entities = served.route.entities as readonly TenantEntity[];
        for (let i = 0; i < served.reads + served.writes; i++) {
          const isRead = i < served.reads;
          const entity = entities[Math.floor(this.random() * entities.length)]!;
          const useQuery = isRead && this.random() < 0.2;
          const queueDelayMs = served.queueDelayMs * (0.5 + this.random());
          calls.push(async () => {
            try {
              await queueing.run(queueDelayMs, () =>
                isRead ? this.read(tenant, record, entity, useQuery) : this.write(tenant, record, profile, entity),
              );
            } catch (error) {
              // Refused by a freeze (counted as throttled by the library), or the tenant stopped being served.
              if (error instanceof TenantWriteFrozenError || error instanceof TenantUnavailableError) return;
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
    for (const [tenantId, data] of this.storedData())
      await this.library
        .forTenant(tenantId)
        .reportStoredData(data)
        .catch(() => undefined);
    return { operations: calls.length, failures, elapsedMs: performance.now() - started };
  }

  private async read(tenant: TenantClient, record: RoutingRecord, entity: TenantEntity, useQuery: boolean): Promise<void> {
    const scheme = record.keyScheme;
    const pk = entityPartition(scheme, record.tenantId, entity);
    if (useQuery) {
      await tenant.query(pk, { limit: 10 });
      return;
    }
    const known = this.dataFor(record.tenantId).itemsPerEntity.get(entity) ?? 0;
    const sk = itemIdFor(Math.floor(this.random() * Math.max(known, 1)));
    await tenant.get({ [scheme.partitionKey]: pk, [scheme.sortKey ?? "sk"]: sk });
  }

  private async write(tenant: TenantClient, record: RoutingRecord, profile: TenantProfile, entity: TenantEntity): Promise<void> {
    const scheme = record.keyScheme;
    const data = this.dataFor(record.tenantId);
    const known = data.itemsPerEntity.get(entity) ?? 0;
    const perEntityLimit = Math.ceil(profile.maxItems / tenantEntities.length);
    const insert = known < perEntityLimit && (known === 0 || this.random() < 0.3);
    const id = insert ? known : Math.floor(this.random() * known);
    const item: Item = {
      [scheme.partitionKey]: entityPartition(scheme, record.tenantId, entity),
      [scheme.sortKey ?? "sk"]: itemIdFor(id),
      entity,
      payload: "",
    };
    // Sized as stored: with the tenant attribute and the change stamp the library adds.
    const stored = (extra: Item) =>
      itemSizeBytes(toAttributeValues({ ...item, ...extra, tenantId: record.tenantId, [scheme.changeStamp]: Date.now() }));
    item.payload = "x".repeat(Math.max(0, profile.itemBytes - stored({}) - 12));
    const bytes = stored({}) + 12;
    item.bytes = bytes;
    const receipt = await tenant.put(item);
    if (this.options.onWriteAcknowledged) {
      const written: Item = { ...item, [scheme.changeStamp]: receipt.changeStamp };
      if (scheme.tenantAttribute !== null) written[scheme.tenantAttribute] = record.tenantId;
      this.options.onWriteAcknowledged(record.tenantId, toAttributeValues(written), {
        tableName: receipt.tableName,
        routingVersion: receipt.routingVersion,
      });
    }
    if (insert) {
      data.itemsPerEntity.set(entity, known + 1);
      data.bytes += bytes;
    }
  }
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
