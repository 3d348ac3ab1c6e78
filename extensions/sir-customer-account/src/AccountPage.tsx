/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SHOPPER_API, type AccountAnswer } from "../../../app/shopper/contract";
import { formatDay, sayMessage } from "../../sir-shopper-lib/i18n";
import { accountView, type Message } from "../../sir-shopper-lib/messages";
import { buildTimeAppUrl, getFromApp, parseAccountAnswer } from "../../sir-shopper-lib/network";

export default async () => {
  render(<AccountPage />, document.body);
};

function AccountPage() {
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
  const locale = shopify.localization.language.value.isoCode;
  if (answer === undefined) {
    return (
      <s-page heading={t("account.title")}>
        <s-skeleton-paragraph />
      </s-page>
    );
  }
  const view = accountView(answer);
  const unit = answer?.unit ?? { one: "", other: "" };
  const say = (m: Message) => sayMessage(t, unit, locale, m);
  return (
    <s-page heading={t("account.title")}>
      <s-stack gap="base">
        <s-section>
          <s-stack gap="small-200">
            <s-heading>{say(view.balance)}</s-heading>
            {view.owed ? <s-text tone="warning">{say(view.owed)}</s-text> : null}
          </s-stack>
        </s-section>
        {answer ? (
          <s-section heading={t("account.historyTitle")}>
            {view.history.length === 0 ? (
              <s-text color="subdued">{t("account.historyEmpty")}</s-text>
            ) : (
              <s-stack gap="base">
                {view.history.map((row) => (
                  <s-stack key={`${row.orderName}|${row.date}`} gap="small-400">
                    <s-text type="strong">
                      {row.orderName} · {formatDay(locale, row.date)}
                    </s-text>
                    {row.lines.map((line) => (
                      <s-text key={line.key}>{say(line)}</s-text>
                    ))}
                  </s-stack>
                ))}
              </s-stack>
            )}
          </s-section>
        ) : null}
      </s-stack>
    </s-page>
  );
}
