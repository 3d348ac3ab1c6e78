import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

/** Reloads the page's data every `intervalMs` while `active`, so live work shows without a refresh. */
export function usePolling(active: boolean, intervalMs: number) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active || state !== "idle") return;
    const timer = setTimeout(revalidate, intervalMs);
    return () => clearTimeout(timer);
  }, [active, intervalMs, revalidate, state]);
}
