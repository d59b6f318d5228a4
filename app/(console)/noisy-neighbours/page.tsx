import { redirect } from "next/navigation";

// Noisy neighbours are findings of one kind now: the watcher finds them continuously (lib/fleet-watch), and the findings
// page lists them with their history. Old links and bookmarks land there.
export default function NoisyNeighboursPage(): never {
  redirect("/findings?kind=noisy_neighbour");
}
