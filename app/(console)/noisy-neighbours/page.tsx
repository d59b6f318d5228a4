import { redirect } from "next/navigation";

// Noisy neighbours are findings of the fleet watch now; old links keep working.
export default function NoisyNeighboursPage() {
  redirect("/findings?kind=noisy_neighbour");
}
