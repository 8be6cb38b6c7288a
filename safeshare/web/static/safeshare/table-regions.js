// Wide tables scroll inside their own region, never the page (WCAG 2.2 SC 1.4.10 Reflow: no
// scrolling in two directions at 320 CSS pixels wide).
//
// Templates wrap their tables in
//   <div class="app-table-container" role="region" aria-labelledby="CAPTION-ID" tabindex="0">
// (frontend/scss/application.scss styles it). This wraps any GOV.UK table a template left
// unwrapped in the same region: focusable, so keyboard users can scroll it (axe
// "scrollable-region-focusable"), and named by the table's caption, else by the heading before
// it. Without JavaScript the main content scrolls on its own instead (see the stylesheet).

const CONTAINER = "app-table-container";
let made = 0;

function nameOf(table) {
  const caption = table.caption;
  if (caption && caption.textContent.trim()) {
    if (!caption.id) {
      made += 1;
      caption.id = `app-table-caption-${made}`;
    }
    return { labelledBy: caption.id };
  }
  let before = table.previousElementSibling;
  while (before) {
    if (/^H[1-6]$/.test(before.tagName) && before.textContent.trim()) {
      return { label: before.textContent.trim() };
    }
    before = before.previousElementSibling;
  }
  return { label: "Table" };
}

for (const table of document.querySelectorAll("main table.govuk-table")) {
  const parent = table.parentElement;
  if (parent && parent.classList.contains(CONTAINER)) {
    continue;
  }
  const region = document.createElement("div");
  region.className = CONTAINER;
  region.setAttribute("role", "region");
  region.tabIndex = 0;
  const name = nameOf(table);
  if (name.labelledBy) {
    region.setAttribute("aria-labelledby", name.labelledBy);
  } else {
    region.setAttribute("aria-label", name.label);
  }
  table.replaceWith(region);
  region.append(table);
}
