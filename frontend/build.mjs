// Copy front-end assets into the Django static directory.
//
// Run via `npm run build` (after `npm run build:css`). Plain Node, no extra
// dependencies, so it works anywhere `npm ci` works.
//
// What is copied:
//   - govuk-frontend's ES module bundle -> safeshare/govuk-frontend.min.js
//   - SafeShare's own images (frontend/images/) -> safeshare/images/
//
// What is deliberately NOT copied:
//   - govuk-frontend fonts (GDS Transport is only for GOV.UK services)
//   - govuk-frontend images: every file in dist/govuk/assets/images is crown
//     or crest artwork (favicon, touch icons, crest, opengraph image), which
//     SafeShare must not use. Our favicon lives in frontend/images/.

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const staticDir = join(root, "safeshare", "web", "static", "safeshare");
const imagesOut = join(staticDir, "images");
const imagesIn = join(root, "frontend", "images");

// govuk-frontend images to copy, by name. Empty on purpose: all of the
// current ones are crown/crest artwork (see above).
const GOVUK_IMAGES_WANTED = [];

function copy(from, to) {
  if (!existsSync(from)) {
    throw new Error(`Missing ${from} - did you run "npm ci"?`);
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`copied ${from.slice(root.length + 1)} -> ${to.slice(root.length + 1)}`);
}

mkdirSync(staticDir, { recursive: true });

const jsOut = join(staticDir, "govuk-frontend.min.js");
copy(join(govuk, "govuk-frontend.min.js"), jsOut);
// Drop the sourceMappingURL comment: we do not ship the .map file, and
// Django's ManifestStaticFilesStorage (used by WhiteNoise) fails
// collectstatic on a source map reference it cannot find.
writeFileSync(
  jsOut,
  readFileSync(jsOut, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"),
);

// Start images/ afresh so removed images do not linger in the static tree.
rmSync(imagesOut, { recursive: true, force: true });
mkdirSync(imagesOut, { recursive: true });

for (const name of readdirSync(imagesIn)) {
  const from = join(imagesIn, name);
  if (statSync(from).isFile()) {
    copy(from, join(imagesOut, name));
  }
}

for (const name of GOVUK_IMAGES_WANTED) {
  copy(join(govuk, "assets", "images", name), join(imagesOut, name));
}
