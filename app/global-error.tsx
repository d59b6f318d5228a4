"use client";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "3rem", maxWidth: 640, margin: "0 auto" }}>
        <h1 style={{ fontSize: 20 }}>The console could not start this page</h1>
        <p>
          A server error stopped the page before it could render. If it persists, check <a href="/api/health">/api/health</a>: it reports
          whether the catalog database is reachable.
        </p>
        {error.digest ? <p style={{ fontFamily: "monospace", fontSize: 12 }}>Reference: {error.digest}</p> : null}
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
