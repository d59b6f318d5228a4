import { describe, expect, it } from "vitest";
import { inQuietHours, parseQuietHours, quietHoursEnd } from "./quiet-hours";

const at = (iso: string) => Date.parse(iso);

describe("quiet hours", () => {
  it("parses a UTC range, none when unset", () => {
    expect(parseQuietHours("22:00-07:30")).toEqual({ startMinute: 22 * 60, endMinute: 7 * 60 + 30, text: "22:00-07:30" });
    expect(parseQuietHours("")).toBeNull();
    expect(parseQuietHours(undefined)).toBeNull();
    expect(() => parseQuietHours("22-07")).toThrow(/HH:MM-HH:MM/);
    expect(() => parseQuietHours("08:00-08:00")).toThrow(/same minute/);
  });

  it("holds a range over midnight on both sides of it, start included and end excluded", () => {
    const night = parseQuietHours("22:00-07:00");
    expect(inQuietHours(night, at("2026-12-01T21:59:59Z"))).toBe(false);
    expect(inQuietHours(night, at("2026-12-01T22:00:00Z"))).toBe(true);
    expect(inQuietHours(night, at("2026-12-01T23:59:59Z"))).toBe(true);
    expect(inQuietHours(night, at("2026-12-02T00:00:00Z"))).toBe(true);
    expect(inQuietHours(night, at("2026-12-02T06:59:59Z"))).toBe(true);
    expect(inQuietHours(night, at("2026-12-02T07:00:00Z"))).toBe(false);
    expect(inQuietHours(night, at("2026-12-02T12:00:00Z"))).toBe(false);
  });

  it("holds a range within a day", () => {
    const lunch = parseQuietHours("12:00-13:30");
    expect(inQuietHours(lunch, at("2026-12-01T11:59:00Z"))).toBe(false);
    expect(inQuietHours(lunch, at("2026-12-01T12:45:00Z"))).toBe(true);
    expect(inQuietHours(lunch, at("2026-12-01T13:30:00Z"))).toBe(false);
    expect(inQuietHours(lunch, at("2026-12-01T23:00:00Z"))).toBe(false);
  });

  it("ends at the next end time: the same day after midnight, the next day before it", () => {
    const night = parseQuietHours("22:00-07:00");
    expect(quietHoursEnd(night, at("2026-12-01T23:10:00Z"))).toBe(at("2026-12-02T07:00:00Z"));
    expect(quietHoursEnd(night, at("2026-12-02T03:00:00Z"))).toBe(at("2026-12-02T07:00:00Z"));
    expect(quietHoursEnd(night, at("2026-12-31T22:00:00Z"))).toBe(at("2027-01-01T07:00:00Z"));
    expect(quietHoursEnd(parseQuietHours("12:00-13:30"), at("2026-12-01T12:01:00Z"))).toBe(at("2026-12-01T13:30:00Z"));
  });

  it("does not hold outside quiet hours or without any", () => {
    const noon = at("2026-12-01T12:00:00Z");
    expect(quietHoursEnd(parseQuietHours("22:00-07:00"), noon)).toBe(noon);
    expect(quietHoursEnd(null, noon)).toBe(noon);
    expect(inQuietHours(null, noon)).toBe(false);
  });
});
