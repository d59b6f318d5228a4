"use client";

/** Opens the browser's print dialog (the page's print styles leave out the console's navigation). */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-md border border-border px-2.5 py-1 text-xs font-medium text-accent hover:bg-surface-2 print:hidden"
    >
      {label}
    </button>
  );
}
