//! Sizes for the benchmark: the browser bundle (raw, gzip -9, brotli -11) and this process's
//! resident memory.

use std::io::Write;
use std::path::Path;

pub struct Compressed {
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

pub fn compressed(bytes: &[u8]) -> std::io::Result<Compressed> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?.len();
    let mut br = brotli::CompressorWriter::new(Vec::new(), 1 << 16, 11, 22);
    br.write_all(bytes)?;
    br.flush()?;
    let brotli = br.into_inner().len();
    Ok(Compressed { raw: bytes.len(), gzip, brotli })
}

/// The file of a built site's `pkg/` with extension `ext`: `lianzhao.HASH.ext` as named in the
/// site's `hash.txt` (scripts/build-site.sh), else `lianzhao.ext`.
pub fn asset(site_root: &Path, ext: &str) -> std::path::PathBuf {
    let hashes = std::fs::read_to_string(site_root.join("hash.txt")).unwrap_or_default();
    let hash = hashes.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == ext).map(|(_, h)| h.trim()));
    match hash {
        Some(h) => site_root.join("pkg").join(format!("lianzhao.{h}.{ext}")),
        None => site_root.join("pkg").join(format!("lianzhao.{ext}")),
    }
}

/// The wasm and JS of a built site, if it is there.
pub fn bundle(site_root: &Path) -> std::io::Result<Option<(Compressed, Compressed)>> {
    let (wasm, js) = (asset(site_root, "wasm"), asset(site_root, "js"));
    if !wasm.exists() || !js.exists() {
        return Ok(None);
    }
    Ok(Some((compressed(&std::fs::read(wasm)?)?, compressed(&std::fs::read(js)?)?)))
}

/// (current, peak) resident set size of a process in MiB, from /proc/PID/status.
pub fn rss_mib_of(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts process `pid`'s peak resident size again from its current one (`/proc/PID/clear_refs`
/// "5", Linux 4.0+). Returns its resident size then (MiB) and whether the peak was reset.
pub fn reset_peak(pid: u32) -> (f64, bool) {
    let reset = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
    (rss_mib_of(pid).0, reset)
}

pub fn kb(n: usize) -> String {
    format!("{:.0} KB", n as f64 / 1000.0)
}
