import { db, type Database } from "../../db.server";
import { addRewardEvent, addRewardEvents, resumeParkedRewards } from "../../models/Reward.server";
import { clearPoolEmpty } from "../../models/ProviderConnection.server";
import { logger } from "../../logger.server";
import { parseSirWebhookEnvelope } from "../../sir";
import type { InboxEvent } from "./inbox-event";

const log = logger.child({ component: "sir-events" });

type SirEnvelope = { type: string; data: Record<string, unknown> };

// Through the one reader of the envelope, which also takes other plausible field names.
const envelopeOf = (event: InboxEvent): SirEnvelope =>
  parseSirWebhookEnvelope(event.payload) ?? { type: event.topic, data: {} };

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

// SIR confirms every action it completes or reverses: a line on the reward's timeline, no more.
const ACTION_NOTES = new Map([
  ["action.completed", { type: "confirmed", message: "SIR confirmed the action completed." }],
  ["action.reversed", { type: "reversal-confirmed", message: "SIR confirmed a reversal." }],
]);

export function isActionNote(event: InboxEvent) {
  return event.source === "sir" && ACTION_NOTES.has(event.topic);
}

/**
 * Many action notes at once (one per order at volume), with the error applySirEvent would
 * throw for each, by event id: one lookup of the rewards by action id and one insert of the
 * timeline lines per shop, instead of two statements per note.
 */
export async function noteSirActions(
  events: InboxEvent[],
  database: Database = db,
): Promise<Map<string, unknown>> {
  const errors = new Map<string, unknown>();
  const notes: Array<{ shopDomain: string; actionId: string; type: string; message: string }> = [];
  for (const event of events) {
    try {
      const envelope = envelopeOf(event);
      const actionId = actionIdOf(envelope.data);
      const note = ACTION_NOTES.get(envelope.type);
      if (actionId && note) notes.push({ shopDomain: event.shopDomain, actionId, ...note });
    } catch (error) {
      errors.set(event.id, error);
    }
  }
  for (const shopDomain of new Set(notes.map((note) => note.shopDomain))) {
    const ofShop = notes.filter((note) => note.shopDomain === shopDomain);
    const rewards = await database.reward.findMany({
      where: { shopDomain, actionId: { in: ofShop.map((note) => note.actionId) } },
      select: { id: true, actionId: true },
    });
    const rewardIdOf = new Map(rewards.map((reward) => [reward.actionId, reward.id]));
    await addRewardEvents(
      ofShop
        .filter((note) => rewardIdOf.has(note.actionId))
        .map(({ actionId, type, message }) => ({
          rewardId: rewardIdOf.get(actionId)!,
          type,
          message,
        })),
      database,
    );
  }
  return errors;
}

// SIR's own webhooks (already verified and deduplicated on the envelope id).
export async function applySirEvent(event: InboxEvent, database: Database = db) {
  const envelope = envelopeOf(event);
  const data = envelope.data;
  switch (envelope.type) {
    case "action.completed":
    case "action.reversed": {
      const { type, message } = ACTION_NOTES.get(envelope.type)!;
      await noteOnReward(event, data, type, message, database);
      return;
    }
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
