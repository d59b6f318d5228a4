// URL search parameters as filter forms send them: a repeated key counts once
// (its first value) and an empty field means "not set".
export type SearchParams = Record<string, string | string[] | undefined>;

export function firstValues(params: SearchParams, keys: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(
    keys.map((key) => {
      const value = params[key];
      const first = Array.isArray(value) ? value[0] : value;
      return [key, first === "" ? undefined : first];
    }),
  );
}
