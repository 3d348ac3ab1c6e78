/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { useEffect, useState } from "preact/hooks";
import { SHOPPER_API, type OrderRewardAnswer } from "../../../app/shopper/contract";
import { messageValues } from "../../sir-shopper-lib/i18n";
import { orderRewardView } from "../../sir-shopper-lib/messages";
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

export function OrderReward({ api, orderId }: { api: SurfaceApi; orderId: string | undefined }) {
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  useEffect(() => {
    const path = orderId ? orderRewardPath(SHOPPER_API.orderReward, orderId) : null;
    if (!path) {
      setLoaded({ answer: null });
      return;
    }
    getFromApp({
      appUrl: buildTimeAppUrl(),
      path,
      token: () => api.sessionToken.get(),
      parse: parseOrderRewardAnswer,
    }).then((answer) => setLoaded({ answer }));
  }, [orderId]);

  const t = api.i18n.translate;
  if (!loaded) return <s-skeleton-paragraph />;
  const view = orderRewardView(loaded.answer);
  if (view.hidden) return null;
  const locale = api.localization.language.value.isoCode;
  const unit = loaded.answer?.unit ?? { one: "", other: "" };
  return (
    <s-stack gap="small-200">
      <s-heading>{t("order.title")}</s-heading>
      {view.lines.map((line) => (
        <s-text key={line.key}>
          {line.count === undefined
            ? t(line.key)
            : t(line.key, messageValues(unit, locale, line.count))}
        </s-text>
      ))}
      {view.balanceUrl ? <s-link href={view.balanceUrl}>{t("order.balanceLink")}</s-link> : null}
    </s-stack>
  );
}
