/** Route tables and a small matcher for "actions/:actionId/reverse"-style paths. */
import type { SandboxContext } from "./context";
import type { KeyPair, Partner } from "./state";
import type { JsonBody } from "./validation";

/** "hmac": signed with sk_ (pk_ gets 403). "widget": pk_ only, no signature, CORS enabled. */
export type RouteAuth = "hmac" | "widget";

export interface RouteRequest {
  context: SandboxContext;
  partner: Partner;
  keyPair: KeyPair;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parses the raw body on first use; 400 VALIDATION when it is not a JSON object. */
  body(): JsonBody;
}

export interface RouteResult {
  status: number;
  body: unknown;
  /** A bulk request's status per item, in order (for the request log). */
  itemStatuses?: number[];
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** Relative to /v1/partner/. */
  path: string;
  auth: RouteAuth;
  scope?: string;
  handle(request: RouteRequest): RouteResult;
}

export class Router<R extends { method: string; path: string } = Route> {
  private readonly compiled: { route: R; segments: string[] }[];

  /** Earlier routes win, so list static paths ("campaigns/active") before "campaigns/:id". */
  constructor(routes: R[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.path.split("/") }));
  }

  match(method: string, relativePath: string): { route: R; params: Record<string, string> } | null {
    const parts = relativePath.split("/");
    for (const { route, segments } of this.compiled) {
      if (route.method !== method) continue;
      const params = matchSegments(segments, parts);
      if (params) return { route, params };
    }
    return null;
  }

  /** Whether a route for any method matches this path and satisfies the predicate. */
  hasPath(relativePath: string, predicate: (route: R) => boolean): boolean {
    const parts = relativePath.split("/");
    return this.compiled.some(
      ({ route, segments }) => predicate(route) && matchSegments(segments, parts) !== null,
    );
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index];
    const part = parts[index];
    if (segment.startsWith(":")) {
      if (part === "") return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (segment !== part) return null;
  }
  return params;
}
