import { describe, expect, it } from "vitest";
import type { AccountAnswer, OrderRewardAnswer } from "../../app/shopper/contract";
import {
  ACCOUNT_PAGE_HREF,
  accountView,
  balancePointer,
  orderRewardView,
  worthAskingAgain,
  type OrderRewardSurface,
} from "./messages";

const unit = { one: "token", other: "tokens" };
const answer = (over: Partial<OrderRewardAnswer>): OrderRewardAnswer => ({
  state: "estimated",
  unit,
  estimatedUnits: null,
  awardedUnits: null,
  reversedUnits: 0,
  owedUnits: 0,
  balanceUrl: "https://shop.example/account/pages/rewards",
  ...over,
});

describe("orderRewardView", () => {
  it("pending or held: about N tokens, with the balance link", () => {
    expect(orderRewardView(answer({ estimatedUnits: 30 }))).toEqual({
      hidden: false,
      lines: [{ key: "order.estimated", count: 30 }],
      balanceUrl: "https://shop.example/account/pages/rewards",
    });
  });

  it("confirmed: you earned N", () => {
    const view = orderRewardView(answer({ state: "earned", awardedUnits: 50 }));
    expect(view.lines).toEqual([{ key: "order.earned", count: 50 }]);
  });

  it("refunded: what was taken back, and the debt when it had been spent", () => {
    const view = orderRewardView(
      answer({ state: "earned", awardedUnits: 50, reversedUnits: 30, owedUnits: 12 }),
    );
    expect(view.lines).toEqual([
      { key: "order.earned", count: 50 },
      { key: "order.reversed", count: 30 },
      { key: "order.owed", count: 12 },
    ]);
  });

  it("outage, delayed, unknown state, or an estimate without a number: on its way", () => {
    const delayed = [{ key: "order.delayed" }];
    expect(orderRewardView(null)).toEqual({ hidden: false, lines: delayed, balanceUrl: null });
    expect(orderRewardView(answer({ state: "delayed" })).lines).toEqual(delayed);
    expect(orderRewardView(answer({ state: "mystery" as never })).lines).toEqual(delayed);
    expect(orderRewardView(answer({ estimatedUnits: 0 })).lines).toEqual(delayed);
    expect(orderRewardView(answer({ state: "earned", awardedUnits: null })).lines).toEqual(delayed);
  });

  it("none (or an order the customer cannot see): nothing at all", () => {
    expect(orderRewardView(answer({ state: "none" }))).toEqual({
      hidden: true,
      lines: [],
      balanceUrl: null,
    });
  });

  it("no balance link when the shop has no page", () => {
    expect(orderRewardView(answer({ estimatedUnits: 3, balanceUrl: null })).balanceUrl).toBeNull();
  });
});

describe("balancePointer (where to see the balance)", () => {
  const thankYou: OrderRewardSurface = { target: "purchase.thank-you.block.render" };
  const orderStatus = (authenticated: boolean): OrderRewardSurface => ({
    target: "customer-account.order-status.block.render",
    authenticated,
  });
  const noUrl = answer({ estimatedUnits: 30, balanceUrl: null });
  const sentence = { kind: "sentence", key: "order.balanceWhere" };

  it("order status, logged in: a link to this app's customer account page", () => {
    expect(ACCOUNT_PAGE_HREF).toBe("extension:sir-customer-account/");
    expect(balancePointer(orderStatus(true), noUrl)).toEqual({
      kind: "link",
      href: "extension:sir-customer-account/",
      key: "order.balanceLink",
    });
  });

  it("thank-you (checkout) and a pre-authenticated order status: the words, no link", () => {
    expect(balancePointer(thankYou, noUrl)).toEqual(sentence);
    expect(balancePointer(orderStatus(false), noUrl)).toEqual(sentence);
    expect(balancePointer(thankYou, answer({ estimatedUnits: 3, balanceUrl: "  " }))).toEqual(
      sentence,
    );
  });

  it("the app's balanceUrl wins on every surface", () => {
    const url = "https://shop.example/account/pages/rewards";
    const link = { kind: "link", href: url, key: "order.balanceLink" };
    for (const surface of [thankYou, orderStatus(true), orderStatus(false)]) {
      expect(balancePointer(surface, answer({ estimatedUnits: 30 }))).toEqual(link);
    }
  });

  it("said with every state the block shows (delayed and earned too)", () => {
    expect(balancePointer(thankYou, answer({ state: "delayed", balanceUrl: null }))).toEqual(
      sentence,
    );
    expect(
      balancePointer(
        orderStatus(true),
        answer({ state: "earned", awardedUnits: 5, balanceUrl: null }),
      )?.kind,
    ).toBe("link");
  });

  it("nothing when the block is hidden (none) or the app could not be asked", () => {
    expect(
      balancePointer(orderStatus(true), answer({ state: "none", balanceUrl: null })),
    ).toBeNull();
    expect(balancePointer(thankYou, answer({ state: "none" }))).toBeNull();
    expect(balancePointer(thankYou, null)).toBeNull();
    expect(balancePointer(orderStatus(true), null)).toBeNull();
  });
});

describe("accountView", () => {
  const account = (over: Partial<AccountAnswer>): AccountAnswer => ({
    unit,
    balance: 120,
    owedUnits: 0,
    history: [],
    ...over,
  });

  it("balance, debt, and history newest first; none-rows left out", () => {
    const view = accountView(
      account({
        owedUnits: 12,
        history: [
          {
            orderName: "#1001",
            date: "2026-11-01T10:00:00Z",
            awardedUnits: 50,
            reversedUnits: 30,
            state: "earned",
          },
          {
            orderName: "#1003",
            date: "2026-11-20T10:00:00Z",
            awardedUnits: null,
            reversedUnits: 0,
            state: "estimated",
          },
          {
            orderName: "#1002",
            date: "2026-11-10T10:00:00Z",
            awardedUnits: null,
            reversedUnits: 0,
            state: "none",
          },
        ],
      }),
    );
    expect(view.balance).toEqual({ key: "account.balance", count: 120 });
    expect(view.owed).toEqual({ key: "account.owed", count: 12 });
    expect(view.history).toEqual([
      { orderName: "#1003", date: "2026-11-20T10:00:00Z", lines: [{ key: "history.pending" }] },
      {
        orderName: "#1001",
        date: "2026-11-01T10:00:00Z",
        lines: [
          { key: "history.earned", count: 50 },
          { key: "history.reversed", count: 30 },
        ],
      },
    ]);
  });

  it("outage: the figures are on their way", () => {
    expect(accountView(null)).toEqual({
      balance: { key: "account.delayed" },
      owed: null,
      history: [],
    });
    expect(accountView(account({ balance: null, owedUnits: null })).balance).toEqual({
      key: "account.delayed",
    });
  });

  it("a negative balance is said as what is owed, never as a minus", () => {
    const view = accountView(account({ balance: -7, owedUnits: null }));
    expect(view.balance).toEqual({ key: "account.balance", count: 0 });
    expect(view.owed).toEqual({ key: "account.owed", count: 7 });
  });
});

describe("worthAskingAgain (thank-you page before the webhook)", () => {
  it("asks again while there is no real answer, stops at one", () => {
    expect(worthAskingAgain(null)).toBe(true);
    expect(worthAskingAgain(answer({ state: "none" }))).toBe(true);
    expect(worthAskingAgain(answer({ state: "delayed" }))).toBe(true);
    expect(worthAskingAgain(answer({ estimatedUnits: 5 }))).toBe(false);
    expect(worthAskingAgain(answer({ state: "earned", awardedUnits: 5 }))).toBe(false);
  });
});
