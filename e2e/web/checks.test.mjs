// Checks before work starts, in the browser, at a desktop (1280×800) and a
// phone (390×844) size, against the real `podcastfy serve`: the New podcast
// form asks the server (POST /podcasts/plan) as the person fills it in (and
// says what will run before anything is typed), and shows at its field, before "Make the podcast" is pressed, a voice server
// that is down (the OpenAI-compatible provider pointed at a closed loopback
// port) and a language the voices do not speak (real espeak-ng has no Zulu).
// A job that passes the checks and still fails after it starts (a Piper
// server that answers its health and voice checks but cannot synthesise)
// offers "Edit and retry", which brings the form back with everything as
// typed. Screenshots go to test-artifacts/web/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, layoutFaults, runCommand, shot, startServer, stopServer } from "./harness.mjs";

const password = "checks-pass-1";
const sizes = [
  { name: "desktop", user: "dana", context: { viewport: { width: 1280, height: 800 } } },
  { name: "phone", user: "pete", context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];
const source = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons.
Where a river meets the sea, it often builds a delta from the sediment it has carried.`;

// piperVoices are what the stand-in Piper server has installed, each with
// the language block of its .onnx.json (GET /voices gives the whole file).
const piperVoices = ["en_US-ryan-medium", "en_US-lessac-medium", "en_GB-jenny_dioco-medium", "en_GB-alan-medium"];
const onnxJSON = (id) => {
  const [code] = id.split("-");
  const [family, region] = code.split("_");
  return {
    audio: { sample_rate: 22050, quality: "medium" },
    espeak: { voice: `${family}-${region.toLowerCase()}` },
    language: { code, family, region, name_native: "English", name_english: "English" },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    num_symbols: 256,
    num_speakers: 1,
    speaker_id_map: {},
    piper_version: "1.0.0",
  };
};

// piper stands in for a piper1-gpl HTTP server whose voice model is broken:
// GET /info and GET /voices answer as a healthy server does, so every check
// before the job passes, but POST /synthesize raises inside the model and
// Flask answers with its HTML 500 page, as the real server does on an
// exception. synthesised counts the attempts.
const piper = { server: null, url: "", synthesised: 0 };
const flask500 = `<!doctype html>
<html lang=en>
<title>500 Internal Server Error</title>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>
`;

let home, server, base, browser, closedPort;

// freePort is a loopback port nothing listens on: one the system gave and
// took back.
async function freePort() {
  const s = createServer();
  await new Promise((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  piper.server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/info") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ voice: { name: piperVoices[0], language: "en_US", num_speakers: 1 }, last: null }));
    } else if (req.method === "GET" && req.url === "/voices") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(Object.fromEntries(piperVoices.map((id) => [id, onnxJSON(id)]))));
    } else if (req.method === "POST" && req.url === "/synthesize") {
      piper.synthesised++;
      req.resume();
      res.writeHead(500, { "Content-Type": "text/html; charset=utf-8" });
      res.end(flask500);
    } else {
      res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      res.end("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n");
    }
  });
  await new Promise((resolve) => piper.server.listen(0, "127.0.0.1", resolve));
  piper.url = `http://127.0.0.1:${piper.server.address().port}`;
  closedPort = await freePort();

  home = mkdtempSync(join(tmpdir(), "podcastfy-web-checks-"));
  mkdirSync(join(home, "config"), { recursive: true });
  writeFileSync(
    join(home, "config", "config.yaml"),
    `tts:\n  provider: espeak\n  openai:\n    url: http://127.0.0.1:${closedPort}/v1\n  piper:\n    url: ${piper.url}\n`,
  );
  const env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" };
  for (const s of sizes) await runCommand(env, ["user", "add", s.user, "--password-stdin"], `${password}\n`);
  server = startServer(env);
  base = await server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  piper.server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

// jobs lists the user's jobs as the server has them.
async function jobs(token) {
  const res = await fetch(`${base}/jobs`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return (await res.json()).jobs;
}

for (const size of sizes) {
  test(`checks before work starts, and Edit and retry, at ${size.name} size`, { timeout: 180_000 }, async (t) => {
    const context = await browser.newContext({ ...size.context, colorScheme: "light" });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    // The voice list of a server that is down is a 503 (Unavailable), which
    // the form shows; any other 5xx is a failure.
    const down = (r) => r.status() === 503 && new URL(r.url()).pathname === "/voices" && new URL(r.url()).searchParams.get("provider") === "openai";
    page.on("response", (r) => r.status() >= 500 && !down(r) && pageErrors.push(`${r.status()} ${r.url()}`));
    const make = page.getByRole("button", { name: "Make the podcast" });
    let token;

    await t.test("log in and open the form", async () => {
      await page.goto(base + "/");
      await page.getByLabel("Username").fill(size.user);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Library" }).waitFor();
      token = await page.evaluate(() => localStorage.getItem("podcastfy.token"));
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New podcast" }).click();
      await page.getByRole("heading", { name: "New podcast" }).waitFor();
      // Before anything is typed the form says what will run, and finds
      // nothing wrong with the text yet.
      await page.getByLabel("Script writer").selectOption("extractive");
      await page.getByTestId("plan").filter({ hasText: /extractive writing, espeak speaking/ }).waitFor();
      assert.equal(await page.locator("#text-error").count(), 0, "the empty text is an error before anything was typed");
      await page.getByLabel("Text").fill(source);
      await page.getByTestId("plan").filter({ hasText: /extractive writing, espeak speaking/ }).waitFor();
      assert.ok(await make.isEnabled(), "the form is refused with nothing wrong");
    });

    await t.test("a voice server that is down shows at Voices before the podcast is made", async () => {
      const tts = page.getByLabel("Voices", { exact: true });
      await tts.selectOption("openai");
      const error = page.locator("#tts-error");
      await error.filter({ hasText: new RegExp(`^The openai voices are not available: .*127\\.0\\.0\\.1:${closedPort}`) }).waitFor();
      assert.equal(await tts.getAttribute("aria-invalid"), "true");
      assert.match(await tts.getAttribute("aria-describedby"), /\btts-error\b/);
      assert.ok(await make.isDisabled(), "Make the podcast is offered with the voices down");
      await page.locator("#submit-hint").filter({ hasText: "Fix what is marked above" }).waitFor();
      await error.scrollIntoViewIfNeeded();
      await shot(page, `30-${size.name}-tts-down`);
      assert.deepEqual(await layoutFaults(page), [], "the form is out of shape");
      // The person picks voices that work: the problem goes, the form is open.
      await tts.selectOption("espeak");
      await page.getByTestId("plan").filter({ hasText: /extractive writing, espeak speaking/ }).waitFor();
      await error.waitFor({ state: "detached" });
      assert.ok(await make.isEnabled());
      assert.deepEqual(await jobs(token), [], "a job was started");
    });

    await t.test("a language the voices do not speak shows at Language", async () => {
      const language = page.getByLabel("Language", { exact: true });
      await language.fill("zu");
      const error = page.locator("#language-error");
      await error.filter({ hasText: /^No espeak voice speaks "zu"/ }).waitFor();
      assert.equal(await language.getAttribute("aria-invalid"), "true");
      assert.ok(await make.isDisabled(), "Make the podcast is offered in a language nobody speaks");
      await error.scrollIntoViewIfNeeded();
      await shot(page, `31-${size.name}-language`);
      await language.fill("de");
      await error.waitFor({ state: "detached" });
      await page.getByTestId("plan").filter({ hasText: /extractive writing, espeak speaking/ }).waitFor();
      assert.ok(await make.isEnabled());
      assert.deepEqual(await jobs(token), [], "a job was started");
    });

    await t.test("a job that fails after it starts: Edit and retry brings the form back as typed", async () => {
      // Filled in the order a person would: each choice may reset the ones after it.
      const typed = {
        text: `${source}\nFloods, though destructive, renew the soil of river plains (${size.name}).`,
        title: `Rivers on ${size.name}`,
        template: "interview",
        minutes: "2.5",
        language: "en-GB",
        focus: "How deltas form, and why floods matter",
        tts: "piper",
        voices: { Taylor: "en_US-lessac-medium", Priya: "en_GB-jenny_dioco-medium" },
        writer: "extractive",
      };
      await page.getByLabel("Template").selectOption(typed.template);
      await page.getByLabel("Voices", { exact: true }).selectOption(typed.tts);
      // The voices of the chosen server fill the speakers' lists.
      await page.getByLabel("Voice of Taylor", { exact: true }).locator(`option[value="${typed.voices.Taylor}"]`).waitFor({ state: "attached" });
      await page.getByLabel("Voice of Taylor", { exact: true }).selectOption(typed.voices.Taylor);
      await page.getByLabel("Text").fill(typed.text);
      await page.getByLabel("Title").fill(typed.title);
      await page.getByLabel("Length (minutes)").fill(typed.minutes);
      await page.getByLabel("Language", { exact: true }).fill(typed.language);
      await page.getByLabel("Focus").fill(typed.focus);
      await page.getByLabel("Script writer").selectOption(typed.writer);
      // Every check passes: the Piper server answers its health and voice checks.
      await page.getByTestId("plan").filter({ hasText: /extractive writing, piper speaking/ }).waitFor();
      assert.equal(await page.locator(".field-error").count(), 0, await page.locator(".field-error").allInnerTexts().then((e) => e.join("; ")));
      assert.ok(await make.isEnabled());

      await make.click();
      await page.waitForURL(/#\/jobs\//);
      const jobId = decodeURIComponent(page.url().split("#/jobs/")[1]);
      const retry = page.getByRole("link", { name: "Edit and retry" });
      await retry.waitFor({ timeout: 90_000 });
      await page.getByRole("alert").filter({ hasText: /piper/i }).waitFor();
      // The length is quoted as typed in the job's warning (the sources fill less).
      await page.getByRole("status").filter({ hasText: `not the ${typed.minutes} minutes asked for` }).waitFor();
      const job = (await jobs(token)).find((j) => j.id === jobId);
      assert.equal(job?.state, "failed", `the job is ${JSON.stringify(job)}`);
      assert.ok(piper.synthesised > 0, "the job never asked the Piper server");
      await shot(page, `32-${size.name}-job-failed`);
      assert.deepEqual(await layoutFaults(page), [], "the failed job's page is out of shape");

      await retry.click();
      await page.getByRole("heading", { name: "New podcast" }).waitFor();
      assert.equal(await page.getByLabel("Text").inputValue(), typed.text);
      assert.equal(await page.getByLabel("Title").inputValue(), typed.title);
      assert.equal(await page.getByLabel("Template").inputValue(), typed.template);
      assert.equal(await page.getByLabel("Length (minutes)").inputValue(), typed.minutes);
      assert.equal(await page.getByLabel("Language", { exact: true }).inputValue(), typed.language);
      assert.equal(await page.getByLabel("Focus").inputValue(), typed.focus);
      assert.equal(await page.getByLabel("Voices", { exact: true }).inputValue(), typed.tts);
      assert.equal(await page.getByLabel("Script writer").inputValue(), typed.writer);
      // The voice lists come back from the server: the voices are chosen in them.
      for (const [speaker, voice] of Object.entries(typed.voices)) {
        const select = page.getByLabel(`Voice of ${speaker}`, { exact: true });
        await select.locator(`option[value="${voice}"]`).waitFor({ state: "attached" });
        assert.equal(await select.inputValue(), voice, `the voice of ${speaker}`);
      }
      await page.getByTestId("plan").filter({ hasText: /extractive writing, piper speaking/ }).waitFor();
      await shot(page, `33-${size.name}-edit-and-retry`);
      assert.deepEqual(await layoutFaults(page), [], "the form is out of shape");
    });

    assert.deepEqual(pageErrors, [], "the page failed");
    await context.close();
  });
}
