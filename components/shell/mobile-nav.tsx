"use client";

import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { SidebarNav } from "./sidebar-nav";

/**
 * The header's account controls (children), and below the md breakpoint the
 * sidebar collapsed into a menu button: the menu opens over the page (nothing
 * below it moves), lists the sections and the account controls, and closes on
 * Escape, on choosing a section or on a click outside it. On wide screens the
 * same panel sits in the header showing the account controls only, so they
 * are rendered once.
 */
export function MobileNav({ children }: { children?: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // A section chosen: the page changes, the menu closes.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((was) => !was)}
        className="order-first flex shrink-0 items-center gap-1.5 rounded-md border border-border px-2.5 py-1 text-fg hover:bg-surface-2 md:hidden"
      >
        <svg aria-hidden width="14" height="14" viewBox="0 0 14 14" className="shrink-0">
          {open ? (
            <path d="M3 3l8 8M11 3l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          ) : (
            <path d="M2 3.5h10M2 7h10M2 10.5h10" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          )}
        </svg>
        Menu
      </button>
      <div
        ref={panel}
        id={id}
        className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-40 max-h-[calc(100dvh-3rem)] flex-col gap-3 overflow-y-auto border-b border-border bg-surface px-3 py-3 shadow-lg md:static md:flex md:max-h-none md:flex-row md:items-center md:overflow-visible md:border-0 md:p-0 md:shadow-none`}
      >
        <div className="md:hidden">
          <SidebarNav />
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-border px-3 pt-3 md:border-0 md:p-0">{children}</div>
      </div>
    </>
  );
}
