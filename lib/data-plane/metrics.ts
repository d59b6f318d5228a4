// The data plane's per-tenant metrics in the console's contract
// (docs/metric-contract.md), counted in memory and published every
// flushIntervalMs: as CloudWatch embedded metric format lines (written to
// stdout, where the Lambda or ECS/awslogs log driver ships them to CloudWatch
// Logs, which extracts the metrics: no CloudWatch API calls), or as batched
// PutMetricData calls (at most 1,000 datums each), or not at all.
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { defaultMetricsNamespace } from "../metrics/contract";
import { batches, MetricWindow, windowDatums, windowEmfLines, type StoredData } from "./metric-window";

export interface MetricsOptions {
  /** "emf": log lines in the embedded metric format; "put-metric-data": batched API calls; "off": nothing is counted. */
  mode: "emf" | "put-metric-data" | "off";
  /** The namespace the console reads (its TENANT_METRICS_NAMESPACE); default "TenantStorage". */
  namespace?: string;
  /** How often counters are published; default 60,000 (CloudWatch's standard resolution). 0: only by flushMetrics() and close(). */
  flushIntervalMs?: number;
  /** put-metric-data: the client to publish with (default: a CloudWatchClient for the data plane's region). */
  cloudWatch?: CloudWatchClient;
  /** emf: where each line goes (default: process.stdout, one line per document). */
  write?: (line: string) => void;
}

export interface ServedRequest {
  tenantId: string;
  /** The instance of the tenant's primary placement (the tenant's dimension). */
  primaryInstance: string;
  /** The instance that served the call (a bridge tenant's siloed entity lives in another). */
  servedInstance: string;
  latencyMs: number;
  readUnits: number;
  writeUnits: number;
}

/** Counts requests into the current window and publishes windows. */
export class MetricsRecorder {
  private window = new MetricWindow();
  private readonly stored = new Map<string, { instanceId: string; data: StoredData }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private publishing: Promise<void> = Promise.resolve();
  readonly namespace: string;
  readonly enabled: boolean;

  constructor(
    private readonly options: MetricsOptions,
    region: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.namespace = options.namespace ?? defaultMetricsNamespace;
    this.enabled = options.mode !== "off";
    if (options.mode === "put-metric-data") this.cloudWatch = options.cloudWatch ?? new CloudWatchClient({ region, maxAttempts: 3 });
  }

  private cloudWatch: CloudWatchClient | undefined;

  start(): void {
    const interval = this.options.flushIntervalMs ?? 60_000;
    if (!this.enabled || interval <= 0) return;
    this.timer = setInterval(() => void this.flush().catch(this.onError), interval);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  served(request: ServedRequest): void {
    if (!this.enabled) return;
    const tenant = this.window.tenant(request.tenantId, request.primaryInstance);
    const instance = this.window.instance(request.servedInstance);
    // Requests count on the tenant's primary instance (as refusals do); what was served, on the instance that served it.
    tenant.requests++;
    this.window.instance(request.primaryInstance).requests++;
    for (const counters of [tenant, instance]) {
      counters.latency.add(request.latencyMs);
      counters.readUnits += request.readUnits;
      counters.writeUnits += request.writeUnits;
    }
  }

  /** Requests refused (by the plan, a freeze, or the instance's capacity); they count as requests too. */
  refused(tenantId: string, primaryInstance: string, counts: { plan?: number; capacity?: number }): void {
    if (!this.enabled) return;
    const plan = counts.plan ?? 0;
    const capacity = counts.capacity ?? 0;
    if (plan + capacity <= 0) return;
    this.window.countRequests(tenantId, primaryInstance, { requests: plan + capacity, planThrottled: plan, capacityThrottled: capacity });
  }

  storedData(tenantId: string, instanceId: string, data: StoredData): void {
    if (this.enabled) this.stored.set(tenantId, { instanceId, data: { ...data } });
  }

  /** Publishes what was counted since the last flush, stamped `timestampMs`. Flushes run one at a time. */
  flush(timestampMs = Date.now()): Promise<void> {
    const next = this.publishing.then(() => this.publish(timestampMs));
    this.publishing = next.catch(() => undefined);
    return next;
  }

  private async publish(timestampMs: number): Promise<void> {
    if (!this.enabled) return;
    const window = this.window;
    this.window = new MetricWindow();
    if (window.tenants.size === 0 && window.instances.size === 0) return;
    // Stored gauges go with a tenant's counters (an idle tenant's gauge keeps its last published value).
    const stored = new Map<string, StoredData>();
    for (const [tenantId, { data }] of this.stored) if (window.hasTenant(tenantId)) stored.set(tenantId, data);
    if (this.options.mode === "emf") {
      const write = this.options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
      for (const line of windowEmfLines(window, this.namespace, timestampMs, stored)) write(line);
      return;
    }
    const datums = windowDatums(window, new Date(timestampMs), stored);
    for (const batch of batches(datums))
      await this.cloudWatch!.send(new PutMetricDataCommand({ Namespace: this.namespace, MetricData: batch }));
  }
}
