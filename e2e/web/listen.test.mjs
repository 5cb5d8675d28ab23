// Listen now in a browser (issue 14): the real `podcastfy serve` with real
// espeak-ng makes a long-ish podcast (offline writer); while it runs, its
// page offers Listen now once the first audio is playable. Pressed before
// the job ends, the job's live audio plays in Chromium (its position
// advances), the transcript of the lines voiced so far marks the line
// being heard and moves on, and when the podcast is made playback goes on
// in the podcast's own file from where it was, not from the start. The
// time from the press to the audio playing is printed, never asserted.
//
// harness.mjs says how the binary and the browser are found.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, shot, startServer, stopServer } from "./harness.mjs";

const username = "dora";
const password = "secret-pass-4";
// Enough distinct sentences for several minutes of speech, so the job is
// still voicing when the listener starts.
const topics = [
  ["Rivers", "carve valleys over thousands of years", "carry sediment to the sea", "build deltas where they slow down"],
  ["Glaciers", "grind mountains into gravel", "leave lakes behind when they melt", "hold most of the fresh water on Earth"],
  ["Forests", "store carbon in wood and soil", "shelter half of the land's species", "cool the air around them in summer"],
  ["Deserts", "cover a third of the land", "bloom briefly after rare storms", "lose their heat quickly at night"],
  ["Oceans", "absorb heat from the atmosphere", "move warm water towards the poles", "feed billions of people with fish"],
  ["Volcanoes", "build islands from molten rock", "enrich the soil with ash", "release gases that change the climate"],
  ["Wetlands", "filter pollution from water", "soften the blow of floods", "host migrating birds every spring"],
  ["Mountains", "force moist air to rise and rain", "divide rivers between two seas", "shelter plants found nowhere else"],
  ["Caves", "form where water dissolves limestone", "keep a steady temperature all year", "preserve traces of ancient climates"],
  ["Prairies", "grow on deep and fertile soil", "burn in fires that renew the grass", "feed grazing herds across whole continents"],
  ["Reefs", "grow a few millimetres every year", "protect coasts from storm waves", "bleach when the sea grows too warm"],
  ["Tundras", "freeze solid for most of the year", "thaw into bogs in the short summer", "release methane as the permafrost melts"],
];
const source = topics
  .map(([name, a, b, c]) => {
    const n = name.toLowerCase();
    return `${name} ${a}. Scientists have long studied how ${n} ${b}. Because of this, ${n} ${c}. Many people never notice how much ${n} matter to their daily lives. Travellers who visit ${n} often describe the silence they found there. Some of the oldest stories told by people are set among ${n}.`;
  })
  .join("\n");

let home, server, base, browser, token;

async function api(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  home = mkdtempSync(join(tmpdir(), "podcastfy-web-listen-"));
  server = startServer({ ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" });
  base = await server.url;
  const made = await fetch(`${base}/setup`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username, password }) });
  assert.equal(made.status, 200, "POST /setup");
  token = (await made.json()).token;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  if (home) rmSync(home, { recursive: true, force: true });
});

test("Listen now plays a running job and goes on into the finished podcast", { timeout: 300_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
  await context.addInitScript((t) => window.localStorage.setItem("podcastfy.token", t), token);
  // The player's <audio> elements are not in the document: note each one
  // played, and when the Listen now press and the first playing came.
  await context.addInitScript(() => {
    window.__played = [];
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      if (!window.__played.includes(this)) {
        window.__played.push(this);
        this.addEventListener("playing", () => (window.__playingAt ??= performance.now()));
      }
      return play.call(this);
    };
    document.addEventListener("click", (e) => {
      if (e.target instanceof Element && e.target.closest("button")?.textContent.includes("Listen now")) window.__pressedAt = performance.now();
    }, true);
  });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`));
  page.on("pageerror", (e) => errors.push(String(e)));

  const started = await api("POST", "/podcasts/generate/text", { text: source, title: "Landscapes", templateId: "deep-dive", minutes: 6, writer: "extractive", tts: "espeak" });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const id = started.body.job.id;
  await page.goto(`${base}/#/jobs/${id}`);
  const listen = page.getByRole("button", { name: "Listen now" });
  await listen.waitFor();
  // Enabled once the job's first audio is playable (its firstAudioSeconds).
  await page.waitForFunction(() => [...document.querySelectorAll("button")].some((b) => b.textContent.includes("Listen now") && !b.disabled), null, { timeout: 120_000 });
  await listen.click();
  const running = await api("GET", `/jobs/${id}`);
  assert.ok(["writing", "synthesising", "mastering"].includes(running.body.state), `the job had ended when Listen now was pressed: ${running.body.state}`);

  // The live audio plays: its position advances.
  await page.waitForFunction((jobId) => {
    const a = window.__played.at(-1);
    return a && a.src.includes(`/jobs/${jobId}/audio`) && !a.paused && a.currentTime > 0.5;
  }, id, { timeout: 60_000 }).catch(async (e) => {
    console.log("the live audio element:", JSON.stringify(await page.evaluate(() => { const a = window.__played.at(-1); return { n: window.__played.length, s: a && { src: a.src, paused: a.paused, t: a.currentTime, rs: a.readyState, ns: a.networkState, err: a.error?.message } }; })), await page.locator(".live").innerText());
    throw e;
  });
  const pressToPlaying = await page.evaluate(() => window.__playingAt - window.__pressedAt);
  console.log(`listen now → live audio playing in Chromium: ${pressToPlaying.toFixed(0)} ms (job's firstAudioSeconds ${running.body.firstAudioSeconds})`);

  // The transcript marks the line being heard, then the next one.
  const transcript = page.getByRole("list", { name: "Transcript so far" });
  const active = transcript.locator('li[aria-current="true"]');
  await active.waitFor();
  const first = Number(await active.getAttribute("data-index"));
  await shot(page, "30-listen-now-live");
  await page.waitForFunction((from) => {
    const li = document.querySelector('ol[aria-label="Transcript so far"] li[aria-current="true"]');
    return li && Number(li.dataset.index) > from;
  }, first, { timeout: 60_000 });
  const heard = await page.evaluate(() => window.__played.at(-1).currentTime);
  const stillRunning = (await api("GET", `/jobs/${id}`)).body;

  // The podcast is made: playback goes on in its file, from where it was.
  await page.getByRole("heading", { name: "Now playing the finished podcast" }).waitFor({ timeout: 180_000 });
  const done = (await api("GET", `/jobs/${id}`)).body;
  assert.equal(done.state, "done", done.error);
  await page.waitForFunction(([pid, from]) => {
    const a = window.__played.at(-1);
    return a && a.src.includes(`/podcasts/${pid}/audio`) && !a.paused && a.currentTime > from;
  }, [done.podcastId, heard], { timeout: 30_000 });
  const at = await page.evaluate(() => window.__played.at(-1).currentTime);
  assert.ok(at >= heard, `the podcast's audio started at ${at} s, before the ${heard} s already heard`);
  await page.waitForFunction((from) => window.__played.at(-1).currentTime > from + 1, at, { timeout: 30_000 });
  assert.ok(await page.evaluate(() => window.__played[0].paused), "the live audio still plays beside the podcast's");
  // The whole transcript shows, still following.
  const cues = await page.evaluate(() => document.querySelectorAll('ol[aria-label="Transcript so far"] li').length);
  const lines = (await api("GET", `/jobs/${id}/lines`)).body;
  assert.equal(cues, lines.count, "the transcript after the podcast is made");
  await active.waitFor();
  await shot(page, "31-listen-now-finished");
  console.log(`handover: live audio heard to ${heard.toFixed(2)} s while the job was ${stillRunning.state}; the podcast's file went on at ${at.toFixed(2)} s`);

  // Its player screen opens on what plays: no restart.
  await page.getByRole("link", { name: "Open the player" }).click();
  await page.getByRole("heading", { name: "Landscapes" }).waitFor();
  await page.waitForFunction((from) => Number(document.querySelector('input[aria-label="Seek"]')?.value) > from, at);
  assert.equal(await page.getByRole("button", { name: "Pause" }).count(), 1, "the player screen shows it playing");
  assert.deepEqual(errors, [], "the page logged errors");
  await context.close();
});
