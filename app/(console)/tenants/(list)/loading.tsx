import { TableSkeleton } from "@/components/ui/skeletons";

export default function Loading() {
  return <TableSkeleton title="Tenants" />;
}
