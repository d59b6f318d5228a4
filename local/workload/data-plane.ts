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
import { putReaderState, readerHeartbeatMs, readerLeaseMs } from "../../lib/routing/readers";
import { isMoving, isServing, isWatched, movingRoutingTtlMs, routingCacheTtlMs, type RoutingRecord } from "../../lib/routing/record";
import { getRoutingRecord, scanRoutingRecords } from "../../lib/routing/routing-table";
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
  /** Take part in the readers protocol (lib/routing/readers.ts) under this id, in this table. */
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

function count(counts: Map<number, number>, key: number, by: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

const tableKey = (region: string, tableName: string) => `${region}/${tableName}`;

export class DataPlane {
  private readonly random: () => number;
  private readonly model: FleetModel;
  private records: RoutingRecord[] = [];
  private byTenant = new Map<string, RoutingRecord>();
  private routingReadAt = -Infinity;
  private movingReadAt = -Infinity;
  /** When routing was last read successfully; a reader that cannot read it stops writing for moving tenants. */
  private routingOkAt = -Infinity;
  /** Writes in flight per tenant, by the routing version they were issued under. */
  private readonly inflight = new Map<string, Map<number, number>>();
  /** tenant id → updatedAt stamps of its writes in flight (stamp → count). */
  private readonly inflightStamps = new Map<string, Map<number, number>>();
  private readerPublished = { at: -Infinity, acks: "" };
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
      const scanned = await scanRoutingRecords(this.options.dynamoDb(defaultRoutingRegion(this.records)), this.options.routingTable);
      // A moving tenant's record may have been re-read since the scan began: never go back to an older version.
      this.setRecords(scanned.map((record) => newer(record, this.byTenant.get(record.tenantId))));
      this.routingReadAt = nowMs;
      this.routingOkAt = Math.max(this.routingOkAt, nowMs);
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

  private setRecords(records: RoutingRecord[]): void {
    this.records = records;
    this.byTenant = new Map(records.map((r) => [r.tenantId, r]));
  }

  /**
   * Re-reads the records of tenants being moved (every movingRoutingTtlMs) and
   * publishes this reader's acknowledgements. Run it often (watchRouting).
   */
  async refreshMoving(nowMs = Date.now()): Promise<void> {
    const moving = this.records.filter(isWatched);
    if (moving.length > 0 && nowMs - this.movingReadAt >= movingRoutingTtlMs) {
      const client = this.options.dynamoDb(defaultRoutingRegion(this.records));
      const fresh = await Promise.all(moving.map((record) => getRoutingRecord(client, record.tenantId, this.options.routingTable)));
      const byTenant = new Map(fresh.filter((r): r is RoutingRecord => r !== null).map((r) => [r.tenantId, r]));
      this.setRecords(this.records.map((record) => newer(byTenant.get(record.tenantId) ?? record, record)));
      this.movingReadAt = nowMs;
      this.routingOkAt = Math.max(this.routingOkAt, nowMs);
    }
    await this.publishReaderState(nowMs);
  }

  /** The routing version of each moving tenant this reader acknowledges (see lib/routing/readers.ts). */
  acknowledgements(): Record<string, number> {
    const acks: Record<string, number> = {};
    for (const record of this.records) {
      if (!isWatched(record)) continue;
      const versions = [...(this.inflight.get(record.tenantId) ?? new Map<number, number>())]
        .filter(([, count]) => count > 0)
        .map(([v]) => v);
      acks[record.tenantId] = Math.min(record.version, ...versions);
    }
    return acks;
  }

  /**
   * For each moving tenant, a time every write of it that lands from now on was stamped at or after: the oldest
   * updatedAt of its writes in flight, or now (see lib/routing/readers.ts).
   */
  writesLandingFrom(nowMs = Date.now()): Record<string, number> {
    const from: Record<string, number> = {};
    for (const record of this.records) {
      if (!isWatched(record)) continue;
      const stamps = this.inflightStamps.get(record.tenantId);
      from[record.tenantId] = Math.min(nowMs, ...(stamps?.keys() ?? []));
    }
    return from;
  }

  /**
   * The stamp of the tenant's oldest write still in flight (Infinity when none): every write stamped before it has
   * been answered, its acknowledgement (onWriteAcknowledged) included. Tests wait on it instead of a fixed pause.
   */
  oldestWriteInFlight(tenantId: string): number {
    const stamps = this.inflightStamps.get(tenantId);
    return stamps && stamps.size > 0 ? Math.min(...stamps.keys()) : Infinity;
  }

  private async publishReaderState(nowMs: number): Promise<void> {
    const reader = this.options.reader;
    if (!reader) return;
    const acks = this.acknowledgements();
    const serialised = JSON.stringify(acks);
    if (serialised === this.readerPublished.acks && nowMs - this.readerPublished.at < readerHeartbeatMs) return;
    const writesFrom = this.writesLandingFrom();
    await putReaderState(
      this.options.dynamoDb(defaultRoutingRegion(this.records)),
      { readerId: reader.readerId, heartbeatAt: nowMs, acks, writesFrom },
      reader.tableName,
    );
    this.readerPublished = { at: nowMs, acks: serialised };
  }

  /** Keeps moving tenants' records fresh and the acknowledgements published until the returned stop is called. */
  watchRouting(intervalMs = 50, onError: (error: unknown) => void = () => undefined): () => void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.refreshMoving().then(
        () => (busy = false),
        (error: unknown) => {
          busy = false;
          onError(error);
        },
      );
    }, intervalMs);
    return () => clearInterval(timer);
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
            ExpressionAttributeValues: { ":pk": { S: partitionKeyFor(record.keyPrefix, entity) } },
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
        const entities = served.route.entities as readonly TenantEntity[];
        for (let i = 0; i < served.reads + served.writes; i++) {
          const isRead = i < served.reads;
          const entity = entities[Math.floor(this.random() * entities.length)]!;
          const useQuery = isRead && this.random() < 0.2;
          calls.push(async () => {
            const began = performance.now();
            if (served.queueDelayMs >= 0.5) await sleep(served.queueDelayMs * (0.5 + this.random()));
            // The record as it is now, not at the start of the tick: a freeze or a cut-over applies to the very next call.
            const current = this.byTenant.get(result.tenantId);
            if (!current || !isServing(current)) return;
            if (!isRead && !this.mayWrite(current)) {
              counters.throttled++;
              return;
            }
            const route = routeOf(current, entity);
            const instance = window.instance(route.storageInstanceId);
            try {
              const units = isRead
                ? await this.read(current, profile, route.region, route.tableName, entity, useQuery)
                : await this.write(current, profile, route.region, route.tableName, entity);
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

  private async read(
    record: RoutingRecord,
    profile: TenantProfile,
    region: string,
    tableName: string,
    entity: TenantEntity,
    useQuery: boolean,
  ): Promise<number> {
    const pk = partitionKeyFor(record.keyPrefix, entity);
    const known = this.dataFor(record.tenantId).itemsPerEntity.get(entity) ?? 0;
    const client = this.options.dynamoDb(region);
    if (useQuery) {
      // Tenant-scoped by construction: the key condition is the tenant's own partition.
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: pk } },
          Limit: 10,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      return result.ConsumedCapacity?.CapacityUnits ?? readUnits((result.Count ?? 0) * profile.itemBytes, false);
    }
    const sk = itemIdFor(Math.floor(this.random() * Math.max(known, 1)));
    const result = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ReturnConsumedCapacity: "TOTAL" }),
    );
    return result.ConsumedCapacity?.CapacityUnits ?? readUnits(result.Item ? itemSizeBytes(result.Item) : 1, false);
  }

  /** Writes are refused while the tenant is frozen, and for a moving tenant while this reader cannot vouch its routing is fresh. */
  private mayWrite(record: RoutingRecord): boolean {
    if (record.writeFrozen) return false;
    return !isMoving(record) || Date.now() - this.routingOkAt <= readerLeaseMs;
  }

  private async write(
    record: RoutingRecord,
    profile: TenantProfile,
    region: string,
    tableName: string,
    entity: TenantEntity,
  ): Promise<number> {
    const inflight = this.inflight.get(record.tenantId) ?? new Map<number, number>();
    this.inflight.set(record.tenantId, inflight);
    const stamps = this.inflightStamps.get(record.tenantId) ?? new Map<number, number>();
    this.inflightStamps.set(record.tenantId, stamps);
    const stamp = Date.now();
    count(inflight, record.version, 1);
    count(stamps, stamp, 1);
    try {
      return await this.put(record, profile, region, tableName, entity, stamp);
    } finally {
      count(inflight, record.version, -1);
      count(stamps, stamp, -1);
    }
  }

  private async put(
    record: RoutingRecord,
    profile: TenantProfile,
    region: string,
    tableName: string,
    entity: TenantEntity,
    stamp: number,
  ): Promise<number> {
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
      updatedAt: { N: String(stamp) },
      payload: { S: "" },
    };
    const padding = Math.max(0, profile.itemBytes - itemSizeBytes(item) - 12);
    item.payload = { S: "x".repeat(padding) };
    const bytes = itemSizeBytes(item) + 12;
    item.bytes = { N: String(bytes) };
    assertTenantOwnsKey(record.keyPrefix, record.tenantId, { pk: item.pk!.S!, tenantId: record.tenantId });
    const result = await this.options
      .dynamoDb(region)
      .send(new PutItemCommand({ TableName: tableName, Item: item, ReturnConsumedCapacity: "TOTAL" }));
    this.options.onWriteAcknowledged?.(record.tenantId, item, { tableName, routingVersion: record.version });
    if (insert) {
      data.itemsPerEntity.set(entity, known + 1);
      data.bytes += bytes;
    }
    return result.ConsumedCapacity?.CapacityUnits ?? writeUnits(bytes);
  }
}

function newer(a: RoutingRecord, b: RoutingRecord | undefined): RoutingRecord {
  return b && b.version > a.version ? b : a;
}

/** Where an entity of the tenant lives under this record (a bridge tenant's siloed entity in its own table). */
function routeOf(record: RoutingRecord, entity: TenantEntity): { storageInstanceId: string; tableName: string; region: string } {
  return record.bridge && record.bridge.entity === entity ? record.bridge : record.placement;
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
