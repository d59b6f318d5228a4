import { NextResponse, type NextRequest } from "next/server";
import { requestedPathHeader } from "@/lib/auth/requested-path";

// Only tells server components which URL was asked for, so a signed-out visitor
// returns to it after signing in. Every access decision stays in the pages,
// layouts, actions and routes themselves.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(requestedPathHeader, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Static files (public/: icons, the web manifest, the social preview) pass untouched, signed in or not.
  matcher: ["/((?!api/|_next/|sign-in|favicon.ico|.*\\.(?:svg|png|ico|webmanifest|woff2?)$).*)"],
};
