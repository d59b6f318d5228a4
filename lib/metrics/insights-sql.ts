// CloudWatch Metrics Insights queries built from a typed spec: the SQL text
// GetMetricData takes as a query's Expression, with names and values quoted
// and escaped as the query language says (docs: "Metrics Insights query
// components and syntax"). Pure: the reader (insights.ts) sends what this
// builds, and the local endpoint parses the same language with the same
// keywords.

export const insightsFunctions = ["AVG", "COUNT", "MAX", "MIN", "SUM"] as const;
export type InsightsFunction = (typeof insightsFunctions)[number];

/** A query returns at most 500 time series, and LIMIT may not ask for more. */
export const maxInsightsSeries = 500;
/** A query processes at most the first 10,000 metrics its SELECT, FROM and WHERE match. */
export const maxInsightsMetrics = 10_000;
/** MetricDataQuery.Expression is at most 2,048 characters. */
export const maxExpressionLength = 2_048;

/**
 * Words a bare (unquoted) namespace, metric or dimension name may not be:
 * the query language's keywords and functions. Any name may be written in
 * double quotes, so the builder quotes these.
 */
export const insightsKeywords: ReadonlySet<string> = new Set([
  "SELECT",
  "FROM",
  "SCHEMA",
  "WHERE",
  "AND",
  "OR",
  "NOT",
  "IN",
  "LIKE",
  "GROUP",
  "BY",
  "ORDER",
  "ASC",
  "DESC",
  "LIMIT",
  ...insightsFunctions,
]);

export interface InsightsSpec {
  /** The metric: SELECT FUNCTION(metricName). */
  metricName: string;
  /** How the observations of each period are aggregated across the matched metrics. */
  function: InsightsFunction;
  /**
   * FROM SCHEMA(namespace, ...schema): only metrics with exactly these
   * dimension names (an empty list: metrics with no dimensions). Omitted:
   * FROM namespace, every metric of that name whatever its dimensions.
   */
  schema?: string[];
  /** WHERE name = 'value' AND ...: only metrics with these dimension values. */
  where?: Record<string, string>;
  /** GROUP BY: one time series per value (or combination of values) of these dimensions. */
  groupBy?: string[];
  /** ORDER BY FUNCTION() ASC|DESC: orders the series by that aggregate of each series' datapoints over the range. */
  orderBy?: { function: InsightsFunction; direction: "ASC" | "DESC" };
  /** LIMIT: at most this many series (1 to 500); with orderBy, a "top N" query. */
  limit?: number;
}

/** A spec that cannot become a valid query; `problems` says each thing wrong. */
export class InsightsSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`Metrics Insights query: ${problems.join("; ")}`);
    this.name = "InsightsSpecError";
  }
}

const bareName = /^[A-Za-z0-9_]+$/;
const controlCharacter = /[\u0000-\u001f\u007f]/;

const doubleQuoted = (name: string) => `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** A metric or dimension name as the query writes it: bare when it may be, else in double quotes with `"` and `\` escaped. */
export function quoteName(name: string): string {
  return bareName.test(name) && !insightsKeywords.has(name.toUpperCase()) ? name : doubleQuoted(name);
}

/** A dimension value as the query writes it: always in single quotes, `'` and `\` escaped with a backslash. */
export function quoteValue(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function checkText(problems: string[], what: string, value: unknown, max: number): value is string {
  if (typeof value !== "string" || value.length < 1 || value.length > max) {
    problems.push(`${what} must be a string of 1 to ${max} characters`);
    return false;
  }
  if (controlCharacter.test(value)) {
    problems.push(`${what} must not contain control characters`);
    return false;
  }
  return true;
}

function checkFunction(problems: string[], what: string, value: unknown): void {
  if (!insightsFunctions.includes(value as InsightsFunction)) problems.push(`${what} must be one of ${insightsFunctions.join(", ")}`);
}

/** The problems with a spec (empty when it builds a valid query). */
export function insightsSpecProblems(namespace: string, spec: InsightsSpec): string[] {
  const problems: string[] = [];
  checkText(problems, "the namespace", namespace, 255);
  checkText(problems, "metricName", spec.metricName, 255);
  checkFunction(problems, "function", spec.function);
  const schema = spec.schema;
  const names = (list: string[] | undefined, what: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) return void problems.push(`${what} must be a list of dimension names`);
    list.forEach((name, i) => checkText(problems, `${what}[${i}]`, name, 255));
    if (new Set(list).size !== list.length) problems.push(`${what} names a dimension twice`);
  };
  names(schema, "schema");
  if (schema && schema.length > 30) problems.push("schema: a metric has at most 30 dimensions");
  const outsideSchema = (name: string) => schema !== undefined && !schema.includes(name);
  for (const [name, value] of Object.entries(spec.where ?? {})) {
    if (!checkText(problems, `where: the dimension name "${name.slice(0, 40)}"`, name, 255)) continue;
    checkText(problems, `where.${name}`, value, 1024);
    if (outsideSchema(name)) problems.push(`where.${name}: ${name} is not in the schema, so no metric could match`);
  }
  names(spec.groupBy, "groupBy");
  for (const name of spec.groupBy ?? [])
    if (typeof name === "string" && outsideSchema(name))
      problems.push(`groupBy: ${name} is not in the schema, so every series would be "Other"`);
  if (spec.orderBy !== undefined) {
    checkFunction(problems, "orderBy.function", spec.orderBy.function);
    if (spec.orderBy.direction !== "ASC" && spec.orderBy.direction !== "DESC") problems.push("orderBy.direction must be ASC or DESC");
  }
  if (spec.limit !== undefined && (!Number.isInteger(spec.limit) || spec.limit < 1 || spec.limit > maxInsightsSeries))
    problems.push(`limit must be a whole number from 1 to ${maxInsightsSeries}`);
  return problems;
}

/**
 * The query's SQL. Throws InsightsSpecError for a spec it cannot express
 * (names too long or with control characters, an unknown function, a limit
 * over 500, WHERE or GROUP BY on a dimension outside the schema, a query
 * over 2,048 characters).
 */
export function insightsSql(namespace: string, spec: InsightsSpec): string {
  const problems = insightsSpecProblems(namespace, spec);
  if (problems.length) throw new InsightsSpecError(problems);
  // The namespace always in double quotes, as AWS's examples write it ("AWS/EC2").
  const from = spec.schema ? `SCHEMA(${[doubleQuoted(namespace), ...spec.schema.map(quoteName)].join(", ")})` : doubleQuoted(namespace);
  const clauses = [`SELECT ${spec.function}(${quoteName(spec.metricName)})`, `FROM ${from}`];
  const where = Object.entries(spec.where ?? {});
  if (where.length) clauses.push(`WHERE ${where.map(([name, value]) => `${quoteName(name)} = ${quoteValue(value)}`).join(" AND ")}`);
  if (spec.groupBy?.length) clauses.push(`GROUP BY ${spec.groupBy.map(quoteName).join(", ")}`);
  if (spec.orderBy) clauses.push(`ORDER BY ${spec.orderBy.function}() ${spec.orderBy.direction}`);
  if (spec.limit !== undefined) clauses.push(`LIMIT ${spec.limit}`);
  const sql = clauses.join(" ");
  if (sql.length > maxExpressionLength)
    throw new InsightsSpecError([`the query is ${sql.length} characters; GetMetricData takes at most ${maxExpressionLength}`]);
  return sql;
}
