// Backup settings from the environment.

/** Days an on-demand backup is kept (a schedule sets its own). */
export function defaultRetentionDays(): number {
  const raw = process.env.BACKUP_RETENTION_DAYS;
  const value = raw === undefined || raw === "" ? 7 : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3_650)
    throw new Error(`BACKUP_RETENTION_DAYS must be a whole number of days from 1 to 3650, got "${raw}"`);
  return value;
}

/** Restores may start from DynamoDB point-in-time recovery (AWS mode only). */
export function pointInTimeEnabled(): boolean {
  return process.env.BACKUP_POINT_IN_TIME === "on";
}
