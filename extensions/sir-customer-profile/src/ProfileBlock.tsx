/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SHOPPER_API, type AccountAnswer } from "../../../app/shopper/contract";
import { messageValues } from "../../sir-shopper-lib/i18n";
import { accountView, type Message } from "../../sir-shopper-lib/messages";
import { buildTimeAppUrl, getFromApp, parseAccountAnswer } from "../../sir-shopper-lib/network";

/** The full page's address inside customer accounts (the handle of sir-customer-account). */
const FULL_PAGE = "extension:sir-customer-account/";

export default async () => {
  render(<ProfileBlock />, document.body);
};

function ProfileBlock() {
  const [answer, setAnswer] = useState<AccountAnswer | null | undefined>(undefined);
  useEffect(() => {
    getFromApp({
      appUrl: buildTimeAppUrl(),
      path: SHOPPER_API.account,
      token: () => shopify.sessionToken.get(),
      parse: parseAccountAnswer,
    }).then(setAnswer);
  }, []);

  const t = shopify.i18n.translate;
  if (answer === undefined) return <s-skeleton-paragraph />;
  const locale = shopify.localization.language.value.isoCode;
  const view = accountView(answer);
  const unit = answer?.unit ?? { one: "", other: "" };
  const say = (m: Message) =>
    m.count === undefined ? t(m.key) : t(m.key, messageValues(unit, locale, m.count));
  return (
    <s-section heading={t("account.title")}>
      <s-stack gap="small-200">
        <s-text>{say(view.balance)}</s-text>
        {view.owed ? <s-text tone="warning">{say(view.owed)}</s-text> : null}
        <s-link href={FULL_PAGE}>{t("account.historyLink")}</s-link>
      </s-stack>
    </s-section>
  );
}
