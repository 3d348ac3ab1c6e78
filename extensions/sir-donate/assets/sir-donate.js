// SIR donate widget (block, embed). Money: integer minor units (ISO 4217).
(() => {
  "use strict";

  const MIN_MAJOR = 1;
  const MAX_MAJOR = 100000;
  const TIMEOUT_MS = 10000;
  const RETURN_PARAM = "sir_donation_id";
  const PENDING_KEY = "sir-donate:pending";
  // About 30 s of status polls.
  const POLL_DELAYS_MS = [0, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 7500];

  // "19.99" or "19,99" → 1999; null unless a decimal with ≤ `digits` decimals.
  const parseMinorUnits = (text, digits) => {
    const match = /^\s*(\d{1,12})(?:[.,](\d+))?\s*$/.exec(text);
    const decimals = (match && match[2]) || "";
    if (!match || decimals.length > digits) return null;
    return Number(match[1]) * 10 ** digits + Number(decimals.padEnd(digits, "0"));
  };

  const amountError = (minor, digits) => {
    if (minor === null) return "amount_invalid";
    const unit = 10 ** digits;
    return minor < MIN_MAJOR * unit ? "amount_min" : minor > MAX_MAJOR * unit ? "amount_max" : "";
  };

  // The app's ISO 4217 exponent, else Intl's (not ISO's for HUF…).
  const minorDigits = ({ digits, locale, currency }) =>
    digits
      ? +digits
      : new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions()
          .maximumFractionDigits;

  const isEmail = (text) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);

  const checkDonation = ({ amountText, digits, email, emailMode }) => {
    if (!amountText.trim()) return { error: "amount_missing", field: "amount" };
    const minor = parseMinorUnits(amountText, digits);
    const error = amountError(minor, digits);
    if (error) return { error, field: "amount" };
    if (email ? !isEmail(email) : emailMode === "required")
      return { error: "email", field: "email" };
    return { minor };
  };

  // HTTP status (none: no answer) → message key.
  const STATUS_ERRORS = { 401: "unavailable", 403: "unavailable", 404: "not_found", 429: "busy" };
  const errorKey = (status) =>
    STATUS_ERRORS[status] || (status >= 400 && status < 500 ? "invalid" : "network");

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

  // sessionStorage throws where disabled.
  const session = (method, ...args) => {
    try {
      return sessionStorage[method](PENDING_KEY, ...args);
    } catch {
      return null;
    }
  };

  const pageUrl = () => {
    const url = new URL(location.href);
    url.searchParams.delete(RETURN_PARAM);
    return url.href;
  };

  const mount = (root) => {
    if (root.sirDonate) return root.sirDonate;
    const data = root.dataset;
    const messages = JSON.parse(root.querySelector("[data-sir-messages]").textContent);
    const form = root.querySelector("form");
    const { custom, email, tip } = form.elements;
    const submit = form.querySelector("[type=submit]");
    const status = root.querySelector("[data-sir-status]");
    const retry = root.querySelector("[data-sir-retry]");
    const digits = minorDigits(data);
    const money = new Intl.NumberFormat(data.locale, {
      style: "currency",
      currency: data.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    const unit = 10 ** digits;
    const format = (minor) => money.format(minor / unit);
    const api = data.api.replace(/\/+$/, "");
    let config = {};
    let chosen = null;

    // Rejects with { status } on HTTP errors.
    const request = async (path, body) => {
      const response = await fetch(api + path, {
        method: body ? "POST" : "GET",
        headers: { "X-Partner-Key": data.key, "Content-Type": "application/json" },
        body: body && JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw { status: response.status };
      return response.json();
    };

    // One status line; `again`: a Retry button for the failed step.
    const show = (text, again) => {
      status.textContent = text;
      if (!again && document.activeElement === retry) submit.focus();
      retry.hidden = !again;
      retry.onclick = again;
    };

    // Drop presets outside the limits (typos).
    const presets = [...root.querySelectorAll("[data-amount]")].filter((button) => {
      const minor = parseMinorUnits(button.dataset.amount, digits);
      if (amountError(minor, digits)) return button.remove();
      button.textContent = format(minor);
      button.onclick = () => select(button);
      return true;
    });
    const amountText = () => chosen?.dataset.amount ?? custom?.value ?? "";

    const select = (button) => {
      chosen = button;
      presets.forEach((preset) => preset.setAttribute("aria-pressed", preset === button));
      if (button && custom) custom.value = "";
    };

    const load = async () => {
      try {
        const [partner, nonprofit] = await Promise.all([
          request("/v1/partner/config"),
          request("/v1/partner/organizations/" + encodeURIComponent(data.nonprofit)),
        ]);
        config = partner;
        root.querySelector("[data-sir-name]").textContent = nonprofit.name;
        if (nonprofit.logoUrl) {
          const logo = Object.assign(new Image(), { alt: "", onerror: () => logo.remove() });
          logo.src = nonprofit.logoUrl;
          root.querySelector("[data-sir-logo]").replaceChildren(logo);
        }
        const tipLabel = root.querySelector("[data-sir-tip-label]");
        const tips = partner.tipConfig || {};
        if (tipLabel)
          tipLabel.textContent = fill(tipLabel.textContent, { percent: tips.defaultPercent });
        data.tip = tips.enabled ? "on" : "off";
        // Clear only our own error.
        if (retry.onclick === load) show("");
      } catch (error) {
        show(messages[errorKey(error.status)], load);
      }
    };

    const donate = async () => {
      const check = checkDonation({
        amountText: amountText(),
        digits,
        email: email?.value.trim(),
        emailMode: data.email,
      });
      // A preset is valid: an amount error is the custom field's.
      const field = check.field === "email" ? email : custom || presets[0];
      [custom, email].forEach((input) => input?.removeAttribute("aria-invalid"));
      if (check.error) {
        if (field?.tagName === "INPUT") field.setAttribute("aria-invalid", "true");
        field?.focus();
        const limits = { min: format(MIN_MAJOR * unit), max: format(MAX_MAJOR * unit) };
        return show(fill(messages[check.error], limits));
      }
      if (submit.ariaDisabled) return;
      submit.ariaDisabled = "true";
      show(messages.redirecting);
      try {
        const body = {
          nonprofitSlug: data.nonprofit,
          amount: check.minor,
          currency: data.currency,
          frequency: form.elements.frequency.value,
          provider: "stripe",
          returnUrl: pageUrl(),
        };
        if (email?.value.trim()) body.donorEmail = email.value.trim();
        if (data.tip === "on" && tip?.checked) body.tipPercent = config.tipConfig.defaultPercent;
        const link = await request("/v1/partner/donations/create-link", body);
        const target = new URL(link.donationLink);
        if (!/^https?:$/.test(target.protocol)) throw target;
        session("setItem", link.partnerDonationId);
        location.assign(target.href);
      } catch (error) {
        show(messages[errorKey(error.status)], donate);
      } finally {
        submit.ariaDisabled = null;
      }
    };

    const thanks = (tokens) => {
      const plural = new Intl.PluralRules(data.locale).select(tokens);
      const template = messages["thanks_" + plural] || messages.thanks_other;
      return fill(template, { tokens: new Intl.NumberFormat(data.locale).format(tokens) });
    };

    // Polls (`once`: checks) until SIR settles the donation; `quiet`: shows just the outcome.
    const track = async (id, quiet, once) => {
      const settle = (text) => {
        session("removeItem");
        history.replaceState(history.state, "", pageUrl());
        root.closest("details")?.setAttribute("open", "");
        show(text);
      };
      if (!quiet) show(messages.checking);
      let outcome;
      for (const delay of once ? [0] : POLL_DELAYS_MS) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        try {
          const donation = await request("/v1/partner/donations/status/" + encodeURIComponent(id));
          if (donation.status === "COMPLETED")
            return settle(thanks(donation.tokensDistributed || 0));
          if (donation.status === "FAILED") return settle(messages.failed);
          outcome = "pending";
        } catch (error) {
          if (error.status === 404) return quiet ? session("removeItem") : settle(messages.unknown);
          outcome = errorKey(error.status);
        }
      }
      if (!quiet) show(messages[outcome], () => track(id));
    };

    form.onsubmit = (event) => {
      event.preventDefault();
      donate();
    };
    if (custom) custom.oninput = () => select(null);
    load();
    return (root.sirDonate = { track });
  };

  const mountAll = (scope) => [...scope.querySelectorAll("[data-sir-donate]")].map(mount);

  window.sirDonateTestHook?.({
    parseMinorUnits,
    amountError,
    checkDonation,
    errorKey,
    isEmail,
    minorDigits,
  });
  // The theme editor re-renders sections.
  document.addEventListener("shopify:section:load", (event) => mountAll(event.target));
  const [first] = mountAll(document);
  const returned = first && new URL(location.href).searchParams.get(RETURN_PARAM);
  // If SIR ignores returnUrl (ASSUMED not), the next page polls the remembered id quietly,
  // marking it seen ("."); later pages check once.
  const pending = first && !returned && session("getItem");
  const id = returned || pending?.replace(/^\./, "");
  if (pending) session("setItem", "." + id);
  if (id) first.track(id, !returned, pending[0] == ".");
})();
