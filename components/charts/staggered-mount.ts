"use client";

import { useEffect, useRef, useState } from "react";

// Charts draw one at a time, each in a task of its own after the page has
// hydrated, so a page of several charts never blocks the main thread for the
// sum of them (an instance page's four charts took one 1.8 s task). Until its
// turn a chart keeps its height (no layout shift) and its figure's caption.
let tail: Promise<void> = Promise.resolve();

export function useStaggeredMount(): boolean {
  const [ready, setReady] = useState(false);
  const release = useRef<() => void>(undefined);
  useEffect(() => {
    let cancelled = false;
    const done = new Promise<void>((resolve) => (release.current = resolve));
    const turn = tail;
    tail = turn.then(() => done);
    void turn.then(() => {
      if (cancelled) release.current?.();
      // A macrotask of its own, after whatever the previous chart's commit left.
      else setTimeout(() => (cancelled ? release.current?.() : setReady(true)), 0);
    });
    return () => {
      cancelled = true;
      release.current?.();
    };
  }, []);
  useEffect(() => {
    if (!ready) return;
    // Committed and painted: the next chart may start.
    const frame = requestAnimationFrame(() => setTimeout(() => release.current?.(), 0));
    return () => cancelAnimationFrame(frame);
  }, [ready]);
  return ready;
}
