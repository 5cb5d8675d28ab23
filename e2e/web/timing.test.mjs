// Click-to-playing in the browser, at a desktop (1280×800) and a phone
// (390×844) size, against the real `podcastfy serve` with the offline
// (extractive) writer and real espeak-ng: the time from the click on "Make
// the podcast" for a 300-word text to an <audio> element playing
// (currentTime > 0), each of the two ways a person can listen (see ways).
// The instants are taken in the page (performance.now), the last on the
// first animation frame that sees the audio playing. Each run has its own
// new installation, so that none hears lines already voiced (the segment
// cache). The figures are printed, never asserted:
//
//   web: click to playing, 300 words, desktop: 1.90 s (by Listen now while it was made)
//   web: click to playing, 300 words, desktop: 2.60 s (by Open the player and Play, the podcast made at 2.10 s)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, runCommand, startServer, stopServer } from "./harness.mjs";

const password = "timing-pass-1";
const sizes = [
  { name: "desktop", user: "tess", context: { viewport: { width: 1280, height: 800 } } },
  { name: "phone", user: "tom", context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

// source is 300 words (the form counts them, and the test checks its count).
const source = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys, canyons and gorges out of solid rock, and it carries the loosened stone downstream as gravel, sand and silt.
The speed of the water decides how much sediment a river can carry. Fast mountain streams roll boulders along their beds, while slow lowland rivers drop their load of fine silt wherever the current weakens, building banks, bars and islands.
Where a river meets the sea, it often builds a delta from the sediment it has carried. The Nile, the Mississippi and the Ganges have each built deltas that cover thousands of square kilometres. Deltas are among the most fertile land on Earth, and some of the most crowded.
Floods, though destructive, renew the soil of river plains. Each flood spreads a thin layer of fresh silt rich in minerals across the fields. Ancient farmers learned to time their planting to these floods, and the first cities grew along rivers for this reason, from the Nile to the Indus and the Yellow River.
Rivers also move. A meandering river swings from side to side across its plain, eating into the outer bank of each bend and laying down sand on the inner bank. Over centuries a bend can grow into a loop, and in a large flood the river may cut straight across its neck, leaving the old loop behind as a quiet oxbow lake.
People have tried to hold rivers in place with levees, dams and concrete channels. These works protect towns and farms, but they also starve deltas of sediment, so coasts sink and shrink. Engineers now look for ways to let rivers flood safely again, giving the water room to spread out and the drowned land a fair chance to slowly grow back again.`;

let browser;
const installs = [];

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const i of installs) {
    if (i.server) await stopServer(i.server);
    rmSync(i.home, { recursive: true, force: true });
  }
});

// install is a new installation with one account, served: each run times
// a text its server has never voiced (the segment cache would otherwise
// give the later runs the first one's lines).
async function install(user) {
  const home = mkdtempSync(join(tmpdir(), "podcastfy-web-timing-"));
  const it = { home, server: null };
  installs.push(it);
  const env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" };
  await runCommand(env, ["user", "add", user, "--password-stdin"], `${password}\n`);
  it.server = startServer(env);
  return it.server.url;
}

// watchMedia is run in the page before its scripts: the browser player's
// <audio> element is never put in the document, so each media element is
// noted when it is asked to play.
function watchMedia() {
  const play = HTMLMediaElement.prototype.play;
  window.__media = new Set();
  HTMLMediaElement.prototype.play = function (...args) {
    window.__media.add(this);
    return play.apply(this, args);
  };
}

// The two ways a person hears a new podcast: "Listen now" on the progress
// page while the job runs (taken the moment it is offered; if the job ends
// first, "Open the player" is what is offered, and the figure says so), or
// the finished podcast, with "Open the player" once it is made and Play.
const ways = ["listen", "finished"];

// pressWhenOffered, run in the page on every animation frame, presses what
// the progress page offers first: Listen now once enabled (while the job
// runs), or Open the player. It presses in the same frame it finds it, so
// a job that ends meanwhile cannot take the button away between the two.
function pressWhenOffered(way) {
  const listen = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Listen now" && !b.disabled);
  if (way === "listen" && listen) {
    listen.click();
    return "Listen now";
  }
  const open = [...document.querySelectorAll("a")].find((a) => a.textContent.trim() === "Open the player");
  if (open) {
    window.__doneAt = performance.now();
    open.click();
    return "Open the player";
  }
  return false;
}

// playingNow, run in the page on every animation frame, notes the first
// frame that sees a media element playing past its start.
function playingNow() {
  const playing = [...(window.__media ?? [])].find((a) => !a.paused && a.currentTime > 0);
  if (playing) window.__playingAt ??= performance.now();
  return playing !== undefined;
}

for (const size of sizes) {
  for (const way of ways) {
    test(`click to playing for 300 words at ${size.name} size (${way})`, { timeout: 240_000 }, async () => {
      const context = await browser.newContext({ ...size.context, colorScheme: "light" });
      await context.addInitScript(watchMedia);
      const page = await context.newPage();
      const base = await install(size.user);
      const pageErrors = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      page.on("response", (r) => r.status() >= 500 && pageErrors.push(`${r.status()} ${r.url()}`));

      await page.goto(base + "/");
      await page.getByLabel("Username").fill(size.user);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Library" }).waitFor();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New podcast" }).click();
      await page.getByRole("heading", { name: "New podcast" }).waitFor();
      await page.getByLabel("Text").fill(source);
      await page.getByText("300 words", { exact: true }).waitFor();
      await page.getByLabel("Script writer").selectOption("extractive");
      await page.getByLabel("Voices", { exact: true }).selectOption("espeak");
      await page.getByTestId("plan").filter({ hasText: /extractive writing, espeak speaking/ }).waitFor();

      const make = page.getByRole("button", { name: "Make the podcast" });
      await make.evaluate((b) => b.addEventListener("click", () => (window.__clickAt = performance.now()), { once: true, capture: true }));
      await make.click();
      await page.waitForURL(/#\/jobs\//);
      const pressed = await (await page.waitForFunction(pressWhenOffered, way, { polling: "raf", timeout: 180_000 })).jsonValue();
      if (pressed === "Open the player") await page.getByRole("button", { name: "Play", exact: true }).click();
      await page.waitForFunction(playingNow, null, { polling: "raf", timeout: 60_000 });
      const [seconds, done] = await page.evaluate(() => [(window.__playingAt - window.__clickAt) / 1000, window.__doneAt && (window.__doneAt - window.__clickAt) / 1000]);
      assert.ok(Number.isFinite(seconds) && seconds > 0, `the instants were not taken: ${seconds}`);
      const how = pressed === "Listen now" ? "by Listen now while it was made" : `by Open the player and Play, the podcast made at ${done.toFixed(2)} s`;
      console.log(`web: click to playing, 300 words, ${size.name}: ${seconds.toFixed(2)} s (${how})`);
      await page.screenshot({ path: join(artifacts, `40-${size.name}-${way}-playing.png`), fullPage: true });

      assert.deepEqual(pageErrors, [], "the page failed");
      await context.close();
    });
  }
}
