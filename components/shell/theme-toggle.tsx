"use client";

import { useState } from "react";
import { themeCookie, themes, type Theme } from "@/components/shell/theme";

const labels: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

function apply(theme: Theme) {
  const root = document.documentElement;
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  root.classList.remove("light", "dark");
  if (theme !== "system") root.classList.add(theme);
  else if (dark) root.classList.add("dark");
}

export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <label className="flex items-center gap-2 text-muted">
      <span className="sr-only sm:not-sr-only">Theme</span>
      <select
        aria-label="Colour theme"
        value={theme}
        onChange={(event) => {
          const next = event.target.value as Theme;
          setTheme(next);
          apply(next);
          document.cookie = `${themeCookie}=${next}; path=/; max-age=31536000; samesite=lax`;
        }}
        className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
      >
        {themes.map((value) => (
          <option key={value} value={value}>
            {labels[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
