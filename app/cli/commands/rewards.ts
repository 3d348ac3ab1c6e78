import { listRewards, retryFailedRewards, REWARD_STATUSES } from "../../models/Reward.server";
import { rewardForDisplay } from "../../rewards/reward-view";
import { UsageError, parseOptions, shopArg } from "../args";
import type { Command } from "../command";
import { SHOP_OPTION } from "./options";

export const rewardsList: Command = {
  name: "rewards list",
  summary: "the shop's ledger, oldest order first",
  options: {
    shop: SHOP_OPTION,
    status: {
      type: "string",
      value: "<status>",
      description: `only rewards in this status: ${REWARD_STATUSES.join(", ")}`,
    },
    json: {
      type: "boolean",
      description: "one JSON array (otherwise tab-separated lines: order, status, amount, tokens)",
    },
  },
  async run(args, { io, database }) {
    const values = parseOptions(this, args);
    const shopDomain = shopArg(this, values);
    const status = values.status as string | undefined;
    if (status && !(REWARD_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${REWARD_STATUSES.join(", ")}.`, this);
    }
    const rows = (await listRewards(shopDomain, { status }, database)).map(rewardForDisplay);
    if (values.json) {
      io.out(JSON.stringify(rows));
      return;
    }
    for (const row of rows) {
      io.out(
        [
          row.orderName,
          row.status,
          `${row.amount} ${row.currency}`,
          `+${row.tokensDistributed ?? 0}`,
          `-${row.tokensReversed}`,
          row.lastError ?? "",
        ].join("\t"),
      );
    }
  },
};

export const rewardsRetry: Command = {
  name: "rewards retry",
  summary: "queue failed rewards (and failed reversals) again",
  options: {
    shop: SHOP_OPTION,
    order: {
      type: "string",
      value: "<orderId>",
      description: "only this order (its numeric Shopify id); default every failed one",
    },
  },
  async run(args, { io, database }) {
    const values = parseOptions(this, args);
    const shopDomain = shopArg(this, values);
    const order = values.order as string | undefined;
    if (order !== undefined && !/^\d+$/.test(order)) {
      throw new UsageError("--order must be a numeric Shopify order id.", this);
    }
    const count = await retryFailedRewards(shopDomain, order ?? null, database);
    io.out(`${count} failed ${count === 1 ? "entry" : "entries"} queued again.`);
  },
};
