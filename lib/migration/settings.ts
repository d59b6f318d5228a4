// Migration settings from the environment (read where an operation is queued,
// so each operation records the values it ran with).
const hour = 3_600_000;

function nonNegative(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** How long a migration keeps the source copy for a rollback before it is cleaned up. */
export function rollbackWindowMs(): number {
  return Math.round(nonNegative("MIGRATION_ROLLBACK_WINDOW_HOURS", 24) * hour);
}

/** Share of an instance's capacity a copy may take, at most (co-tenants keep the rest). */
export function copyCapacityShare(): number {
  return Math.min(1, nonNegative("MIGRATION_COPY_CAPACITY_SHARE", 0.5));
}
