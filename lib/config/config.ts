// The console's configuration, validated once: a missing or malformed
// variable fails fast with its name in the message.
import { z } from "zod";

const optionalNonEmpty = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const serverEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string({ error: "DATABASE_URL is not set (npm run demo sets it to the embedded database)" })
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL"),
    /** Pool size per process; PGlite serialises queries anyway, real PostgreSQL benefits from a few. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
    NEXTAUTH_SECRET: z
      .string({ error: "NEXTAUTH_SECRET is not set (any random string of 32+ characters)" })
      .min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
    NEXTAUTH_URL: optionalNonEmpty.pipe(z.url("NEXTAUTH_URL must be a URL").optional()),
    /** "off" disables e-mail + password sign-in (production with an OIDC provider). */
    AUTH_PASSWORD_SIGNIN: z.enum(["on", "off"]).default("on"),
    OIDC_ISSUER: optionalNonEmpty.pipe(z.url("OIDC_ISSUER must be a URL").optional()),
    OIDC_CLIENT_ID: optionalNonEmpty,
    OIDC_CLIENT_SECRET: optionalNonEmpty,
    OIDC_NAME: z.string().default("Single sign-on"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
    if (env.AUTH_PASSWORD_SIGNIN === "off" && !env.OIDC_ISSUER) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_PASSWORD_SIGNIN"],
        message: "AUTH_PASSWORD_SIGNIN=off leaves no way to sign in unless OIDC_ISSUER is configured",
      });
    }
  });

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const result = serverEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
