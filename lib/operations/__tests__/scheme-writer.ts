// A small writer for tests of non-default key schemes, standing in for the
// data-plane library until it lands: for each tenant it writes one item at a
// time, keyed by the key scheme its routing record carries, stamped with the
// scheme's change stamp just before the send, through a tenant-scoped client.
// It follows the protocol operations rely on (lib/routing/readers.ts): it
// reads the routing record before every write (so a freeze is honoured at
// once), never writes while frozen, and as a reader acknowledges the version
// it holds once no write under an older version is in flight, vouching for the
// stamp of its oldest write in flight.
import { PutItemCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { putReaderState, routingReadersTableName } from "../../routing/readers";
import { isServing, type RoutingRecord } from "../../routing/record";
import { getRoutingRecord } from "../../routing/routing-table";
import { seedKey } from "../../storage/seed-tenant";
import { tenantScopedClient } from "../../storage/tenant-access";
import { tenantEntities } from "../../storage/tenant-items";

type Item = Record<string, AttributeValue>;

interface TenantState {
  /** The version of the last routing record read. */
  version: number;
  inFlight: { version: number; stamp: number } | null;
  /** False once stopped: it writes no more for the tenant and acknowledges every version. */
  running: boolean;
  loop: Promise<void>;
}

export interface SchemeWriterOptions {
  dynamo: DynamoDBClient;
  routingTable: string;
  readerId: string;
  /** Item numbers written are below this per entity (the fixtures' items are numbered from 0 up): some overwrite, some are new. */
  itemsPerEntity: number;
  /** Pause between one tenant's writes. */
  pauseMs?: number;
  onWriteAcknowledged(tenantId: string, item: Item, where: { tableName: string; routingVersion: number }): void;
}

export class SchemeWriter {
  private readonly tenants = new Map<string, TenantState>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private publishing: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(private readonly options: SchemeWriterOptions) {}

  /** Publishes this reader's state (acknowledgements and the stamps it vouches for). */
  private publish(): Promise<void> {
    const now = Date.now();
    const acks: Record<string, number> = {};
    const writesFrom: Record<string, number> = {};
    for (const [tenantId, state] of this.tenants) {
      acks[tenantId] = state.inFlight ? state.inFlight.version : state.running ? state.version : Number.MAX_SAFE_INTEGER;
      writesFrom[tenantId] = state.inFlight ? state.inFlight.stamp : now;
    }
    this.publishing = this.publishing.then(() =>
      putReaderState(
        this.options.dynamo,
        { readerId: this.options.readerId, heartbeatAt: now, acks, writesFrom },
        routingReadersTableName(),
      ),
    );
    return this.publishing;
  }

  async start(tenantIds: string[]): Promise<void> {
    for (const tenantId of tenantIds) {
      const state: TenantState = { version: 0, inFlight: null, running: true, loop: Promise.resolve() };
      this.tenants.set(tenantId, state);
      state.loop = this.run(tenantId, state);
    }
    await this.publish();
    this.heartbeat ??= setInterval(() => void this.publish(), 50);
  }

  private async run(tenantId: string, state: TenantState): Promise<void> {
    while (state.running) {
      const record = await getRoutingRecord(this.options.dynamo, tenantId, this.options.routingTable);
      if (record) state.version = Math.max(state.version, record.version);
      if (record && isServing(record) && !record.writeFrozen) await this.write(record, state);
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs ?? 15));
    }
  }

  private async write(record: RoutingRecord, state: TenantState): Promise<void> {
    const scheme = record.keyScheme;
    const n = this.counter++;
    const entity = tenantEntities[n % tenantEntities.length]!;
    const itemNumber = (n * 7919) % this.options.itemsPerEntity;
    const { tableName } = record.placement;
    const client = tenantScopedClient(this.options.dynamo, {
      tenantId: record.tenantId,
      keyScheme: scheme,
      tables: [tableName],
      operation: "scheme writer",
    });
    const stamp = Date.now();
    state.inFlight = { version: record.version, stamp };
    const item: Item = {
      ...seedKey(scheme, record.tenantId, entity, itemNumber),
      ...(scheme.tenantAttribute === null ? {} : { [scheme.tenantAttribute]: { S: record.tenantId } }),
      entity: { S: entity },
      [scheme.changeStamp]: { N: String(stamp) },
      payload: { S: `write ${n} at ${stamp}` },
    };
    try {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
      this.options.onWriteAcknowledged(record.tenantId, item, { tableName, routingVersion: record.version });
    } finally {
      state.inFlight = null;
    }
  }

  /** The stamp of the tenant's write in flight (Infinity when none). */
  oldestWriteInFlight(tenantId: string): number {
    return this.tenants.get(tenantId)?.inFlight?.stamp ?? Infinity;
  }

  /** Stops writing for the tenant once its write in flight is answered (it stays acknowledged as a reader of it). */
  async stopTenant(tenantId: string): Promise<void> {
    const state = this.tenants.get(tenantId);
    if (!state) return;
    state.running = false;
    await state.loop;
    await this.publish();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tenants.keys()].map((id) => this.stopTenant(id)));
    clearInterval(this.heartbeat);
    await this.publishing;
  }
}
