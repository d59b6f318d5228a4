import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client";
import { config } from "../config/config";
import { clientAddress } from "./client-address";
import { sameOriginRedirect } from "./return-to";
import { liveSessionUser, revokeSession, sessionHours, type RequestFacts } from "./sessions";
import { signInPausedCode, signInWithOidc, signInWithPassword } from "./sign-in";
import { transportPolicy } from "./transport";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
  interface User {
    /** Set by our sign-in: the UserSession the cookie will name. */
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The only claim of our own: the UserSession's id. */
    sid?: string;
  }
}

type HeaderBag = Record<string, string | string[] | undefined>;

/** The client's address (throttling) and browser (the users page) from a request's headers. */
export function requestFacts(headers: HeaderBag | Headers | undefined): RequestFacts {
  const bag = headers ?? {};
  const agent = bag instanceof Headers ? bag.get("user-agent") : bag["user-agent"];
  return {
    address: clientAddress(bag, config().AUTH_TRUSTED_PROXY_HOPS),
    userAgent: (Array.isArray(agent) ? agent[0] : agent) ?? "",
  };
}

async function currentRequestFacts(): Promise<RequestFacts> {
  const { headers } = await import("next/headers");
  return requestFacts(await headers());
}

/** Whether this process's session cookies are `Secure` (always, in production: lib/auth/transport.ts). */
export function secureCookies(): boolean {
  return transportPolicy(config(), process.env.NODE_ENV).secureCookies;
}

// The profile object next-auth hands both the signIn and the jwt callback of one OIDC sign-in → the session started.
const oidcSessions = new WeakMap<object, string>();

function buildOptions(): NextAuthOptions {
  const env = config();
  const providers: NextAuthOptions["providers"] = [];
  if (env.AUTH_PASSWORD_SIGNIN === "on") {
    providers.push(
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const result = await signInWithPassword(getDb(), credentials, requestFacts(request?.headers as HeaderBag | undefined));
          if (!result.ok) {
            // next-auth hands a thrown message to the form as its error code.
            if (result.paused) throw new Error(signInPausedCode);
            return null;
          }
          return { ...result.user, sessionId: result.sessionId };
        },
      }),
    );
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? "", name: profile.name ?? profile.email ?? profile.sub };
      },
    });
  }
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: sessionHours * 60 * 60 },
    useSecureCookies: secureCookies(),
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    callbacks: {
      // OIDC proves who someone is; only people an admin added to the console, with a verified e-mail, may enter.
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        if (!profile) return false;
        const result = await signInWithOidc(getDb(), profile, await currentRequestFacts());
        if (!result.ok) return false;
        oidcSessions.set(profile, result.sessionId);
        return true;
      },
      // The cookie carries only the session's id; everything else is read from the catalog on each request.
      async jwt({ token, user, profile }) {
        if (user) {
          const sid = user.sessionId ?? (profile ? oidcSessions.get(profile) : undefined);
          if (!sid) throw new Error("sign-in started no session");
          return { sid };
        }
        // /api/auth/session: a revoked or expired session is no session (next-auth then clears the cookie).
        if (!token.sid || !(await liveSessionUser(getDb(), token.sid, new Date()))) throw new Error("session ended");
        return { sid: token.sid };
      },
      async session({ session }) {
        // Nothing of the user for the browser's script: pages read the signed-in user on the server.
        return { expires: session.expires, user: { id: "", email: "", name: "" } };
      },
      redirect: sameOriginRedirect,
    },
    events: {
      // Server side, in the sign-out request itself: the session ends in the catalog, not only in this browser.
      async signOut({ token }) {
        if (token?.sid) await revokeSession(getDb(), token.sid, "signed_out", new Date());
      },
    },
  };
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= buildOptions();
  return options;
}

export function passwordSignInEnabled(): boolean {
  return config().AUTH_PASSWORD_SIGNIN === "on";
}

export function oidcProviderName(): string | null {
  const env = config();
  return env.OIDC_ISSUER ? env.OIDC_NAME : null;
}
