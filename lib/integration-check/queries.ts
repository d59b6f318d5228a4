// The tenant page's checklist: the latest integration check of a tenant, item
// by item, as its steps recorded them.
import type { Db } from "../db/client";
import { findOutput, parseSteps } from "../operations/definition";
import { integrationCheckOutputs, type CheckResult } from "./operation";

export interface ChecklistItem {
  name: keyof typeof integrationCheckOutputs;
  label: string;
  /** passed / failed as the step found; pending while it has not run; skipped when the check ended before it. */
  state: "passed" | "failed" | "pending" | "skipped";
  detail: string | null;
}

export interface IntegrationChecklist {
  operationId: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  items: ChecklistItem[];
}

const labels: Record<keyof typeof integrationCheckOutputs, string> = {
  metrics: "The console sees its metrics (last 15 minutes)",
  readers: "Its data-plane readers are alive",
  freeze: "Readers acknowledge a write freeze",
  unfreeze: "Writes resume after it",
};

export async function latestIntegrationCheck(db: Db, tenantId: string): Promise<IntegrationChecklist | null> {
  const operation = await db.operation.findFirst({
    where: { tenantId, kind: "integration_check" },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, steps: true, createdAt: true, finishedAt: true, error: true },
  });
  if (!operation) return null;
  const steps = parseSteps(operation.steps);
  const ended = operation.status !== "queued" && operation.status !== "running";
  const items = (Object.keys(integrationCheckOutputs) as (keyof typeof integrationCheckOutputs)[]).map((name): ChecklistItem => {
    const result: CheckResult | undefined = findOutput<CheckResult>(steps, integrationCheckOutputs[name]);
    if (result) return { name, label: labels[name], state: result.passed ? "passed" : "failed", detail: result.detail };
    const step = steps.find((s) => s.name === name);
    if (step?.status === "failed") return { name, label: labels[name], state: "failed", detail: step.detail ?? operation.error };
    return { name, label: labels[name], state: ended ? "skipped" : "pending", detail: null };
  });
  return {
    operationId: operation.id,
    status: operation.status,
    startedAt: operation.createdAt,
    finishedAt: operation.finishedAt,
    error: operation.error,
    items,
  };
}
