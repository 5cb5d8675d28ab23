// A fake of the Whisper ASR Webservice (onerahmet/openai-whisper-asr-webservice)
// as ../../shared/reference/protocols.md §2 describes it, for the end-to-end
// test: POST /asr takes the recording in the multipart field `audio_file`
// and every option as a query parameter; `output=json` answers the
// openai_whisper JSON document ({"text","segments","language"}) with
// `Content-Type: text/plain`, as the real service does. A missing
// audio_file is a 422 in pydantic v2's shape. It cannot recognise speech:
// it answers the text it was made with, and records what it received.
import { createServer } from "node:http";

// parseMultipart splits a multipart/form-data body into its parts.
function parseMultipart(body, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  if (!m) return null;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return null;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const end = part.indexOf("\r\n\r\n");
    if (end < 0) return null;
    const headers = part.subarray(0, end).toString();
    const disposition = /content-disposition:[^\r\n]*\bname="([^"]*)"(?:; filename="([^"]*)")?/i.exec(headers);
    parts.push({ name: disposition?.[1], filename: disposition?.[2], data: part.subarray(end + 4) });
    start = next;
  }
  return parts;
}

// startWhisperFake listens on a free loopback port and resolves to
// { url, requests, close }; requests lists { query, filename, audio }.
export async function startWhisperFake(text) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (req.method === "GET" && url.pathname === "/openapi.json") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ openapi: "3.1.0", paths: { "/asr": { post: {} }, "/detect-language": { post: {} } } }));
      return;
    }
    if (req.method !== "POST" || url.pathname !== "/asr") {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end('{"detail":"Not Found"}');
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const parts = parseMultipart(Buffer.concat(chunks), req.headers["content-type"]) ?? [];
      const file = parts.find((p) => p.name === "audio_file" && p.filename !== undefined);
      if (!file) {
        res.writeHead(422, { "Content-Type": "application/json" });
        res.end('{"detail":[{"type":"missing","loc":["body","audio_file"],"msg":"Field required","input":null}]}');
        return;
      }
      const query = Object.fromEntries(url.searchParams);
      requests.push({ query, filename: file.filename, audio: Buffer.from(file.data) });
      const output = query.output ?? "txt";
      const headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "Asr-Engine": "openai_whisper",
        "Content-Disposition": `attachment; filename="${file.filename}.${output}"`,
      };
      if (output !== "json") {
        res.writeHead(200, headers);
        res.end(text + "\n");
        return;
      }
      const segment = {
        id: 0, seek: 0, start: 0.0, end: 3.2, text: " " + text, tokens: [50364, 2425, 50484],
        temperature: 0.0, avg_logprob: -0.21, compression_ratio: 0.79, no_speech_prob: 0.01,
      };
      res.writeHead(200, headers);
      res.end(JSON.stringify({ text: " " + text, segments: [segment], language: query.language ?? "en" }));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
