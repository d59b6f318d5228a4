/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // PGlite and the pg driver load native-ish assets at run time; keep them out of the server bundle.
  serverExternalPackages: ["@prisma/adapter-pg", "pg", "@electric-sql/pglite", "@electric-sql/pglite-socket"],
  // forbidden() renders app/forbidden.tsx with a 403 for pages a role may not open.
  // serverActions.bodySizeLimit: a fleet import's file is sent to its server action (lib/fleet-import/requests.ts allows 8 MB).
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "9mb" } },
  // npm test type-checks the whole tree in its own stage before the end-to-end build, and says so with this variable.
  typescript: { ignoreBuildErrors: process.env.NEXT_BUILD_SKIP_TYPECHECK === "1" },
  // Headers every response carries, API routes included. The Content-Security-Policy (a nonce per request) and HSTS
  // (only over https) depend on the request and are set in proxy.ts (docs/security.md, "Headers").
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
