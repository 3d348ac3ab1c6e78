/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SHOPPER_API, type AccountAnswer } from "../../../app/shopper/contract";
import { sayMessage } from "../../sir-shopper-lib/i18n";
import { ACCOUNT_PAGE_HREF, accountView, type Message } from "../../sir-shopper-lib/messages";
import { buildTimeAppUrl, getFromApp, parseAccountAnswer } from "../../sir-shopper-lib/network";

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
  const say = (m: Message) => sayMessage(t, unit, locale, m);
  return (
    <s-section heading={t("account.title")}>
      <s-stack gap="small-200">
        <s-text>{say(view.balance)}</s-text>
        {view.owed ? <s-text tone="warning">{say(view.owed)}</s-text> : null}
        <s-link href={ACCOUNT_PAGE_HREF}>{t("account.historyLink")}</s-link>
      </s-stack>
    </s-section>
  );
}
