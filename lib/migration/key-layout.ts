// Whether a migration can move a tenant's items between two storage
// instances: a move copies items verbatim (it does not rewrite keys), so the
// target must key items exactly as the source does. Used by the plan screen
// and the operation's validation, which refuse a target with the reason.
import { describeKeyScheme, sameKeyLayout, type KeyScheme } from "../storage/key-scheme";

/** Null when items copy verbatim from `source` to `target`; otherwise why not, naming what differs. */
export function keyLayoutRefusal(source: KeyScheme, target: KeyScheme, targetId: string): string | null {
  if (sameKeyLayout(source, target)) return null;
  const fields = (["partitionKey", "sortKey", "template", "tenantAttribute", "changeStamp"] as const).filter(
    (f) => source[f] !== target[f],
  );
  const shown = fields.map((f) => `${f} ${JSON.stringify(source[f])} here, ${JSON.stringify(target[f])} there`).join("; ");
  return `${targetId} keys its items differently (${shown}): a migration copies items verbatim and cannot rewrite their keys. Source: ${describeKeyScheme(source)}. Target: ${describeKeyScheme(target)}.`;
}
