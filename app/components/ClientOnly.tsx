import { useSyncExternalStore, type ReactNode } from "react";

const subscribe = () => () => {};

/**
 * False in the server render and while React hydrates it, true from then on
 * (and at once on client-side navigations), so both renders agree.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * Renders `children` in the browser only, `fallback` on the server and in the
 * first (hydrating) browser render. For components that read `window` while
 * rendering. `children` is a function so nothing of it runs on the server.
 */
export function ClientOnly({
  children,
  fallback = null,
}: {
  children: () => ReactNode;
  fallback?: ReactNode;
}) {
  return useHydrated() ? children() : fallback;
}
