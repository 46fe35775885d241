//! `lianzhao [serve|migrate|seed-demo|create-user|create-token|import|bench]`

use crate::config::{Config, ENV_HELP};
use app::backend::services::{demo, users};
use app::wire::users::NewUserForm;
use clap::{Parser, Subcommand};
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "lianzhao", version, about = "链招 Lianzhao — industry-chain investment-promotion CRM", after_help = ENV_HELP)]
pub struct Cli {
    /// A TOML config file (default: ./lianzhao.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database and serve the app (the default).
    Serve {
        /// Load the demo users and leads when the database has no users yet.
        #[arg(long)]
        seed_demo_if_empty: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load demo users (all roles) and leads into an empty database.
    SeedDemo {
        /// How many leads to generate.
        #[arg(long, default_value_t = 300)]
        leads: usize,
    },
    /// Fill an empty database with N leads and print timings (see `make bench`).
    Bench {
        #[arg(long, default_value_t = 100_000)]
        leads: usize,
        /// Concurrent HTTP connections (and SQL tasks) for the list measurements.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// How long each list measurement runs.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Print the query plan of each list mix.
        #[arg(long)]
        explain: bool,
        /// L1/L3: people working at once.
        #[arg(long, default_value_t = 100)]
        users: usize,
        /// L1/L3: how long L1 runs, in seconds.
        #[arg(long, default_value_t = 60.0)]
        office_seconds: f64,
        /// Only L1 and L3 (`make hardening`).
        #[arg(long)]
        office_only: bool,
        /// Only the rescores, on a database a bench filled before (to compare designs).
        #[arg(long)]
        rescore_only: bool,
    },
    /// Print the demo accounts that `seed-demo` creates.
    DemoLogins,
    /// Write a consistent copy of the SQLite database to FILE, also while the app runs.
    Backup { file: PathBuf },
    /// Replace the SQLite database with backup FILE (stop the app first; the old one is kept).
    Restore { file: PathBuf },
    /// Create a personal API token for a user and print it (for scripts; `/api/v1`).
    CreateToken {
        #[arg(long)]
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Import leads from an .xlsx or .csv file as USER (same checks and preview as /import).
    Import {
        file: PathBuf,
        /// The user the leads are imported as (their rights apply).
        #[arg(long = "as")]
        as_user: String,
        /// Only show the preview; save no leads.
        #[arg(long)]
        dry_run: bool,
        /// What to do with rows matching an existing lead: skip, fill (empty fields) or overwrite.
        #[arg(long, default_value = "skip")]
        duplicates: String,
    },
    /// Create a user non-interactively.
    CreateUser {
        #[arg(long)]
        username: String,
        /// admin, manager, staff or leader.
        #[arg(long)]
        role: String,
        /// Shown in the app (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long, conflicts_with = "password")]
        password_stdin: bool,
        /// The password (visible in the process list: prefer --password-stdin).
        #[arg(long)]
        password: Option<String>,
        /// Where the app sends their mail (assignments, trips, reminders).
        #[arg(long, default_value = "")]
        email: String,
    },
}

pub fn print_demo_logins() {
    println!("Demo logins (password for all: {}):", demo::DEMO_PASSWORD);
    for (username, name, role) in demo::DEMO_USERS {
        println!("  {:<10} {:<8} {}", username, role.code(), name);
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve { seed_demo_if_empty: false }) {
        Command::Serve { seed_demo_if_empty } => {
            let state = crate::state(&config).await?;
            if seed_demo_if_empty && demo::is_empty(&state.db).await? {
                println!("First start: loading demo data…");
                demo::seed(&state.db, 300).await?;
                print_demo_logins();
            }
            crate::serve(config, state).await
        }
        Command::Bench { leads, connections, seconds, explain, users, office_seconds, office_only, rescore_only } => {
            let options = crate::bench::Options {
                leads,
                connections,
                seconds,
                site_root: config.site_root.clone(),
                explain,
                users,
                office_seconds,
                office_only,
            };
            if rescore_only {
                return crate::bench::rescores(&config.database_url).await;
            }
            crate::bench::run(&config.database_url, options).await
        }
        Command::DemoLogins => {
            print_demo_logins();
            Ok(())
        }
        Command::Backup { file } => {
            if let Some(db_file) = app::backend::db::sqlite_file(&config.database_url) {
                anyhow::ensure!(db_file.exists(), "no database at {}", db_file.display());
            }
            let db = app::backend::db::connect(&config.database_url).await?;
            let c = crate::backup::backup(&db, &file).await?;
            println!(
                "Backup written to {}: {} leads, {} users, {} activities; integrity ok.",
                file.display(),
                c.leads,
                c.users,
                c.activities
            );
            Ok(())
        }
        Command::Restore { file } => {
            let r = crate::backup::restore(&config.database_url, &file).await?;
            println!(
                "Restored {}: {} leads, {} users, {} activities; integrity ok.",
                file.display(),
                r.contents.leads,
                r.contents.users,
                r.contents.activities
            );
            if let Some(previous) = r.previous {
                println!("The database it replaced is kept as {}.", previous.display());
            }
            Ok(())
        }
        Command::CreateToken { username, name } => {
            let state = crate::state(&config).await?;
            let actor = actor_named(&state.db, &username).await?;
            let token = app::backend::services::api_tokens::create(&state.db, &actor, actor.id, &name, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{token}");
            Ok(())
        }
        Command::Import { file, as_user, dry_run, duplicates } => {
            let state = crate::state(&config).await?;
            let actor = actor_named(&state.db, &as_user).await?;
            crate::cli_import::run(&state, &actor, &file, dry_run, &duplicates).await
        }
        Command::Migrate => {
            crate::state(&config).await?;
            println!("Migrations applied to {}", redact(&config.database_url));
            Ok(())
        }
        Command::SeedDemo { leads } => {
            let state = crate::state(&config).await?;
            demo::seed(&state.db, leads).await?;
            println!("Loaded {leads} demo leads.");
            print_demo_logins();
            Ok(())
        }
        Command::CreateUser { username, role, display_name, password_stdin, password, email } => {
            let password = match (password_stdin, password) {
                (true, _) => {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
                (false, Some(p)) => p,
                (false, None) => anyhow::bail!("give --password-stdin or --password"),
            };
            let form = NewUserForm {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                password,
                email,
            };
            let input = form.parse().map_err(|errors| {
                let text: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, app::i18n::tr_args(app::i18n::Locale::En, &e.key, &e.args)))
                    .collect();
                anyhow::anyhow!(text.join("; "))
            })?;
            users::refuse_weak("password", &input.password, &[&input.username, &input.display_name])
                .map_err(|_| anyhow::anyhow!("password: too common or easy to guess; choose another"))?;
            let state = crate::state(&config).await?;
            let id = users::insert(&state.db, input).await.map_err(|e| match e {
                app::backend::services::ServiceError::Invalid(_) => {
                    anyhow::anyhow!("username is taken")
                }
                other => anyhow::anyhow!(other),
            })?;
            println!("Created user #{id}");
            Ok(())
        }
    }
}

/// The signed-in form of a user, for commands run on their behalf.
async fn actor_named(db: &sea_orm::DatabaseConnection, username: &str) -> anyhow::Result<app::wire::auth::SessionUser> {
    use app::backend::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {username}"))?;
    app::backend::services::auth::session_user(db, &u)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {username} has no usable role"))
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
