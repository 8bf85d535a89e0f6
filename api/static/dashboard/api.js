// The only way the page talks to the server: GET a public API route, as JSON, with If-None-Match.
// Answers are kept by URL with their ETag; a 304 reuses the kept body. API errors become ApiError with the
// API's own message ({"error": code, "detail": text}).

const kept = new Map(); // url -> {etag, body}

export class ApiError extends Error {
  constructor(status, code, detail, url) {
    super(`${detail} (${status ? `HTTP ${status}` : "no answer"}, ${code}, GET ${url})`);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.url = url;
  }
}

/** "?a=1&b=x" from an object, leaving out empty values; arrays repeat the key. */
export function queryString(params = {}) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== "" && v !== false) q.append(key, String(v));
    }
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

export async function get(path, params = {}) {
  const url = path + queryString(params);
  const hit = kept.get(url);
  const headers = { Accept: "application/json" };
  if (hit) headers["If-None-Match"] = hit.etag;
  let response;
  try {
    response = await fetch(url, { headers, cache: "no-store" });
  } catch (err) {
    throw new ApiError(0, "unreachable", `The API did not answer: ${err.message}`, url);
  }
  if (response.status === 304 && hit) return hit.body;
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = body && (body.detail ?? body.message);
    throw new ApiError(response.status, (body && body.error) || "http_error",
      typeof detail === "string" ? detail : response.statusText || "request failed", url);
  }
  const etag = response.headers.get("ETag");
  if (etag) kept.set(url, { etag, body });
  return body;
}

let routes = null;

/** Whether this server has a GET route, e.g. "/flows/{id}/estimates" (read from its OpenAPI document). */
export async function hasRoute(template) {
  routes ??= get("/openapi.json").then((spec) =>
    new Set(Object.entries(spec.paths).filter(([, ops]) => ops.get).map(([p]) => p.replace(/\{[^}]*\}/g, "{}"))));
  return (await routes).has(template.replace(/\{[^}]*\}/g, "{}"));
}

/** GET `path` when the server has the route `template`; otherwise `fallback` (an older server, no 404 asked). */
export async function getOr(template, path, params, fallback) {
  return (await hasRoute(template)) ? get(path, params) : fallback;
}
