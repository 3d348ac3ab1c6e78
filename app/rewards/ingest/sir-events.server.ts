import { db, type Database } from "../../db.server";
import { addRewardEvent, resumeParkedRewards } from "../../models/Reward.server";
import { clearPoolEmpty } from "../../models/ProviderConnection.server";
import { logger } from "../../logger.server";
import type { InboxEvent } from "./inbox-event";

const log = logger.child({ component: "sir-events" });

type SirEnvelope = { id: string; type: string; data: Record<string, unknown> };

function actionIdOf(data: Record<string, unknown>): string | null {
  const id = data.actionId ?? data.id;
  return typeof id === "string" ? id : null;
}

async function noteOnReward(
  event: InboxEvent,
  data: Record<string, unknown>,
  type: string,
  message: string,
  database: Database,
) {
  const actionId = actionIdOf(data);
  if (!actionId) return null;
  const reward = await database.reward.findFirst({
    where: { shopDomain: event.shopDomain, actionId },
  });
  if (reward) await addRewardEvent(reward.id, type, message, database);
  return reward;
}

// SIR's own webhooks (already verified and deduplicated on the envelope id).
export async function applySirEvent(event: InboxEvent, database: Database = db) {
  const envelope = JSON.parse(event.payload) as SirEnvelope;
  const data = envelope.data ?? {};
  switch (envelope.type) {
    case "action.completed":
      await noteOnReward(event, data, "confirmed", "SIR confirmed the action completed.", database);
      return;
    case "action.failed": {
      const reward = await noteOnReward(
        event,
        data,
        "failed",
        "SIR reported the action failed.",
        database,
      );
      if (reward) {
        await database.reward.update({
          where: { id: reward.id },
          data: {
            status: "failed",
            lastError: "SIR reported the action failed after accepting it.",
          },
        });
      }
      return;
    }
    case "action.reversed":
      await noteOnReward(event, data, "reversal-confirmed", "SIR confirmed a reversal.", database);
      return;
    case "token_pool.low_balance":
      await database.providerConnection.updateMany({
        where: { shopDomain: event.shopDomain },
        data: { poolLowAt: new Date() },
      });
      return;
    case "token_pool.refilled": {
      await database.providerConnection.updateMany({
        where: { shopDomain: event.shopDomain },
        data: { poolLowAt: null },
      });
      await clearPoolEmpty(event.shopDomain, database);
      const resumed = await resumeParkedRewards(event.shopDomain, database);
      log.info("pool refilled; parked rewards resumed", { shop: event.shopDomain, resumed });
      return;
    }
    default:
      log.debug("SIR event ignored", { type: envelope.type });
  }
}
