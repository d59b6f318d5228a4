// The writes this process has sent and not yet seen answered, per tenant: by
// the routing version they were issued under (a version is acknowledged only
// once no write under an older one can still land) and by their change stamp
// (catch-up passes start where the oldest stamp still in flight says).

function count(counts: Map<number, number>, key: number, by: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

export class WritesInFlight {
  private readonly versions = new Map<string, Map<number, number>>();
  private readonly stamps = new Map<string, Map<number, number>>();

  /** Registers a write; call the returned function once it is answered (or failed). */
  begin(tenantId: string, routingVersion: number, stamp: number): () => void {
    const versions = this.versions.get(tenantId) ?? new Map<number, number>();
    const stamps = this.stamps.get(tenantId) ?? new Map<number, number>();
    this.versions.set(tenantId, versions);
    this.stamps.set(tenantId, stamps);
    count(versions, routingVersion, 1);
    count(stamps, stamp, 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      count(versions, routingVersion, -1);
      count(stamps, stamp, -1);
    };
  }

  /** The oldest routing version a write of the tenant is still in flight under (Infinity when none). */
  oldestVersion(tenantId: string): number {
    const versions = this.versions.get(tenantId);
    return versions && versions.size > 0 ? Math.min(...versions.keys()) : Infinity;
  }

  /** The oldest change stamp of the tenant's writes in flight (Infinity when none). */
  oldestStamp(tenantId: string): number {
    const stamps = this.stamps.get(tenantId);
    return stamps && stamps.size > 0 ? Math.min(...stamps.keys()) : Infinity;
  }
}
