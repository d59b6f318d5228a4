// Tenant reads for the catalog pages. Shaped (db, params) so pages, route
// handlers, tests and benchmarks share one data path.
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../db/client";
import type { TenantListParams, TenantSortKey } from "./tenant-list-params";
import { slugPattern } from "./vocabulary";

const sortColumns: Record<TenantSortKey, keyof Prisma.TenantOrderByWithRelationInput> = {
  name: "name",
  id: "id",
  tier: "tier",
  model: "deploymentModel",
  status: "status",
  instance: "storageInstanceId",
  created: "createdAt",
};

/** LIKE treats % _ and \ as wildcards or escapes; a search for "50%" means the characters. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function tenantListWhere(params: TenantListParams, ids?: readonly string[]): Prisma.TenantWhereInput {
  const and: Prisma.TenantWhereInput[] = [];
  if (ids) and.push({ id: { in: [...ids] } });
  if (params.q) {
    const q = escapeLike(params.q);
    and.push({
      OR: [
        { id: { contains: q.toLowerCase() } },
        { name: { contains: q, mode: "insensitive" } },
        { contactEmail: { contains: q, mode: "insensitive" } },
      ],
    });
  }
  if (params.tier) and.push({ tier: params.tier });
  if (params.model) and.push({ deploymentModel: params.model });
  if (params.status) and.push({ status: params.status });
  if (params.instance) {
    and.push({ OR: [{ storageInstanceId: params.instance }, { bridgeInstanceId: params.instance }] });
  }
  return and.length ? { AND: and } : {};
}

const tenantRowSelect = {
  id: true,
  name: true,
  tier: true,
  deploymentModel: true,
  status: true,
  keyPrefix: true,
  updatedAt: true,
  plan: { select: { id: true, name: true, ratePerSec: true, quotaPerDay: true } },
  storageInstance: { select: { id: true, tableName: true, mode: true } },
  bridgeInstance: { select: { id: true, tableName: true } },
} satisfies Prisma.TenantSelect;

export type TenantRow = Prisma.TenantGetPayload<{ select: typeof tenantRowSelect }>;

export interface TenantPage {
  rows: TenantRow[];
  total: number;
  page: number;
  size: number;
  pageCount: number;
}

/** One page of the list; `ids` narrows it to those tenants (a filter computed outside the catalog, such as health). */
export async function listTenants(db: Db, params: TenantListParams, ids?: readonly string[]): Promise<TenantPage> {
  const where = tenantListWhere(params, ids);
  const [total, rows] = await Promise.all([
    db.tenant.count({ where }),
    db.tenant.findMany({
      where,
      select: tenantRowSelect,
      // The id tie-break keeps pages stable when the sort column repeats.
      orderBy: [{ [sortColumns[params.sort]]: params.dir }, { id: "asc" }],
      skip: (params.page - 1) * params.size,
      take: params.size,
    }),
  ]);
  return { rows, total, page: params.page, size: params.size, pageCount: Math.max(1, Math.ceil(total / params.size)) };
}

export async function getTenant(db: Db, id: string) {
  return db.tenant.findUnique({
    where: { id },
    include: {
      plan: true,
      storageInstance: true,
      bridgeInstance: true,
      operations: {
        orderBy: { createdAt: "desc" },
        take: 20,
        include: { requestedBy: { select: { email: true, name: true } } },
      },
    },
  });
}

export type TenantDetail = NonNullable<Awaited<ReturnType<typeof getTenant>>>;

/**
 * What a tenant's action pages (plan change, migration, restore) need to know
 * before they load anything else; null for an unknown id or one that cannot
 * be a tenant id.
 */
export async function getTenantSummary(db: Db, { id }: { id: string }) {
  if (!slugPattern.test(id)) return null;
  return db.tenant.findUnique({
    where: { id },
    select: { id: true, name: true, status: true, planId: true, storageInstanceId: true },
  });
}

export type TenantSummary = NonNullable<Awaited<ReturnType<typeof getTenantSummary>>>;
