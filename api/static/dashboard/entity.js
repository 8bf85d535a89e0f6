// Entity page: search any name or spelling (GET /entities?q=…), then one entity (GET /entities/{id}): its names
// and aliases with the sources that use each spelling (GET /claims?about=…), its name variants with the sources of
// their own claims, posts held (disputed ones marked), meetings (GET /meetings?participant=…) and related flows;
// disputed posts from GET /disputes?about=….

import { get } from "./api.js";
import { entityLink, field, h, period, sourceLink, status, table, viewLink } from "./util.js";

const fold = (s) => String(s).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** For each spelling: the name and aliases with the sources whose quotes (about the entity) use them, then the name
 * variants (a spelling only some sources use) with the sources of their own claims — whose spelling each is. */
function spellings(profile, claims) {
  const variants = (profile.name_variants || []).map((v) => ({
    name: v.name,
    by: [...new Set(v.claims.filter((c) => c.source).map((c) => c.source.publisher || c.source.title || c.source.id))].sort(),
  }));
  const names = [profile.name, ...(profile.aliases || [])].filter(Boolean);
  return names.map((name) => {
    const by = new Map();
    for (const g of claims.groups) {
      for (const c of g.claims) {
        if (c.quote && g.source && fold(c.quote).includes(fold(name))) by.set(g.source.id, g.source.publisher || g.source.id);
      }
    }
    return { name, by: [...by.values()].sort() };
  }).concat(variants);
}

/** Post id → "disputed" (marked so, or denied) or "sources disagree" (its claims dispute others). */
function disputedPosts(profile, disputes) {
  const out = new Map();
  for (const f of disputes.items) {
    out.set(f.id, f.reasons.some((r) => r !== "claims_disagree") ? "disputed" : "sources disagree");
  }
  for (const post of profile.posts) if (post.status === "disputed") out.set(post.id, "disputed");
  return out;
}

async function search(root, p, navigate) {
  const input = h("input", { name: "q", value: p.q ?? "", type: "search", placeholder: "e.g. Shulyka, Ri Song Chol, PRK" });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Entity search" },
    field("Name or spelling", input), h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate({ view: "entity", q: input.value.trim() });
  });
  root.append(form);
  if (!p.q) return;
  const hits = await get("/entities", { q: p.q, limit: 50 });
  root.append(h("p", { class: "summary", role: "status" }, `${hits.total} match${hits.total === 1 ? "" : "es"} for “${p.q}”`),
    h("ul", { class: "hits", id: "entity-hits" }, hits.items.map((e) => h("li", {},
      viewLink({ view: "entity", id: e.id, q: p.q }, e.name || e.id), " ", h("small", { class: "muted" }, e.labels.join(", ")),
      e.aliases.length ? h("small", {}, ` — also: ${e.aliases.join(", ")}`) : null))));
}

export async function render(root, p, { navigate }) {
  root.append(h("h1", {}, "Entities"));
  await search(root, p, navigate);
  if (!p.id) {
    if (!p.q) root.append(status("Search any name or spelling of a person, body, state or place."));
    return;
  }
  const id = encodeURIComponent(p.id);
  const [profile, claims, meetings, disputes] = await Promise.all([
    get(`/entities/${id}`), get("/claims", { about: p.id }), get("/meetings", { participant: p.id, limit: 200 }),
    get("/disputes", { about: p.id, limit: 200 })]);
  const disputed = disputedPosts(profile, disputes);
  const isState = profile.labels.includes("State");
  root.append(h("section", { class: "detail", id: "entity-profile", "aria-labelledby": "entity-name" },
    h("h2", { id: "entity-name" }, profile.name || profile.id), h("p", { class: "muted" }, `${profile.labels.join(", ")} · ${profile.id}`),
    h("h3", {}, "Names and spellings"),
    table(null, ["Spelling", "Used by (sources quoting it)"], spellings(profile, claims).map((s) =>
      h("tr", {}, h("td", {}, s.name), h("td", {}, s.by.join(", ") || h("span", { class: "muted" }, "no quote in the graph uses it")))),
    { id: "spellings" }),
    h("h3", {}, `Posts held (${profile.posts.length})`),
    profile.posts.length ? h("ul", { id: "posts" }, profile.posts.map((post) => h("li", {},
      post.post.name || post.post.id, post.body ? [" — ", entityLink(post.body)] : null,
      ` (${period(post.period)}; ${post.claims} claim${post.claims === 1 ? "" : "s"})`,
      disputed.has(post.id) ? [h("span", { class: "badge disputed" }, disputed.get(post.id)), " ",
        viewLink({ view: "disputes", about: p.id }, "where sources disagree")] : null))) : status("No posts recorded."),
    h("h3", {}, `Meetings and visits (${meetings.total})`),
    meetings.items.length ? h("ul", { id: "meetings" }, meetings.items.map((m) => h("li", {},
      h("time", {}, period(m.period)), " ", m.name || m.id, m.location ? [" — ", entityLink(m.location)] : null,
      h("small", {}, ` with ${m.participants.filter((x) => x.id !== p.id).map((x) => x.name || x.id).join(", ") || "—"}`))))
      : status("No meetings recorded."),
    h("h3", {}, "Related flows"),
    isState ? h("p", {}, viewLink({ view: "flows", from: p.id }, `Flows from ${profile.name}`), " · ",
      viewLink({ view: "flows", to: p.id }, `Flows to ${profile.name}`)) : null,
    profile.transfers.length ? h("ul", { id: "related-flows" }, profile.transfers.map((t) => h("li", {},
      viewLink({ view: "flows", flow: t.id }, t.id), ` (${t.direction}${t.category ? `, ${t.category}` : ""})`)))
      : isState ? null : status("No flows name this entity."),
    h("h3", {}, `Claims about it (${Object.values(claims.stances).reduce((a, b) => a + b, 0)})`),
    h("ul", { class: "claims" }, claims.groups.flatMap((g) => g.claims.map((c) => h("li", { class: "claim" },
      h("blockquote", {}, c.quote ? `“${c.quote}”` : "(no quote)"),
      h("p", { class: "claim-meta" }, h("span", { class: "stance" }, g.stance || "—"), ` · confidence: ${c.confidence || "—"} · `,
        sourceLink(g.source), c.subject !== p.id ? h("small", { class: "muted" }, ` · about ${c.subject}`) : null)))))));
}
