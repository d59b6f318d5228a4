"use client";

import { createContext, useContext } from "react";
import type { Permission } from "@/lib/auth/permissions";

const ViewerPermissions = createContext<ReadonlySet<Permission>>(new Set());

/** The signed-in user's permissions, for hiding controls they cannot use (the server checks every action anyway). */
export function ViewerProvider({ permissions, children }: { permissions: Permission[]; children: React.ReactNode }) {
  return <ViewerPermissions.Provider value={new Set(permissions)}>{children}</ViewerPermissions.Provider>;
}

export function useCan(permission: Permission): boolean {
  return useContext(ViewerPermissions).has(permission);
}

/** Every permission of the signed-in user (e.g. to filter a list of links). */
export function useViewerPermissions(): ReadonlySet<Permission> {
  return useContext(ViewerPermissions);
}
