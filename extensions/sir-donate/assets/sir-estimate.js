// Live updates of the token estimate block (blocks/sir-estimate.liquid), which renders the first
// figure itself. Integers only (BigInt): units = (2 × basis × rate + D) / 2D, D = 10^scale, the
// round half up of app/shopper/estimate.ts. Amounts from Liquid and /cart.js are hundredths.
(() => {
  const blocks = document.querySelectorAll("[data-sir-estimate]");
  if (!blocks.length) return;
  const B = BigInt;

  const show = (el, cents, excluded) => {
    const d = el.dataset;
    let text = "";
    if (excluded) text = d.none;
    else if (cents > 0) {
      const basis = (B(cents) * B(d.times)) / B(d.div);
      if (basis < B(d.min)) text = d.below;
      else {
        const D = 10n ** B(d.scale);
        const units = (2n * basis * B(d.rate) + D) / (2n * D);
        text = (units === 1n ? d.one : d.other).replace("{n}", units);
      }
    }
    el.textContent = text;
    el.hidden = !text;
  };

  const product = (el) => {
    const form = document.querySelector('form[action*="/cart/add"]');
    if (!form) return;
    const id = form.querySelector('[name="id"]');
    const qty = form.querySelector('[name="quantity"]');
    const prices = Object.fromEntries(el.dataset.prices.split(",").map((p) => p.split(":")));
    const price = prices[id && id.value];
    if (price === undefined) return;
    const quantity = Math.max(1, parseInt(qty ? qty.value : "1", 10) || 1);
    show(el, Number(price) * quantity, el.dataset.excluded === "true");
  };

  let timer;
  const cart = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const response = await fetch("/cart.js", { headers: { Accept: "application/json" } });
        const { items } = await response.json();
        for (const el of blocks) {
          if (el.dataset.sirEstimate !== "cart") continue;
          const excluded = el.dataset.excluded.split(",");
          const cents = items
            .filter((i) => !i.gift_card && !excluded.includes(String(i.product_id)))
            .reduce((sum, i) => sum + i.final_line_price, 0);
          show(el, cents, false);
        }
      } catch {
        // Offline or not a storefront: the figure rendered with the page stays.
      }
    }, 300);
  };

  const update = (event) => {
    const name = event.target && event.target.name;
    for (const el of blocks) {
      if (el.dataset.sirEstimate === "product") {
        if (!name || name === "id" || name === "quantity") setTimeout(() => product(el));
      } else if (!name || name === "updates[]" || name === "quantity") cart();
    }
  };
  for (const type of ["change", "input", "variant:change", "cart:updated", "cart:change"]) {
    document.addEventListener(type, update);
  }
})();
