import { Badge } from "@/components/ui/badges";

const tones = { critical: "danger", major: "warning", minor: "neutral" } as const;

export function SeverityBadge({ severity }: { severity: "critical" | "major" | "minor" }) {
  return <Badge tone={tones[severity]}>{severity}</Badge>;
}

const healthTones = {
  healthy: "success",
  degraded: "warning",
  critical: "danger",
  no_data: "neutral",
  suspended: "warning",
  offboarded: "neutral",
} as const;
const healthLabels = {
  healthy: "Healthy",
  degraded: "Degraded",
  critical: "Critical",
  no_data: "No data yet",
  suspended: "Suspended",
  offboarded: "Offboarded",
} as const;

export function HealthBadge({ level }: { level: keyof typeof healthTones }) {
  return <Badge tone={healthTones[level]}>{healthLabels[level]}</Badge>;
}
