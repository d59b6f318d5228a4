// What a restore would change: the tenant's items now against the items to
// restore, by key and content hash. Pure.

export interface RestoreDiff {
  /** Keys in the source but not in the tenant's items now. */
  add: string[];
  /** Keys in both whose content differs. */
  change: string[];
  /** Keys the tenant has now that the source lacks. */
  remove: string[];
  unchanged: number;
}

export function diffItems(current: ReadonlyMap<string, string>, wanted: ReadonlyMap<string, string>): RestoreDiff {
  const add: string[] = [];
  const change: string[] = [];
  const remove: string[] = [];
  let unchanged = 0;
  for (const [key, hash] of wanted) {
    const now = current.get(key);
    if (now === undefined) add.push(key);
    else if (now !== hash) change.push(key);
    else unchanged++;
  }
  for (const key of current.keys()) if (!wanted.has(key)) remove.push(key);
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { add: add.sort(byKey), change: change.sort(byKey), remove: remove.sort(byKey), unchanged };
}
