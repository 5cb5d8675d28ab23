// What the browser tests share: the podcastfy binary started as
// `podcastfy serve` on a free loopback port, and Debian's Chromium driven
// by playwright-core. PODCASTFY_BIN names the binary (the Makefile builds
// it); CHROMIUM names the browser (default /usr/bin/chromium).
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));

/** Where screenshots go: test-artifacts/web/ at the repository root. */
export const artifacts = resolve(here, "../../test-artifacts/web");

/** Saves a full-page screenshot of page as <name>.png in artifacts. */
export const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** The podcastfy binary under test. */
export const bin = process.env.PODCASTFY_BIN;

/** Runs podcastfy serve on a free port; url resolves to its address once it listens. */
export function startServer(env) {
  const proc = spawn(bin, ["serve", "--addr", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => proc.on("exit", (code) => resolve({ code, stderr })));
  const url = new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    exited.then((e) => reject(new Error(`podcastfy serve exited (${e.code}) before listening: ${e.stderr}`)));
  });
  return { proc, url, exited };
}

export async function stopServer(s) {
  if (s.proc.exitCode === null) {
    s.proc.kill("SIGTERM");
    await s.exited;
  }
}

/** Runs the binary with args (and input on stdin) to its end; rejects when it fails. */
export function runCommand(env, args, input = "") {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (err += d));
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`podcastfy ${args.join(" ")} exited ${code}: ${err}`))));
    proc.stdin.end(input);
  });
}

/** Debian's Chromium, headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

/**
 * What is out of shape on the page, one line each (none when all is well):
 * the page wider than the screen, a control sticking out of its card, an
 * icon squeezed below the size it is drawn at.
 */
export function layoutFaults(page) {
  return page.evaluate(() => {
    const faults = [];
    const name = (e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.getAttribute("aria-label") ? `[${e.getAttribute("aria-label")}]` : ""} "${(e.textContent || "").trim().slice(0, 30)}"`;
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) faults.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`);
    for (const c of document.querySelectorAll(".card input, .card select, .card textarea, .card button, .card a.button")) {
      const card = c.closest(".card").getBoundingClientRect();
      const r = c.getBoundingClientRect();
      if (r.width > 0 && (r.left < card.left - 0.5 || r.right > card.right + 0.5)) faults.push(`${name(c)} spans ${Math.round(r.left)}–${Math.round(r.right)}px, outside its card (${Math.round(card.left)}–${Math.round(card.right)}px)`);
    }
    for (const svg of document.querySelectorAll("svg[width]")) {
      const r = svg.getBoundingClientRect();
      const want = Number(svg.getAttribute("width"));
      if (r.width > 0 && r.width < want - 0.5) faults.push(`an icon in ${name(svg.parentElement)} is ${r.width.toFixed(1)}px wide, drawn at ${want}px`);
    }
    return faults;
  });
}
