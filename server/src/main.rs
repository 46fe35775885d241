use clap::Parser;

/// jemalloc, its background threads purging freed pages (dirty, then muzzy) after 1 s instead of
/// glibc keeping every arena's peak: the server's memory follows its load back down once idle.
/// Built unprefixed (server/Cargo.toml), it also serves C's `malloc`, which SQLite calls.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options (read at its start; see `man jemalloc`, MALLOC OPTIONS): a C
/// `const char *`, so a thin reference to the first byte. Unprefixed, the symbol is
/// `malloc_conf`; on the targets where tikv-jemalloc-sys stays prefixed (Apple, Android,
/// DragonFly) it is `_rjem_malloc_conf`.
#[allow(non_upper_case_globals)]
#[cfg_attr(
    any(target_vendor = "apple", target_os = "android", target_os = "dragonfly"),
    export_name = "_rjem_malloc_conf"
)]
#[cfg_attr(
    not(any(target_vendor = "apple", target_os = "android", target_os = "dragonfly")),
    export_name = "malloc_conf"
)]
pub static malloc_conf: Option<&'static std::ffi::c_char> = {
    const CONF: &[u8] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:1000\0";
    // SAFETY: CONF is a static, NUL-terminated byte string; the reference points at its first
    // byte for the life of the program.
    Some(unsafe { &*CONF.as_ptr().cast::<std::ffi::c_char>() })
};

/// Returns every arena's freed pages to the OS now (`arena.<MALLCTL_ARENAS_ALL>.purge`, see
/// `man jemalloc`): what `app::backend::memory::give_back` runs in this binary.
fn purge_arenas() {
    // MALLCTL_ARENAS_ALL is 4096 in jemalloc 5.
    const NAME: &[u8] = b"arena.4096.purge\0";
    // SAFETY: NAME is NUL-terminated; this control takes no old or new value, so every pointer
    // is null and the length 0, as `mallctl` requires for a void control.
    let status = unsafe {
        tikv_jemalloc_sys::mallctl(
            NAME.as_ptr().cast(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        )
    };
    if status != 0 {
        tracing::debug!(status, "jemalloc purge refused");
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    app::backend::memory::on_give_back(purge_arenas);
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,leptos_axum=warn".into()),
        )
        .init();
    lianzhao_server::cli::run(lianzhao_server::cli::Cli::parse()).await
}
