// What a metrics view hands to a page or a live panel: the view, or the
// dependency that failed, so the page can show the rest and name the cause.
import { DependencyError } from "../metrics/source";

/** `at`: when the server read it (ms since epoch), shown as the panel's "updated" time. */
export type ViewResult<T> = ({ ok: true; view: T } | { ok: false; dependency: string; message: string }) & { at: number };

export async function settleView<T>(load: Promise<T>): Promise<ViewResult<T>> {
  try {
    return { ok: true, view: await load, at: Date.now() };
  } catch (error) {
    if (error instanceof DependencyError) return { ok: false, dependency: error.dependency, message: error.message, at: Date.now() };
    throw error;
  }
}
