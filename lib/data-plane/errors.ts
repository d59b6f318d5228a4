// What the data-plane library refuses with: errors a service can tell apart
// and surface (a retryable one as 503 or 429 with Retry-After).

/** Base of the library's refusals; `retryable` says whether the same call may succeed later. */
export class TenantDataError extends Error {
  readonly retryable: boolean = false;
  constructor(
    readonly tenantId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A write of a tenant whose writes are frozen (a migration's or a restore's
 * last copy), still frozen after the configured wait; or, while the tenant is
 * being moved, a write this process cannot vouch for because it has not read
 * the tenant's routing for longer than the readers' lease ("fenced"). Retry
 * after `retryAfterMs`: a freeze lasts seconds.
 */
export class TenantWriteFrozenError extends TenantDataError {
  override name = "TenantWriteFrozenError";
  override readonly retryable = true;
  constructor(
    tenantId: string,
    readonly reason: "frozen" | "fenced",
    readonly retryAfterMs: number,
  ) {
    super(
      tenantId,
      reason === "frozen"
        ? `writes of tenant ${tenantId} are frozen while it is moved; retry in ${retryAfterMs} ms`
        : `writes of tenant ${tenantId} are paused: its routing could not be read recently while it is moved; retry in ${retryAfterMs} ms`,
    );
  }
}

/**
 * The tenant cannot be served: no routing record ("unknown"), not yet placed,
 * suspended or offboarded. Not retryable. A suspended tenant's `reason` is the
 * one the operator gave (e.g. "unpaid invoice"), also in the message, so a
 * service can tell its caller why; null for the other statuses.
 */
export class TenantUnavailableError extends TenantDataError {
  override name = "TenantUnavailableError";
  constructor(
    tenantId: string,
    readonly status: "unknown" | "provisioning" | "suspended" | "offboarded",
    readonly reason: string | null = null,
  ) {
    super(
      tenantId,
      status === "unknown" ? `tenant ${tenantId} has no routing record` : `tenant ${tenantId} is ${status}${reason ? `: ${reason}` : ""}`,
    );
  }
}

/** In-process plan enforcement refused the request: over the plan's rate and burst, or its daily quota. */
export class TenantThrottledError extends TenantDataError {
  override name = "TenantThrottledError";
  override readonly retryable = true;
  constructor(
    tenantId: string,
    readonly reason: "rate" | "quota",
    readonly retryAfterMs: number,
  ) {
    super(
      tenantId,
      reason === "rate"
        ? `tenant ${tenantId} is over its plan's request rate; retry in ${retryAfterMs} ms`
        : `tenant ${tenantId} has used its plan's daily quota; it resets in ${Math.ceil(retryAfterMs / 60_000)} min (midnight UTC)`,
    );
  }
}

/** The tenant's routing record could not be read and no copy recent enough is held. Retryable. */
export class TenantRoutingUnavailableError extends TenantDataError {
  override name = "TenantRoutingUnavailableError";
  override readonly retryable = true;
  readonly retryAfterMs = 1_000;
  constructor(tenantId: string, cause: unknown) {
    super(tenantId, `the routing of tenant ${tenantId} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.cause = cause;
  }
}

/**
 * While the tenant is being moved, the keys of a write must be journaled before it is sent (the move's write journal,
 * in the journal table); the journal could not be written, so the write was not sent. Retryable.
 */
export class TenantJournalUnavailableError extends TenantDataError {
  override name = "TenantJournalUnavailableError";
  override readonly retryable = true;
  readonly retryAfterMs = 1_000;
  constructor(tenantId: string, cause: unknown) {
    super(
      tenantId,
      `tenant ${tenantId} is being moved and its write journal could not be written, so the write was not sent: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.cause = cause;
  }
}
