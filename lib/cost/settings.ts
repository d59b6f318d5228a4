// Cost settings (lib/config/variables.ts).
import "server-only";
import { config } from "../config/config";
import { rollsPerDay } from "./formulas";

export interface CostSettings {
  /** Today is rolled in part at most this often (COST_ROLLUP_TODAY_MINUTES). */
  todayEveryMinutes: number;
  rollsPerDay: number;
  /** Point-in-time recovery is on for the tables (BACKUP_POINT_IN_TIME=on): its storage is priced. */
  pointInTime: boolean;
}

export function costSettings(): CostSettings {
  const settings = config();
  return {
    todayEveryMinutes: settings.COST_ROLLUP_TODAY_MINUTES,
    rollsPerDay: rollsPerDay(settings.COST_ROLLUP_TODAY_MINUTES),
    pointInTime: settings.BACKUP_POINT_IN_TIME === "on",
  };
}
