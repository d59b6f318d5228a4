// Whether the catalog and the routing record agree about a tenant, and what
// to do when they do not (pure: reconcile.ts reads, decides with this, and
// repairs). While an operation holds the tenant (queued, running or needing
// attention), the disagreement is that operation's: nothing is said. Without
// one, a tenant must not stay in a transitional state (provisioning,
// migrating, restoring) nor frozen:
// - routing active and unfrozen: the catalog follows it (status, placement),
//   which the worker does by itself (routing is what the data plane obeys and
//   every operation writes it before the catalog);
// - routing frozen or moving: writes are refused, and only an operator can
//   judge the tenant's items where routing points; they lift the freeze;
// - half-onboarded: an operator retries the onboarding that stopped;
// - a suspension or resumption that stopped between the catalog and routing
//   (lib/lifecycle/suspension.ts writes the catalog first): routing follows
//   the catalog, which the worker does by itself; an offboarded tenant on one
//   side only needs an operator.
import type { DeploymentModel, TenantStatus } from "../generated/prisma/enums.ts";
import { isMoving, type RoutingRecord } from "../routing/record";

export interface CatalogTenantState {
  id: string;
  status: TenantStatus;
  deploymentModel: DeploymentModel;
  storageInstanceId: string | null;
  bridgeInstanceId: string | null;
  bridgeEntity: string | null;
  keyPrefix: string | null;
  /** Why the catalog says it is suspended (routing must carry the same reason); absent: not compared. */
  suspendedReason?: string | null;
}

export interface LastOperation {
  id: string;
  kind: string;
  status: string;
}

/** The catalog's fields once it follows the routing record. */
export interface CatalogRepair {
  status: TenantStatus;
  deploymentModel: DeploymentModel;
  storageInstanceId: string;
  bridgeInstanceId: string | null;
  bridgeEntity: string | null;
}

export type Remedy =
  /** Lift the routing record's freeze (and moving status) at its placement, then the catalog follows routing. */
  | { kind: "unfreeze"; routingVersion: number; catalog: CatalogRepair }
  /** Retry the onboarding operation that stopped (on its page). */
  | { kind: "retryOnboarding"; operationId: string }
  /** Nothing the console can do safely by itself: the problem says what to look at. */
  | { kind: "investigate" };

export type TenantStateVerdict =
  | { verdict: "agrees" }
  | { verdict: "held"; operationId: string }
  /** The worker repairs it by itself (reconcile.ts), and an operator may do it at once. */
  | { verdict: "repairable"; problem: string; repair: { kind: "followRouting"; catalog: CatalogRepair } | { kind: "publish" } }
  | { verdict: "needsOperator"; problem: string; remedy: Remedy };

export const transitionalStatuses: readonly TenantStatus[] = ["provisioning", "migrating", "restoring"];

export function isTransitional(status: TenantStatus): boolean {
  return transitionalStatuses.includes(status);
}

function lastOperationText(last: LastOperation | null): string {
  return last ? `the last, ${last.kind.replace(/_/g, " ")} ${last.id}, ${last.status.replace(/_/g, " ")}` : "none ever did";
}

/** What the catalog says once it follows `routing` (status active when it was transitional or moving). */
function followRouting(tenant: CatalogTenantState, routing: RoutingRecord): CatalogRepair {
  const moving = isTransitional(tenant.status) || isMoving(routing);
  return {
    status: moving ? "active" : tenant.status,
    deploymentModel: routing.deploymentModel,
    storageInstanceId: routing.placement.storageInstanceId,
    bridgeInstanceId: routing.bridge?.storageInstanceId ?? null,
    bridgeEntity: routing.bridge?.entity ?? null,
  };
}

function placementDiffers(tenant: CatalogTenantState, routing: RoutingRecord): boolean {
  return (
    tenant.storageInstanceId !== routing.placement.storageInstanceId ||
    (tenant.bridgeInstanceId ?? null) !== (routing.bridge?.storageInstanceId ?? null) ||
    tenant.deploymentModel !== routing.deploymentModel
  );
}

/**
 * The verdict on one tenant. `heldBy` is the operation that holds it (its
 * activeTenantId), `knownInstances` the catalog's storage instance ids (a
 * repair never points the catalog at an instance it does not know), `last`
 * the tenant's most recent operation, named in the problem.
 */
export function checkTenantState(input: {
  tenant: CatalogTenantState;
  routing: RoutingRecord | null;
  heldBy: string | null;
  knownInstances: ReadonlySet<string>;
  last: LastOperation | null;
}): TenantStateVerdict {
  const { tenant, routing, heldBy, knownInstances, last } = input;
  if (heldBy) return { verdict: "held", operationId: heldBy };
  const noOperation = `no operation holds it (${lastOperationText(last)})`;
  const retry: Remedy =
    last?.kind === "onboard" && (last.status === "failed" || last.status === "cancelled")
      ? { kind: "retryOnboarding", operationId: last.id }
      : { kind: "investigate" };

  if (!routing) {
    if (tenant.status === "provisioning")
      return {
        verdict: "needsOperator",
        problem: `Half-onboarded: provisioning, never published to the data plane, and ${noOperation}.`,
        remedy: retry,
      };
    if (isTransitional(tenant.status))
      return {
        verdict: "needsOperator",
        problem: `The catalog says ${tenant.status}, the tenant has no routing record, and ${noOperation}.`,
        remedy: { kind: "investigate" },
      };
    if (tenant.status === "active" && tenant.storageInstanceId && tenant.keyPrefix)
      return {
        verdict: "repairable",
        problem: `Active in the catalog (in ${tenant.storageInstanceId}) but the data plane has no routing record for it, and ${noOperation}: the catalog's routing is published.`,
        repair: { kind: "publish" },
      };
    return { verdict: "agrees" };
  }

  const instancesKnown =
    knownInstances.has(routing.placement.storageInstanceId) && (!routing.bridge || knownInstances.has(routing.bridge.storageInstanceId));
  const where = `${routing.placement.storageInstanceId}${routing.bridge ? ` (${routing.bridge.entity} in ${routing.bridge.storageInstanceId})` : ""}`;
  const unknownInstance = (): TenantStateVerdict => ({
    verdict: "needsOperator",
    problem: `Routing places the tenant in ${where}, which the catalog does not know as a storage instance, and ${noOperation}.`,
    remedy: { kind: "investigate" },
  });

  if (routing.writeFrozen || isMoving(routing)) {
    if (!instancesKnown) return unknownInstance();
    const state = [
      routing.writeFrozen ? `frozen since ${routing.frozenSince ?? "an unknown time"}` : null,
      isMoving(routing) ? routing.status : null,
    ]
      .filter(Boolean)
      .join(" and ");
    return {
      verdict: "needsOperator",
      problem: `Routing says ${state} in ${where} (the catalog says ${tenant.status}${tenant.storageInstanceId !== routing.placement.storageInstanceId ? ` in ${tenant.storageInstanceId ?? "no instance"}` : ""}), and ${noOperation}. ${
        routing.writeFrozen ? "Its writes are refused" : "The data plane treats it as being moved"
      } until an operator checks its items in ${routing.placement.storageInstanceId} and lifts this.`,
      remedy: { kind: "unfreeze", routingVersion: routing.version, catalog: followRouting(tenant, routing) },
    };
  }

  const lifecycle = lifecycleDisagreement(tenant, routing);
  if (lifecycle === "offboarded")
    return {
      verdict: "needsOperator",
      problem: `The catalog says ${tenant.status}, routing says ${routing.status}, and ${noOperation}: only one of them says offboarded.`,
      remedy: { kind: "investigate" },
    };
  if (lifecycle === "suspension")
    return {
      verdict: "repairable",
      problem: `The catalog says ${describeSuspension(tenant.status, tenant.suspendedReason)}, routing says ${describeSuspension(routing.status, routing.suspendedReason)}, and ${noOperation}: a suspension or resumption stopped before it reached the data plane; the catalog's routing is published.`,
      repair: { kind: "publish" },
    };

  if (routing.status === "active") {
    const transitional = isTransitional(tenant.status);
    if (!transitional && !(tenant.status === "active" && placementDiffers(tenant, routing))) return { verdict: "agrees" };
    if (!instancesKnown) return unknownInstance();
    const catalogSays = `${tenant.status} in ${tenant.storageInstanceId ?? "no instance"}`;
    return {
      verdict: "repairable",
      problem: `The catalog says ${catalogSays}, routing says active in ${where}, and ${noOperation}: the catalog follows routing.`,
      repair: { kind: "followRouting", catalog: followRouting(tenant, routing) },
    };
  }

  if (routing.status === "provisioning" && tenant.status === "provisioning")
    return {
      verdict: "needsOperator",
      problem: `Half-onboarded: provisioning, published to the data plane but not activated, and ${noOperation}.`,
      remedy: retry,
    };
  if (routing.status !== tenant.status && (isTransitional(tenant.status) || isTransitional(routing.status)))
    return {
      verdict: "needsOperator",
      problem: `The catalog says ${tenant.status}, routing says ${routing.status}, and ${noOperation}.`,
      remedy: { kind: "investigate" },
    };
  return { verdict: "agrees" };
}

const describeSuspension = (status: string, reason: string | null | undefined) =>
  status === "suspended" && reason ? `suspended (“${reason}”)` : status;

/**
 * Where catalog and routing disagree about the tenant's lifecycle in the same placement: "suspension" (one says
 * suspended and the other active, or their reasons differ), "offboarded" (only one says so), or null.
 */
function lifecycleDisagreement(tenant: CatalogTenantState, routing: RoutingRecord): "suspension" | "offboarded" | null {
  if (isTransitional(tenant.status) || isTransitional(routing.status) || placementDiffers(tenant, routing)) return null;
  if ((tenant.status === "offboarded") !== (routing.status === "offboarded")) return "offboarded";
  if (tenant.status === "offboarded") return null;
  if ((tenant.status === "suspended") !== (routing.status === "suspended")) return "suspension";
  const reasonKnown = tenant.suspendedReason !== undefined;
  return tenant.status === "suspended" && reasonKnown && (tenant.suspendedReason ?? null) !== routing.suspendedReason ? "suspension" : null;
}
