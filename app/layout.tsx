import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import { cookies, headers } from "next/headers";
import { themeCookie, parseTheme } from "@/components/shell/theme";
import { config } from "@/lib/config/config";
import { nonceHeader } from "@/lib/validation/security-headers";
import "./globals.css";

const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

const name = "Tenant Storage Console";
const description = "Operators' console for multi-tenant storage: placement, fairness and operations.";

// The static assets are in public/ (served to signed-out visitors too: see proxy.ts).
export async function generateMetadata(): Promise<Metadata> {
  // Social previews need absolute URLs: the console's public URL, else (locally) its origin as the request reached it.
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host");
  const protocol = request.get("x-forwarded-proto") ?? "http";
  const publicUrl = config().NEXTAUTH_URL ?? (host ? `${protocol}://${host}` : undefined);
  return {
    metadataBase: publicUrl ? new URL(publicUrl) : undefined,
    title: { default: name, template: `%s · ${name}` },
    description,
    applicationName: name,
    manifest: "/manifest.webmanifest",
    icons: {
      icon: [
        { url: "/favicon.ico", sizes: "16x16 32x32" },
        { url: "/favicon.svg", type: "image/svg+xml" },
      ],
      apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
    },
    openGraph: {
      type: "website",
      siteName: name,
      title: name,
      description,
      images: [{ url: "/og-image.png", width: 1200, height: 630, alt: `${name}: placement, fairness and operations` }],
    },
    twitter: { card: "summary_large_image" },
  };
}

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#161c24" },
  ],
};

// Applies the system theme before first paint when the user has not chosen one.
const systemThemeScript = `try{if(!document.documentElement.classList.contains('light')&&!document.documentElement.classList.contains('dark')&&matchMedia('(prefers-color-scheme: dark)').matches)document.documentElement.classList.add('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = parseTheme((await cookies()).get(themeCookie)?.value);
  // The Content-Security-Policy's nonce for this request (proxy.ts): the one inline script the console has needs it.
  const nonce = (await headers()).get(nonceHeader) ?? undefined;
  return (
    <html lang="en" className={`${inter.variable} ${theme === "system" ? "" : theme}`} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: systemThemeScript }} />
      </head>
      <body className="min-h-screen font-sans text-sm antialiased">{children}</body>
    </html>
  );
}
