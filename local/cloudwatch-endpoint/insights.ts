// CloudWatch Metrics Insights for the local endpoint: the query a
// GetMetricData MetricDataQuery carries as its Expression, parsed and run
// over the store as CloudWatch documents it:
//
//   SELECT FUNCTION(metric) FROM namespace | SCHEMA(namespace, dim, ...)
//   [WHERE dim = 'value' [AND dim != 'value' ...]] [GROUP BY dim, ...]
//   [ORDER BY FUNCTION() [ASC | DESC]] [LIMIT n]
//
// Keywords are case-insensitive, names case-sensitive; names other than
// letters, digits and underscores (or that are keywords) in double quotes,
// values in single quotes, quotes inside escaped with a backslash. One
// series per group (labelled with the group's values, "Other" where a
// metric lacks the dimension), ordered alphabetically by those values unless
// ORDER BY ranks them by an aggregate of each series' datapoints; at most
// 500 series and the first 10,000 metrics; data from the last two weeks
// only; high-resolution data aggregated to one minute. What it does not
// parse (OR, IN, parentheses, tags, metric math) is refused with a message
// saying so.
import {
  insightsFunctions,
  insightsKeywords,
  maxInsightsMetrics,
  maxInsightsSeries,
  type InsightsFunction,
} from "../../lib/metrics/insights-sql";
import type { MetricStore, PeriodAggregate } from "./store";

export interface InsightsQuery {
  function: InsightsFunction;
  metric: string;
  namespace: string;
  /** SCHEMA's dimension names (sorted), or null for FROM namespace. */
  schema: string[] | null;
  where: { name: string; equal: boolean; value: string }[];
  groupBy: string[];
  orderBy: { function: InsightsFunction; descending: boolean } | null;
  limit: number | null;
}

export class InsightsSyntaxError extends Error {}

type Token = { kind: "word" | "name" | "value" | "symbol"; text: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z0-9_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i), at: start });
    } else if (c === '"' || c === "'") {
      const start = i++;
      let out = "";
      for (;;) {
        if (i >= text.length) throw new InsightsSyntaxError(`the quotation mark at position ${start + 1} is never closed`);
        const d = text[i++]!;
        if (d === c) break;
        if (d === "\\" && i < text.length) out += text[i++]!;
        else out += d;
      }
      tokens.push({ kind: c === '"' ? "name" : "value", text: out, at: start });
    } else if (c === "!" && text[i + 1] === "=") {
      tokens.push({ kind: "symbol", text: "!=", at: i });
      i += 2;
    } else if ("(),=".includes(c)) {
      tokens.push({ kind: "symbol", text: c, at: i++ });
    } else {
      throw new InsightsSyntaxError(
        `unexpected character ${JSON.stringify(c)} at position ${i + 1} (a name with characters other than letters, digits and _ goes in double quotes)`,
      );
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  describe(token: Token | undefined): string {
    if (!token) return "the end of the query";
    const shown = token.kind === "name" ? `"${token.text}"` : token.kind === "value" ? `'${token.text}'` : token.text;
    return `${shown} at position ${token.at + 1}`;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token?.kind === "word" && token.text.toUpperCase() === word;
  }

  keyword(word: string): void {
    if (!this.isKeyword(word)) throw new InsightsSyntaxError(`expected ${word}, found ${this.describe(this.peek())}`);
    this.position++;
  }

  tryKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.position++;
    return true;
  }

  /** A whole number (LIMIT's). */
  number(what: string): number {
    const token = this.peek();
    if (token?.kind !== "word" || !/^\d+$/.test(token.text))
      throw new InsightsSyntaxError(`${what} takes a whole number, found ${this.describe(token)}`);
    this.position++;
    return Number(token.text);
  }

  symbol(text: string): void {
    const token = this.peek();
    if (token?.kind !== "symbol" || token.text !== text) throw new InsightsSyntaxError(`expected "${text}", found ${this.describe(token)}`);
    this.position++;
  }

  trySymbol(text: string): boolean {
    const token = this.peek();
    if (token?.kind !== "symbol" || token.text !== text) return false;
    this.position++;
    return true;
  }

  /** A namespace, metric or dimension name: bare (not a keyword) or double-quoted. */
  name(what: string): string {
    const token = this.peek();
    if (token?.kind === "name") {
      if (!token.text) throw new InsightsSyntaxError(`the ${what} at position ${token.at + 1} is empty`);
      this.position++;
      return token.text;
    }
    if (token?.kind === "word") {
      if (insightsKeywords.has(token.text.toUpperCase()))
        throw new InsightsSyntaxError(
          `expected the ${what}, found the keyword ${this.describe(token)} (a name that is a keyword goes in double quotes)`,
        );
      this.position++;
      return token.text;
    }
    throw new InsightsSyntaxError(`expected the ${what}, found ${this.describe(token)}`);
  }

  value(): string {
    const token = this.peek();
    if (token?.kind !== "value")
      throw new InsightsSyntaxError(`expected a dimension value in single quotation marks, found ${this.describe(token)}`);
    this.position++;
    return token.text;
  }

  func(): InsightsFunction {
    const token = this.peek();
    const upper = token?.kind === "word" ? token.text.toUpperCase() : "";
    if (!insightsFunctions.includes(upper as InsightsFunction))
      throw new InsightsSyntaxError(`expected one of ${insightsFunctions.join(", ")}, found ${this.describe(token)}`);
    this.position++;
    return upper as InsightsFunction;
  }

  end(): void {
    const token = this.peek();
    if (!token) return;
    const upper = token.kind === "word" ? token.text.toUpperCase() : token.text;
    if (upper === "OR" || upper === "IN" || upper === "LIKE" || upper === "NOT" || upper === "(")
      throw new InsightsSyntaxError(
        `${this.describe(token)}: this local endpoint supports WHERE conditions of the form dimension = 'value' or dimension != 'value' joined by AND`,
      );
    throw new InsightsSyntaxError(`unexpected ${this.describe(token)}`);
  }
}

/** Parses a Metrics Insights query; throws InsightsSyntaxError saying what is wrong and where. */
export function parseInsights(text: string): InsightsQuery {
  const p = new Parser(tokenize(text));
  p.keyword("SELECT");
  const func = p.func();
  p.symbol("(");
  const metric = p.name("metric name");
  p.symbol(")");
  p.keyword("FROM");
  let namespace: string;
  let schema: string[] | null = null;
  if (p.tryKeyword("SCHEMA")) {
    p.symbol("(");
    namespace = p.name("namespace");
    schema = [];
    while (p.trySymbol(",")) schema.push(p.name("dimension name"));
    p.symbol(")");
    if (new Set(schema).size !== schema.length) throw new InsightsSyntaxError("SCHEMA names a dimension twice");
    schema.sort();
  } else {
    namespace = p.name("namespace");
  }
  const where: InsightsQuery["where"] = [];
  if (p.tryKeyword("WHERE")) {
    do {
      const name = p.name("dimension name");
      const equal = p.trySymbol("=") ? true : p.trySymbol("!=") ? false : null;
      if (equal === null) throw new InsightsSyntaxError(`expected = or != after ${name}, found ${p.describe(p.peek())}`);
      where.push({ name, equal, value: p.value() });
    } while (p.tryKeyword("AND"));
  }
  const groupBy: string[] = [];
  if (p.tryKeyword("GROUP")) {
    p.keyword("BY");
    do groupBy.push(p.name("dimension name"));
    while (p.trySymbol(","));
  }
  let orderBy: InsightsQuery["orderBy"] = null;
  if (p.tryKeyword("ORDER")) {
    p.keyword("BY");
    const orderFunction = p.func();
    p.symbol("(");
    p.symbol(")");
    const descending = p.tryKeyword("DESC");
    if (!descending) p.tryKeyword("ASC");
    orderBy = { function: orderFunction, descending };
  }
  let limit: number | null = null;
  if (p.tryKeyword("LIMIT")) {
    limit = p.number("LIMIT");
    if (limit < 1 || limit > maxInsightsSeries) throw new InsightsSyntaxError(`LIMIT must be from 1 to ${maxInsightsSeries}, not ${limit}`);
  }
  p.end();
  return { function: func, metric, namespace, schema, where, groupBy, orderBy, limit };
}

export interface InsightsSeries {
  /** The group's values joined by spaces ("Other" for a metric without the dimension); empty without GROUP BY. */
  label: string;
  points: { timestampMs: number; value: number }[];
}

export interface InsightsResult {
  series: InsightsSeries[];
  /** Top-level GetMetricData messages about limits the query ran into. */
  messages: { Code: string; Value: string }[];
}

const twoWeeksMs = 14 * 86_400_000;

function valueOf(func: InsightsFunction, a: PeriodAggregate): number {
  if (func === "SUM") return a.sum;
  if (func === "COUNT") return a.sampleCount;
  if (func === "MIN") return a.min;
  if (func === "MAX") return a.max;
  return a.sum / a.sampleCount;
}

function rank(func: InsightsFunction, values: number[]): number {
  if (func === "COUNT") return values.length;
  if (func === "MIN") return Math.min(...values);
  if (func === "MAX") return Math.max(...values);
  const sum = values.reduce((s, v) => s + v, 0);
  return func === "SUM" ? sum : sum / values.length;
}

/**
 * Runs a query over the store. `startMs` is the rounded StartTime the
 * periods are counted from; `periodSeconds` is at least 60 (Metrics Insights
 * aggregates high-resolution data to one minute). Data older than two weeks
 * is left out (the oldest period may then be partial), with the message
 * CloudWatch gives.
 */
export function runInsights(
  store: MetricStore,
  query: InsightsQuery,
  window: { startMs: number; endMs: number; periodSeconds: number; nowMs: number },
): InsightsResult {
  const messages: InsightsResult["messages"] = [];
  const oldestMs = Math.floor((window.nowMs - twoWeeksMs) / 60_000) * 60_000;
  if (window.startMs < oldestMs) messages.push({ Code: "MaxQueryTimeRangeExceeded", Value: "Max time window exceeded for query" });
  const groups = new Map<string, { values: (string | null)[]; periods: Map<number, PeriodAggregate> }>();
  let matched = 0;
  for (const metric of store.named(query.namespace, query.metric)) {
    const dims = metric.dimensions;
    if (query.schema && (dims.length !== query.schema.length || dims.some((d, i) => d.Name !== query.schema![i]))) continue;
    const valueOfDimension = (name: string) => dims.find((d) => d.Name === name)?.Value;
    if (!query.where.every((c) => (valueOfDimension(c.name) === c.value) === c.equal)) continue;
    const aggregates = store.aggregates(metric, window.startMs, window.endMs, window.periodSeconds, { dataFromMs: oldestMs });
    if (!aggregates.length) continue;
    if (++matched > maxInsightsMetrics) {
      messages.push({
        Code: "MaxMatchingResultsExceeded",
        Value: `The query matched more than ${maxInsightsMetrics} metrics; only the first were processed.`,
      });
      break;
    }
    const values = query.groupBy.map((name) => valueOfDimension(name) ?? null);
    const key = JSON.stringify(values);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { values, periods: new Map() }));
    for (const a of aggregates) {
      const into = group.periods.get(a.timestampMs);
      if (!into) group.periods.set(a.timestampMs, { ...a });
      else {
        into.sampleCount += a.sampleCount;
        into.sum += a.sum;
        into.min = Math.min(into.min, a.min);
        into.max = Math.max(into.max, a.max);
      }
    }
  }
  let series = [...groups.values()].map((group) => {
    const points = [...group.periods.values()]
      .sort((a, b) => a.timestampMs - b.timestampMs)
      .map((a) => ({ timestampMs: a.timestampMs, value: valueOf(query.function, a) }));
    return { values: group.values, label: group.values.map((v) => v ?? "Other").join(" "), points, rank: 0 };
  });
  if (!query.groupBy.length && !series.length) series.push({ values: [], label: "", points: [], rank: 0 });
  const byValues = (a: (typeof series)[number], b: (typeof series)[number]) => {
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i] ?? null;
      const y = b.values[i] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  };
  const order = query.orderBy;
  if (order)
    for (const s of series)
      s.rank = rank(
        order.function,
        s.points.map((p) => p.value),
      );
  series.sort((a, b) => (order && a.rank !== b.rank ? (a.rank < b.rank ? -1 : 1) * (order.descending ? -1 : 1) : byValues(a, b)));
  if (series.length > maxInsightsSeries && query.limit === null)
    messages.push({
      Code: "MaxQueryResultsExceeded",
      Value: `Only the first ${maxInsightsSeries} time series can be returned by a query.`,
    });
  series = series.slice(0, query.limit ?? maxInsightsSeries);
  return { series: series.map(({ label, points }) => ({ label, points })), messages };
}
