// Quiet hours: a daily UTC range ("22:00-07:00", possibly over midnight) in
// which minor and major alerts wait for its end. Pure.

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/** Minutes after midnight UTC: the range starts at `startMinute` (inclusive) and ends at `endMinute` (exclusive). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
  /** As configured, e.g. "22:00-07:00". */
  text: string;
}

/** Parses "HH:MM-HH:MM" (UTC); "" or undefined is none. Throws on anything else (the configuration refuses it first). */
export function parseQuietHours(text: string | undefined): QuietHours | null {
  if (!text) return null;
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new Error(`quiet hours must be HH:MM-HH:MM (UTC), not ${JSON.stringify(text)}`);
  const [, startHour, startMinute, endHour, endMinute] = match.map(Number) as [number, number, number, number, number];
  const range = { startMinute: startHour * 60 + startMinute, endMinute: endHour * 60 + endMinute, text };
  if (range.startMinute === range.endMinute) throw new Error("quiet hours must not start and end at the same minute");
  return range;
}

/** Whether `atMs` falls within the quiet hours. */
export function inQuietHours(quiet: QuietHours | null, atMs: number): boolean {
  if (!quiet) return false;
  const minute = Math.floor((((atMs % dayMs) + dayMs) % dayMs) / minuteMs);
  return quiet.startMinute < quiet.endMinute
    ? minute >= quiet.startMinute && minute < quiet.endMinute
    : minute >= quiet.startMinute || minute < quiet.endMinute;
}

/** When the quiet hours `atMs` falls in end (the next end time after it); `atMs` itself outside quiet hours. */
export function quietHoursEnd(quiet: QuietHours | null, atMs: number): number {
  if (!quiet || !inQuietHours(quiet, atMs)) return atMs;
  const midnight = Math.floor(atMs / dayMs) * dayMs;
  const end = midnight + quiet.endMinute * minuteMs;
  return end > atMs ? end : end + dayMs;
}
