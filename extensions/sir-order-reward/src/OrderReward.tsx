/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { useEffect, useState } from "preact/hooks";
import { SHOPPER_API, type OrderRewardAnswer } from "../../../app/shopper/contract";
import { sayMessage } from "../../sir-shopper-lib/i18n";
import {
  balancePointer,
  orderRewardView,
  worthAskingAgain,
  type OrderRewardSurface,
} from "../../sir-shopper-lib/messages";
import {
  buildTimeAppUrl,
  getFromApp,
  orderRewardPath,
  parseOrderRewardAnswer,
} from "../../sir-shopper-lib/network";

/** What both targets' APIs share and this block uses. */
export type SurfaceApi = {
  i18n: { translate: (key: string, options?: Record<string, string | number>) => string };
  localization: { language: { value: { isoCode: string } } };
  sessionToken: { get: () => Promise<string> };
};

type Loaded = { answer: OrderRewardAnswer | null };

export function OrderReward({
  api,
  surface,
  orderId,
  retryDelaysMs = [],
}: {
  api: SurfaceApi;
  /** Which page the block is on: decides how it says where to see the balance. */
  surface: OrderRewardSurface;
  orderId: string | undefined;
  /** Ask again after these delays while the app has no real answer yet (thank-you page). */
  retryDelaysMs?: readonly number[];
}) {
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  useEffect(() => {
    const path = orderId ? orderRewardPath(SHOPPER_API.orderReward, orderId) : null;
    if (!path) {
      setLoaded({ answer: null });
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (attempt: number) =>
      getFromApp({
        appUrl: buildTimeAppUrl(),
        path,
        token: () => api.sessionToken.get(),
        parse: parseOrderRewardAnswer,
      }).then((answer) => {
        if (stopped) return;
        setLoaded({ answer });
        const delay = retryDelaysMs[attempt];
        if (worthAskingAgain(answer) && delay !== undefined) {
          timer = setTimeout(() => ask(attempt + 1), delay);
        }
      });
    ask(0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [orderId]);

  const t = api.i18n.translate;
  if (!loaded) return <s-skeleton-paragraph />;
  const view = orderRewardView(loaded.answer);
  if (view.hidden) return null;
  const locale = api.localization.language.value.isoCode;
  const unit = loaded.answer?.unit ?? { one: "", other: "" };
  const pointer = balancePointer(surface, loaded.answer);
  return (
    <s-stack gap="small-200">
      <s-heading>{t("order.title")}</s-heading>
      {view.lines.map((line) => (
        <s-text key={line.key}>{sayMessage(t, unit, locale, line)}</s-text>
      ))}
      {pointer?.kind === "link" ? <s-link href={pointer.href}>{t(pointer.key)}</s-link> : null}
      {pointer?.kind === "sentence" ? <s-text>{t(pointer.key)}</s-text> : null}
    </s-stack>
  );
}
