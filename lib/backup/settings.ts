// Backup settings (lib/config/variables.ts).
import { config } from "../config/config";

/** Days an on-demand backup is kept (a schedule sets its own). */
export function defaultRetentionDays(): number {
  return config().BACKUP_RETENTION_DAYS;
}

/** Restores may start from DynamoDB point-in-time recovery (AWS mode only). */
export function pointInTimeEnabled(): boolean {
  return config().BACKUP_POINT_IN_TIME === "on";
}
