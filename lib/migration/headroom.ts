// Whether a migration target has room for the tenant: the figure the migrate
// form shows ("with this tenant", the busier side's 24 h p95 utilisation with
// the tenant's own 24 h p95 load added) against the ceiling placement uses.
// A target above it is blocked unless the operator overrides with a reason;
// the form and the request apply this same rule.
import { defaultPlacementOptions } from "../placement/placement";

/** Placement never takes a pool above this p95 utilisation; a migration target above it has no headroom. */
export const headroomCeiling = defaultPlacementOptions.ceiling;

/** Whole percent, with a decimal where rounding would hide that a figure is over the ceiling (80.3 %, not 80 %). */
const percent = (value: number) =>
  `${Math.round(value * 100) === Math.round(headroomCeiling * 100) && value !== headroomCeiling ? (value * 100).toFixed(1) : Math.round(value * 100)} %`;

/** Why the target has no headroom for the tenant, or null when it has. A new silo of the tenant's own always has. */
export function headroomShortfall(target: { id: string; kind: "pool" | "silo"; p95WithTenant: number }): string | null {
  if (target.kind === "silo" || !(target.p95WithTenant > headroomCeiling)) return null;
  return `${target.id} would be ${percent(target.p95WithTenant)} busy with this tenant at its 24 h p95, above the ${percent(headroomCeiling)} placement ceiling`;
}

/** The refusal for a target without headroom and no override reason; null when the migration may go ahead. */
export function headroomRefusal(shortfall: string | null, overrideReason: string | undefined): string | null {
  if (!shortfall || overrideReason?.trim()) return null;
  return `${shortfall}. To migrate there anyway, override the headroom check and say why.`;
}
