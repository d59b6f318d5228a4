import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "../db/client";
import { config } from "../config/config";
import { verifyPassword } from "./passwords";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

// A constant-cost dummy compare for unknown e-mails, so timing does not reveal which accounts exist.
const dummyHash = "$2b$10$BIgXaQNCQbDdjUt7YA2aO.TBrZnGEwiVWfqbEi6SPCWPXTLjPyEM.";

async function authorizeWithPassword(raw: unknown) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const user = await getDb().user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true, name: true, disabled: true, passwordHash: true },
  });
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? dummyHash);
  if (!user || !user.passwordHash || !ok || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name };
}

function buildOptions(): NextAuthOptions {
  const env = config();
  const providers: NextAuthOptions["providers"] = [];
  if (env.AUTH_PASSWORD_SIGNIN === "on") {
    providers.push(
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: authorizeWithPassword,
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
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    callbacks: {
      // OIDC proves who someone is; only people an admin added to the console may enter, with the role set here.
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const email = user.email?.toLowerCase();
        if (!email) return false;
        const known = await getDb().user.findUnique({ where: { email }, select: { disabled: true } });
        return Boolean(known && !known.disabled);
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const known = await getDb().user.findUnique({
            where: { email: (user.email ?? "").toLowerCase() },
            select: { id: true },
          });
          token.uid = known?.id;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = {
          id: typeof token.uid === "string" ? token.uid : "",
          email: token.email ?? "",
          name: token.name ?? "",
        };
        return session;
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
