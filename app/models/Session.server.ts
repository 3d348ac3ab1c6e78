import { db, type Database } from "../db.server";

// The Session table belongs to @shopify/shopify-app-session-storage-prisma (see
// app/shopify.server.ts); this only reads it.

/** The scopes the shop granted the app's offline session; null when there is no such session. */
export async function offlineSessionScopes(
  shopDomain: string,
  database: Database = db,
): Promise<string[] | null> {
  const session = await database.session.findFirst({
    where: { shop: shopDomain, isOnline: false },
    select: { scope: true },
  });
  if (!session) return null;
  return (session.scope ?? "")
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
}
