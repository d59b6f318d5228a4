// Plain JavaScript values ↔ DynamoDB AttributeValues, for the document-style
// tenant client. (@aws-sdk/util-dynamodb is not among this project's
// dependencies; this covers what a document client needs and no more.)
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/** What an item attribute may hold: strings, numbers, booleans, null, binary, string and number sets, lists and maps of these. */
export type NativeValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | Set<string>
  | Set<number>
  | NativeValue[]
  | { [name: string]: NativeValue | undefined };

/** An item (or a key) as plain values. */
export type Item = Record<string, NativeValue>;

export function toAttributeValue(value: NativeValue, path = "value"): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: DynamoDB numbers must be finite, not ${value}`);
    return { N: String(value) };
  }
  if (typeof value === "bigint") return { N: value.toString() };
  if (typeof value === "boolean") return { BOOL: value };
  if (value instanceof Uint8Array) return { B: value };
  if (value instanceof Set) {
    const members = [...value];
    if (members.length === 0) throw new TypeError(`${path}: DynamoDB sets cannot be empty`);
    if (members.every((m) => typeof m === "string")) return { SS: members };
    if (members.every((m) => typeof m === "number")) return { NS: members.map(String) };
    throw new TypeError(`${path}: a set holds only strings or only numbers`);
  }
  if (Array.isArray(value)) return { L: value.map((v, i) => toAttributeValue(v, `${path}[${i}]`)) };
  if (typeof value === "object") return { M: toAttributeValues(value as Item, path) };
  throw new TypeError(`${path}: ${typeof value} cannot be stored`);
}

/** An item as AttributeValues; attributes whose value is undefined are left out. */
export function toAttributeValues(item: Record<string, NativeValue | undefined>, path = "item"): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) if (value !== undefined) out[name] = toAttributeValue(value, `${path}.${name}`);
  return out;
}

/** Numbers come back as JavaScript numbers (precision beyond 2^53 is lost; store such values as strings). */
export function fromAttributeValue(value: AttributeValue): NativeValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return value.B;
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(Number));
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.M !== undefined) return fromAttributeValues(value.M);
  throw new TypeError(`unsupported attribute value ${JSON.stringify(Object.keys(value))}`);
}

export function fromAttributeValues(item: Record<string, AttributeValue>): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) out[name] = fromAttributeValue(value);
  return out;
}
