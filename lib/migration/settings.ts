// Migration settings (lib/config/variables.ts), read where an operation is
// queued, so each operation records the values it ran with.
import { config } from "../config/config";

const hour = 3_600_000;

/** How long a migration keeps the source copy for a rollback before it is cleaned up. */
export function rollbackWindowMs(): number {
  return Math.round(config().MIGRATION_ROLLBACK_WINDOW_HOURS * hour);
}

/** Share of an instance's capacity a copy may take, at most (co-tenants keep the rest). */
export function copyCapacityShare(): number {
  return config().MIGRATION_COPY_CAPACITY_SHARE;
}
