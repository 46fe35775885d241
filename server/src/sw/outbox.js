// The outbox page (what waits, what was refused and why) and taking the week along.

// ---- the outbox page -----------------------------------------------------------------------

const HIDDEN = new Set(["visit_id", "lead_id", "version", "form[phone_time]", "form[lat]", "form[lng]", "form[accuracy]", "form[kind]", "form[move_to]", "form[intention]", "form[region_code]", "form[industry]"]);

function fieldsOf(item, l) {
  if (item.files) return '<p class="muted">' + item.files.map((f) => esc(f.type || "?") + " " + Math.ceil(f.size / 1024) + " KB").join(" · ") + "</p>";
  return [...new URLSearchParams(item.body)].map(([k, v]) => {
    const bare = k.replace(/^form\[(.*)\]$/, "$1");
    if (HIDDEN.has(k)) return '<input type="hidden" name="' + esc(k) + '" value="' + esc(v) + '">';
    const label = say(l, "sync.field." + bare);
    const input = v.length > 60 || bare === "learned" || bare === "summary" || bare === "notes"
      ? '<textarea name="' + esc(k) + '" rows="4">' + esc(v) + "</textarea>"
      : '<input name="' + esc(k) + '" value="' + esc(v) + '">';
    return "<label>" + esc(label.startsWith("sync.field.") ? bare : label) + input + "</label>";
  }).join("");
}

async function outboxPage() {
  const l = await lang();
  const user = await currentUser();
  const items = (await allItems().catch(() => [])).filter((i) => (i.user || user) === user).sort((a, b) => a.id - b.id);
  const last = await getMeta("lastSync").catch(() => null);
  const rows = items.map((i) => {
    const head = '<h2>' + esc(say(l, "sw.kind." + i.kind)) + (i.name ? " · " + esc(i.name) : "") + "</h2>" +
      '<p class="muted">' + esc(say(l, "sw.queued_at")) + " " + esc(when(i.queuedAt, l)) + (i.lastStatus ? " · " + esc(say(l, "sw.status." + (i.lastStatus >= 500 ? 500 : i.lastStatus))) : "") + "</p>";
    const remove = '<form method="post" action="/sw/outbox/' + i.id + '/delete"><button type="submit" class="danger">' + esc(say(l, "sw.delete")) + "</button></form>";
    if (i.status !== "failed") return '<article class="card outbox-item" data-status="pending">' + head + "<details><summary>" + esc(say(l, "sw.more")) + "</summary>" + remove + "</details></article>";
    const reasons = (i.reasons || []).map((r) => "<li>" + esc(r) + "</li>").join("");
    return '<article class="card outbox-item" data-status="failed">' + head +
      '<p class="status status-warn">' + esc(say(l, "sw.reason")) + "</p><ul class=\"outbox-reasons\">" + reasons + "</ul>" +
      (i.lastStatus === 409 ? '<p class="muted">' + esc(say(l, "sw.conflict_hint")) + "</p>" : "") +
      '<form method="post" action="/sw/outbox/' + i.id + '/resend">' + fieldsOf(i, l) + '<button type="submit" class="primary">' + esc(say(l, "sw.retry")) + "</button></form>" +
      '<form method="post" action="/sw/outbox/' + i.id + '/delete"><button type="submit" class="danger">' + esc(say(l, "sw.delete")) + "</button></form></article>";
  });
  const body = "<h1>" + esc(say(l, "sw.outbox")) + "</h1>" +
    '<p class="muted" id="lz-last-sync">' + esc(last ? say(l, "sw.last_sync") + " " + when(last, l) : say(l, "sw.never")) + "</p>" +
    // Nothing queued: nothing to send now (the button changed nothing on the page).
    (items.length
      ? rows.join("") + '<form method="post" action="/sw/sync"><button type="submit" id="lz-sync-now">' + esc(say(l, "sw.sync_now")) + "</button></form>"
      : '<p class="muted" id="lz-outbox-empty">' + esc(say(l, "sw.outbox_empty")) + "</p>");
  return page(l, say(l, "sw.outbox"), body);
}

// ---- take the week along -------------------------------------------------------------------

async function takeWeek() {
  const l = await lang();
  try {
    const week = await fetchPage("/field");
    const html = await week.clone().text();
    const m = html.match(/data-visits="([^"]*)"/);
    const ids = m && m[1] ? m[1].split(",").filter((s) => /^\d+$/.test(s)) : [];
    const cache = await caches.open(PAGES);
    await cache.put("/field", week);
    const u = html.match(SLOT);
    if (u) await setMeta("user", u[1]);
    let n = 1;
    for (const path of ["/field/leads/new"].concat(ids.map((id) => "/field/visits/" + id))) {
      const res = await fetchPage(path).catch(() => null);
      if (res) { await cache.put(path, res); n += 1; }
    }
    await caches.open(SHELL).then((c) => c.addAll(LZ.assets)).catch(() => {});
    await setMeta("takenAt", Date.now());
    await setMeta("notice", say(l, "sw.taken", { n }));
  } catch (e) {
    await setMeta("notice", say(l, "sw.take_failed"));
  }
  return see("/field");
}

// Signing out: the pages of this user leave the phone (the queue stays, sent when its author
// signs in again).
async function forgetPages() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith("lz-pages-")).map((n) => caches.delete(n)));
}
