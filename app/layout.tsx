import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import { cookies } from "next/headers";
import { themeCookie, parseTheme } from "@/components/shell/theme";
import "./globals.css";

const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Tenant Storage Console", template: "%s · Tenant Storage Console" },
  description: "Operators' console for multi-tenant storage: placement, fairness and operations.",
};

export const viewport: Viewport = { colorScheme: "light dark" };

// Applies the system theme before first paint when the user has not chosen one.
const systemThemeScript = `try{if(!document.documentElement.classList.contains('light')&&!document.documentElement.classList.contains('dark')&&matchMedia('(prefers-color-scheme: dark)').matches)document.documentElement.classList.add('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = parseTheme((await cookies()).get(themeCookie)?.value);
  return (
    <html lang="en" className={`${inter.variable} ${theme === "system" ? "" : theme}`} suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: systemThemeScript }} />
      </head>
      <body className="min-h-screen font-sans text-sm antialiased">{children}</body>
    </html>
  );
}
