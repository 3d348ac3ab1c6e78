import { db, type Database } from "../../db.server";
import { findShop } from "../../models/Shop.server";
import { logger } from "../../logger.server";
import type { InboxEvent } from "./inbox-event";

const log = logger.child({ component: "app-lifecycle" });

// app/uninstalled can arrive late, even after the merchant reinstalled: an
// uninstall triggered before the current installation began is stale and
// must not wipe the new install's sessions.
export async function handleUninstall(event: InboxEvent, database: Database = db) {
  const shop = await findShop(event.shopDomain, database);
  const triggeredAt = event.triggeredAt ?? event.receivedAt;
  if (shop && triggeredAt < shop.installedAt) {
    log.info("stale uninstall ignored", { shop: event.shopDomain });
    return;
  }
  // Together, so no reader sees the sessions gone while the shop still looks installed.
  await database.$transaction([
    database.session.deleteMany({ where: { shop: event.shopDomain } }),
    database.shop.updateMany({
      where: { domain: event.shopDomain },
      data: { uninstalledAt: triggeredAt },
    }),
  ]);
}

// app/scopes_update: keep the stored sessions' scope in step with the grant.
export async function handleScopesUpdate(event: InboxEvent, database: Database = db) {
  const body = JSON.parse(event.payload) as { current?: unknown };
  if (!Array.isArray(body.current)) return;
  await database.session.updateMany({
    where: { shop: event.shopDomain },
    data: { scope: body.current.map(String).join(",") },
  });
}
