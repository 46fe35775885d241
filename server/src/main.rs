use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,leptos_axum=warn".into()),
        )
        .init();
    lianzhao_server::cli::run(lianzhao_server::cli::Cli::parse()).await
}
