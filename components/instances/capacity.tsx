import { withUnit } from "@/components/ui/format";

export function Capacity({ mode, read, write }: { mode: string; read: number; write: number }) {
  return (
    <span className="num">
      {withUnit(read, "RCU/s")} · {withUnit(write, "WCU/s")}
      <span className="ml-1.5 text-xs text-muted">{mode === "on_demand" ? "on-demand max" : "provisioned"}</span>
    </span>
  );
}
