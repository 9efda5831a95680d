//! Operations on a store, for `cargo xtask staff …` and `cargo xtask audit verify`: the same
//! configuration (environment) as the server, so it opens the same store.
//!
//! ```text
//! kjr-admin staff add --email EMAIL --team TEAM [--coordinator] [--name NAME]   (password on stdin)
//! kjr-admin staff disable EMAIL
//! kjr-admin staff reset-mfa EMAIL
//! kjr-admin audit verify
//! kjr-admin backup FILE              (while the server runs)
//! kjr-admin restore FILE [--force]   (with the server stopped)
//! ```

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use kjr_api::auth::local::{self, NewAccount};
use kjr_api::config::{Config, StoreConfig};
use kjr_api::startup::build_store;
use kjr_api::store::verify_chain;
use kjr_domain::TeamId;
use kjr_domain::staff::Role;

const USAGE: &str = "usage:
  staff add --email EMAIL --team TEAM [--coordinator] [--name NAME]   (reads the password from stdin)
  staff disable EMAIL
  staff reset-mfa EMAIL
  audit verify
  backup FILE                 consistent copy of the SQLite store, also while the server runs
  restore FILE [--force]      put a backup in place of the store (stop the server first)";

#[tokio::main]
async fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kjr-admin: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// `backup` and `restore`: on the SQLite file itself, without opening it as a store.
fn backup_or_restore(config: &Config, words: &[&str]) -> Result<(), String> {
    use kjr_api::store::backup;
    let StoreConfig::Sqlite { path: store } = &config.store else {
        return Err(
            "backup and restore are for the SQLite store; DynamoDB has point-in-time \
                    recovery (infra/README.md, \"Restoring the table\")"
                .into(),
        );
    };
    let report = |what: &str, s: &backup::BackupSummary| {
        println!(
            "{what}: {} requests ({} routing jobs unfinished), schema {}, {} bytes, {} ms",
            s.requests,
            s.pending_jobs,
            s.schema_version,
            s.bytes,
            s.took.as_millis()
        );
    };
    match words {
        ["backup", file] => {
            let summary = backup::backup(store, Path::new(file)).map_err(|e| e.to_string())?;
            report(&format!("backup written to {file}"), &summary);
            Ok(())
        }
        ["restore", file] | ["restore", file, "--force"] | ["restore", "--force", file] => {
            let force = words.contains(&"--force");
            let (summary, kept) =
                backup::restore(Path::new(file), store, force).map_err(|e| e.to_string())?;
            if let Some(kept) = kept {
                println!("the replaced store is kept as {}", kept.display());
            }
            report(&format!("restored {file} to {}", store.display()), &summary);
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    }
}

async fn run(args: Vec<String>) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    if matches!(args.first().map(String::as_str), Some("backup" | "restore")) {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        return backup_or_restore(&config, &words);
    }
    let store = build_store(&config.store)
        .await
        .map_err(|e| e.to_string())?;
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["staff", "add", ..] => {
            let email = flag(&args, "--email").ok_or("--email is required")?;
            let team = TeamId(flag(&args, "--team").ok_or("--team is required")?);
            let rules = config.load_rules().map_err(|e| e.to_string())?;
            if rules.team(&team).is_none() {
                let known: Vec<&str> = rules.teams().iter().map(|t| t.id.as_str()).collect();
                return Err(format!(
                    "unknown team {team}; the teams are: {}",
                    known.join(", ")
                ));
            }
            let role = if args.iter().any(|a| a == "--coordinator") {
                Role::Coordinator
            } else {
                Role::Confidant
            };
            eprintln!("password (one line on standard input):");
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| e.to_string())?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let uri = local::add_account(
                store.as_ref(),
                NewAccount {
                    email,
                    name: flag(&args, "--name").unwrap_or_default(),
                    team,
                    role,
                    password,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            eprintln!("account created; add this to the authenticator app:");
            println!("{uri}");
            Ok(())
        }
        ["staff", "disable", email] => {
            local::disable_account(store.as_ref(), email)
                .await
                .map_err(|e| e.to_string())?;
            println!("account disabled; its sessions are ended");
            Ok(())
        }
        ["staff", "reset-mfa", email] => {
            let uri = local::reset_mfa(store.as_ref(), email)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!("new second factor; add this to the authenticator app:");
            println!("{uri}");
            Ok(())
        }
        ["audit", "verify"] => {
            let ids = store.request_ids().await.map_err(|e| e.to_string())?;
            let mut broken = 0;
            let mut events = 0;
            for id in &ids {
                let Some((entries, head)) =
                    store.audit_trail(id).await.map_err(|e| e.to_string())?
                else {
                    continue;
                };
                events += entries.len();
                if let Err(e) = verify_chain(&entries, &head) {
                    broken += 1;
                    println!("request {id}: {e}");
                }
            }
            println!(
                "{} requests, {events} events checked: {}",
                ids.len(),
                if broken == 0 {
                    "every audit trail is intact".to_owned()
                } else {
                    format!("{broken} audit trails are broken")
                }
            );
            if broken == 0 {
                Ok(())
            } else {
                Err(format!("{broken} broken audit trails"))
            }
        }
        _ => Err(USAGE.to_owned()),
    }
}
