import { describe, expect, it } from "vitest";
import { episodesOf, minimumDecision, planNotifications, type PlanEvent, type PlanInput, type PlanNotification } from "./plan";
import { parseQuietHours } from "./quiet-hours";

const minute = 60_000;
const noon = Date.parse("2026-12-01T12:00:00Z");
const lateEvening = Date.parse("2026-12-01T23:00:00Z");
const morning = Date.parse("2026-12-02T07:00:00Z");
const minimumMs = { critical: 0, major: 5 * minute, minor: 15 * minute };

let ids = 0;
const event = (kind: PlanEvent["kind"], severity: PlanEvent["severity"], atMs: number): PlanEvent => ({
  id: `e${++ids}-${kind}`,
  kind,
  severity,
  atMs,
});
const notification = (of: PlanEvent, overrides: Partial<PlanNotification> = {}): PlanNotification => ({
  id: `n-${of.id}`,
  eventId: of.id,
  channel: "webhook",
  status: "sent",
  attempts: 1,
  nextAttemptAtMs: of.atMs,
  ...overrides,
});
const input = (events: PlanEvent[], nowMs: number, overrides: Partial<PlanInput> = {}): PlanInput => ({
  events,
  existing: [],
  channels: ["webhook"],
  findingSeverity: events.at(-1)!.severity,
  minimumMs,
  quietHours: null,
  nowMs,
  sinceMs: nowMs - 24 * 60 * minute,
  ...overrides,
});

describe("episodes", () => {
  it("runs from opened or reopened to resolved; an outcome after resolving is only history", () => {
    const events = [
      event("opened", "minor", noon),
      event("escalated", "major", noon + minute),
      event("deescalated", "minor", noon + 2 * minute),
      event("resolved", "minor", noon + 3 * minute),
      event("outcome", "minor", noon + 4 * minute),
      event("reopened", "major", noon + 5 * minute),
    ];
    const episodes = episodesOf(events);
    expect(episodes.map((e) => [e.start.kind, e.events.length, e.end?.kind ?? null])).toEqual([
      ["opened", 4, "resolved"],
      ["reopened", 1, null],
    ]);
  });
});

describe("the minimum duration", () => {
  const opened = event("opened", "major", noon);

  it("waits while an open finding is younger than its severity's minimum, then is due", () => {
    expect(minimumDecision(episodesOf([opened])[0]!, minimumMs, noon + 4 * minute)).toEqual({
      state: "waiting",
      untilMs: noon + 5 * minute,
    });
    expect(minimumDecision(episodesOf([opened])[0]!, minimumMs, noon + 5 * minute)).toEqual({ state: "due" });
  });

  it("is too short when the finding resolved before it, saying why", () => {
    const decision = minimumDecision(episodesOf([opened, event("resolved", "major", noon + 3 * minute)])[0]!, minimumMs, noon + 6 * minute);
    expect(decision).toEqual({ state: "too-short", reason: "resolved after 3 min, under the minimum of 5 min for a major finding" });
  });

  it("counts from the most urgent severity reached: an escalation to critical is due at once", () => {
    const episode = episodesOf([event("opened", "minor", noon), event("escalated", "critical", noon + minute)])[0]!;
    expect(minimumDecision(episode, minimumMs, noon + 2 * minute)).toEqual({ state: "due" });
  });
});

describe("planning notifications", () => {
  it("creates one pending notification per channel for an event past its minimum, then none once they exist", () => {
    const opened = event("opened", "major", noon);
    const plan = planNotifications(input([opened], noon + 6 * minute, { channels: ["webhook", "sns"] }));
    expect(plan).toEqual({
      create: [
        { eventId: opened.id, channel: "webhook", status: "pending", nextAttemptAtMs: noon + 6 * minute, reason: null },
        { eventId: opened.id, channel: "sns", status: "pending", nextAttemptAtMs: noon + 6 * minute, reason: null },
      ],
      suppress: [],
      release: [],
    });
    const existing = [notification(opened), notification(opened, { id: "n-sns", channel: "sns" })];
    expect(planNotifications(input([opened], noon + 7 * minute, { channels: ["webhook", "sns"], existing }))).toEqual({
      create: [],
      suppress: [],
      release: [],
    });
  });

  it("creates nothing while the finding is younger than its minimum", () => {
    expect(planNotifications(input([event("opened", "minor", noon)], noon + 10 * minute)).create).toEqual([]);
  });

  it("suppresses the opened and resolved alerts of a finding that resolved before its minimum", () => {
    const opened = event("opened", "minor", noon);
    const resolved = event("resolved", "minor", noon + 10 * minute);
    const plan = planNotifications(input([opened, resolved], noon + 11 * minute));
    expect(plan.create.map((c) => [c.eventId, c.status, c.reason])).toEqual([
      [opened.id, "suppressed", "resolved after 10 min, under the minimum of 15 min for a minor finding"],
      [resolved.id, "suppressed", "resolved after 10 min, under the minimum of 15 min for a minor finding"],
    ]);
  });

  it("sends both when the finding lasted its minimum and resolved before anything was queued", () => {
    const events = [event("opened", "major", noon), event("resolved", "major", noon + 20 * minute)];
    const plan = planNotifications(input(events, noon + 21 * minute));
    expect(plan.create.map((c) => c.status)).toEqual(["pending", "pending"]);
  });

  it("leaves out de-escalations and events older than the horizon", () => {
    const events = [event("opened", "major", noon), event("deescalated", "minor", noon + 10 * minute)];
    const plan = planNotifications(input(events, noon + 11 * minute, { sinceMs: noon + minute }));
    expect(plan.create).toEqual([]);
  });

  describe("in quiet hours (22:00-07:00 UTC)", () => {
    const quietHours = parseQuietHours("22:00-07:00");

    it("holds a major alert until they end; a critical one goes at once", () => {
      const major = planNotifications(input([event("opened", "major", lateEvening)], lateEvening + 10 * minute, { quietHours }));
      expect(major.create).toMatchObject([{ status: "pending", nextAttemptAtMs: morning }]);
      const critical = planNotifications(input([event("opened", "critical", lateEvening)], lateEvening + minute, { quietHours }));
      expect(critical.create).toMatchObject([{ status: "pending", nextAttemptAtMs: lateEvening + minute }]);
    });

    it("suppresses a held opened alert and its resolved when the finding resolves meanwhile", () => {
      const opened = event("opened", "major", lateEvening);
      const resolved = event("resolved", "major", lateEvening + 60 * minute);
      const held = notification(opened, { status: "pending", attempts: 0, nextAttemptAtMs: morning });
      const plan = planNotifications(input([opened, resolved], lateEvening + 61 * minute, { quietHours, existing: [held] }));
      const reason = "held for quiet hours (22:00-07:00 UTC) and the finding resolved meanwhile";
      expect(plan.suppress).toEqual([{ id: held.id, reason }]);
      expect(plan.create).toMatchObject([{ eventId: resolved.id, status: "suppressed", reason }]);
    });

    it("suppresses both when opened and resolved are first seen together in quiet hours", () => {
      const events = [event("opened", "major", lateEvening), event("resolved", "major", lateEvening + 30 * minute)];
      const plan = planNotifications(input(events, lateEvening + 31 * minute, { quietHours }));
      expect(plan.create.map((c) => c.status)).toEqual(["suppressed", "suppressed"]);
    });

    it("holds the resolved alert of a finding whose opened alert went before the quiet hours", () => {
      const opened = event("opened", "major", lateEvening - 120 * minute);
      const resolved = event("resolved", "major", lateEvening + 30 * minute);
      const plan = planNotifications(
        input([opened, resolved], lateEvening + 31 * minute, { quietHours, existing: [notification(opened)] }),
      );
      expect(plan.create).toEqual([
        { eventId: resolved.id, channel: "webhook", status: "pending", nextAttemptAtMs: morning, reason: null },
      ]);
      expect(plan.suppress).toEqual([]);
    });

    it("releases held alerts when the finding escalates to critical", () => {
      const opened = event("opened", "major", lateEvening);
      const escalated = event("escalated", "critical", lateEvening + 40 * minute);
      const held = notification(opened, { status: "pending", attempts: 0, nextAttemptAtMs: morning });
      const now = lateEvening + 41 * minute;
      const plan = planNotifications(input([opened, escalated], now, { quietHours, existing: [held] }));
      expect(plan.release).toEqual([held.id]);
      expect(plan.create).toEqual([{ eventId: escalated.id, channel: "webhook", status: "pending", nextAttemptAtMs: now, reason: null }]);
    });

    it("does not suppress an alert already tried (waiting for its retry), and sends the resolved after it", () => {
      const opened = event("opened", "major", lateEvening - 120 * minute);
      const resolved = event("resolved", "major", lateEvening + 30 * minute);
      const retrying = notification(opened, { status: "pending", attempts: 2, nextAttemptAtMs: morning });
      const plan = planNotifications(input([opened, resolved], lateEvening + 31 * minute, { quietHours, existing: [retrying] }));
      expect(plan.suppress).toEqual([]);
      expect(plan.create).toMatchObject([{ eventId: resolved.id, status: "pending" }]);
    });
  });

  it("suppresses a resolved alert whose opened alert was suppressed", () => {
    const opened = event("opened", "major", noon);
    const resolved = event("resolved", "major", noon + 30 * minute);
    const suppressed = notification(opened, { status: "suppressed", attempts: 0 });
    const plan = planNotifications(input([opened, resolved], noon + 31 * minute, { existing: [suppressed] }));
    expect(plan.create).toMatchObject([{ eventId: resolved.id, status: "suppressed", reason: "its opening alert was not sent" }]);
  });
});
