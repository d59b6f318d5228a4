// The integration check: whether a tenant's application speaks the data-plane
// protocol the console's operations rely on, proved on the tenant itself:
//   metrics   the console reads the tenant's metrics of the last 15 minutes
//   readers   data-plane readers are registered and alive
//   freeze    a write freeze every live reader acknowledges (no write can land)
//   unfreeze  writes resume
// The freeze changes nothing but the routing record's flag; it lasts as long
// as the readers take to see it (at most the routing cache, 5 s). A worker
// that dies while the tenant is frozen is followed by the next, which lifts
// the freeze (the unfreeze step, or the compensation when the check fails).
import { z } from "zod";
import { slugPattern } from "../catalog/vocabulary";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";
import { defineStep, stepOutput, StepFailure, type OperationDefinition, type StepContext } from "../operations/definition";
import { tenantIn } from "../operations/preconditions";
import { liveReaderIds, waitForReaders } from "../routing/readers";
import { getRoutingRecord, setWriteFrozen } from "../routing/routing-table";
import { tenantInstanceTargets } from "../operations/audit-targets";

export const integrationCheckParameters = z.object({ tenantId: z.string().regex(slugPattern) });
export type IntegrationCheckParameters = z.infer<typeof integrationCheckParameters>;
type Ctx = StepContext<IntegrationCheckParameters>;

/** How far back the check looks for the tenant's metrics. */
export const metricsLookbackMs = 15 * 60_000;
/** How long the readers get to acknowledge the freeze before the check says they did not. */
const acknowledgeTimeoutMs = 15_000;

const checkResult = z.object({ passed: z.boolean(), detail: z.string() });
export type CheckResult = z.infer<typeof checkResult>;

const metricsOutput = checkResult.extend({ lastDatapointAt: z.number().nullable(), requests: z.number() });
const readersOutput = checkResult.extend({ readers: z.array(z.string()) });
const freezeOutput = checkResult.extend({ version: z.number().int(), acknowledgedBy: z.number().int(), waitedMs: z.number() });
const unfreezeOutput = checkResult.extend({ frozenMs: z.number().nullable() });

export const integrationCheckOutputs = {
  metrics: stepOutput("metrics", metricsOutput),
  readers: stepOutput("readers", readersOutput),
  freeze: stepOutput("freeze", freezeOutput),
  unfreeze: stepOutput("unfreeze", unfreezeOutput),
};

async function placementOf({ deps, parameters: p }: Ctx) {
  const record = await getRoutingRecord(deps.dynamoDb(deps.routingRegion), p.tenantId, deps.routingTable);
  if (!record) throw new StepFailure(`tenant ${p.tenantId} has no routing record: its application cannot find it`);
  return record;
}

async function unfreeze(ctx: Pick<Ctx, "deps" | "parameters">): Promise<number | null> {
  const client = ctx.deps.dynamoDb(ctx.deps.routingRegion);
  const record = await getRoutingRecord(client, ctx.parameters.tenantId, ctx.deps.routingTable);
  if (!record?.writeFrozen) return null;
  const since = record.frozenSince ? Date.parse(record.frozenSince) : null;
  await setWriteFrozen(client, ctx.parameters.tenantId, false, ctx.deps.routingTable);
  return since === null ? null : Date.now() - since;
}

export const integrationCheckOperation: OperationDefinition<IntegrationCheckParameters> = {
  kind: "integration_check",
  parameters: integrationCheckParameters,
  targets: (tx, p) => tenantInstanceTargets(tx, p.tenantId),
  describe: (p) => `integration check of ${p.tenantId}`,
  // Lifting the freeze is all its undo would do: from there on it only goes forward.
  pointOfNoReturn: "unfreeze",
  steps: [
    defineStep({
      name: "metrics",
      label: "The console sees its metrics",
      changesTenant: false,
      output: metricsOutput,
      async run(ctx: Ctx) {
        const { deps, parameters: p } = ctx;
        await tenantIn(deps, p.tenantId, ["active"], "an integration check");
        const record = await placementOf(ctx);
        // Then every freeze its compensation finds is its own (the operation holds the tenant meanwhile).
        if (record.writeFrozen)
          throw new StepFailure(`tenant ${p.tenantId}'s writes are frozen already (since ${record.frozenSince ?? "?"}): see Fleet checks`);
        const now = deps.now();
        const read = await deps.metrics.read(
          [
            {
              key: "requests",
              metricName: tenantMetrics.requests.name,
              stat: "Sum",
              dimensions: { [dimensionTenant]: p.tenantId, [dimensionInstance]: record.placement.storageInstanceId },
            },
          ],
          { startMs: now - metricsLookbackMs, endMs: now },
          60,
        );
        const series = read.series.get("requests") ?? { timestamps: [], values: [] };
        const requests = series.values.reduce((a, b) => a + b, 0);
        const lastDatapointAt = series.timestamps.length > 0 ? Math.max(...series.timestamps) : null;
        const output = {
          passed: lastDatapointAt !== null,
          lastDatapointAt,
          requests,
          detail:
            lastDatapointAt === null
              ? `no ${tenantMetrics.requests.name} for TenantId ${p.tenantId}, StorageInstance ${record.placement.storageInstanceId} in the last 15 minutes: the application publishes no metrics in the contract, or under another namespace or instance`
              : `${requests.toLocaleString("en-US")} requests in the last 15 minutes, the newest datapoint at ${new Date(lastDatapointAt).toISOString()}`,
        };
        return { output, detail: output.detail };
      },
    }),
    defineStep({
      name: "readers",
      label: "Its data-plane readers are alive",
      changesTenant: false,
      output: readersOutput,
      async run({ deps }: Ctx) {
        const readers = await liveReaderIds(deps.dynamoDb(deps.routingRegion));
        const output = {
          passed: readers.length > 0,
          readers: readers.slice(0, 50),
          detail:
            readers.length > 0
              ? `${readers.length} live reader(s): ${readers.slice(0, 5).join(", ")}${readers.length > 5 ? ", …" : ""}`
              : "no data-plane reader is registered: migrations and restores fall back to waiting out the routing cache, and their freezes last longer",
        };
        return { output, detail: output.detail };
      },
    }),
    defineStep({
      name: "freeze",
      label: "Readers acknowledge a write freeze",
      changesTenant: true,
      holdsFreeze: true,
      output: freezeOutput,
      async run(ctx: Ctx) {
        const { deps, parameters: p, signal } = ctx;
        await tenantIn(deps, p.tenantId, ["active"], "an integration check");
        const client = deps.dynamoDb(deps.routingRegion);
        const record = await setWriteFrozen(client, p.tenantId, true, deps.routingTable);
        await deps.faultPoint?.("effect");
        const started = Date.now();
        let output: z.infer<typeof freezeOutput>;
        try {
          const saw = await waitForReaders(client, p.tenantId, record.version, { signal, timeoutMs: acknowledgeTimeoutMs });
          output = {
            passed: saw.readers > 0,
            version: record.version,
            acknowledgedBy: saw.readers,
            waitedMs: saw.waitedMs,
            detail:
              saw.readers > 0
                ? `${saw.readers} reader(s) acknowledged routing version ${record.version} in ${saw.waitedMs.toLocaleString("en-US")} ms: no write of the tenant could land after it`
                : `no reader acknowledged: the freeze could only be trusted after waiting out the routing cache (${saw.waitedMs.toLocaleString("en-US")} ms)`,
          };
        } catch (error) {
          signal.throwIfAborted();
          output = {
            passed: false,
            version: record.version,
            acknowledgedBy: 0,
            waitedMs: Date.now() - started,
            detail: error instanceof Error ? error.message : String(error),
          };
        }
        return { output, detail: output.detail };
      },
    }),
    defineStep({
      name: "unfreeze",
      label: "Writes resume",
      changesTenant: true,
      holdsFreeze: true,
      output: unfreezeOutput,
      async run(ctx: Ctx) {
        const frozenMs = await unfreeze(ctx);
        await ctx.deps.faultPoint?.("effect");
        const record = await placementOf(ctx);
        const output = {
          passed: !record.writeFrozen,
          frozenMs,
          detail:
            frozenMs === null
              ? "the tenant is not frozen"
              : `writes frozen for ${frozenMs.toLocaleString("en-US")} ms, then resumed (routing version ${record.version})`,
        };
        return { output, detail: output.detail };
      },
    }),
  ],
  async compensate(ctx) {
    const frozenMs = await unfreeze(ctx);
    return {
      detail: frozenMs === null ? "the tenant was not frozen" : `the freeze was lifted after ${frozenMs.toLocaleString("en-US")} ms`,
    };
  },
};
