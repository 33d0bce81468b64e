//! `token issue|list|revoke`: the API's bearer tokens. The token is printed once; only its
//! SHA-256 is kept.

use crate::cli::TokenCommand;
use crate::output::{clean, print_json, print_table, table};
use crate::source::Source;

pub(crate) async fn run(source: &Source, command: TokenCommand, json: bool) -> anyhow::Result<()> {
    // Tokens are kept beside the record: issued and revoked where it is kept.
    let (app, _) = source.local("token")?;
    match command {
        TokenCommand::Issue {
            coalition,
            principal,
            expires,
            label,
        } => {
            let issued = app
                .issue_token(&coalition, &principal, &label, expires)
                .await?;
            if json {
                return print_json(&issued);
            }
            println!("{}", issued.token);
            eprintln!(
                "token {} for {} of {}: shown once, kept only as its SHA-256; send it as \
                 `Authorization: Bearer TOKEN`",
                issued.view.id, issued.view.principal, issued.view.coalition
            );
            Ok(())
        }
        TokenCommand::List { coalition } => {
            // The coalition must exist, as for every read.
            app.read(&coalition, &coalition_app::Reading::custodian())
                .await?;
            let tokens = app.tokens(&coalition)?;
            if json {
                return print_json(&tokens);
            }
            let mut t = table([
                "ID",
                "PRINCIPAL",
                "LABEL",
                "ISSUED",
                "EXPIRES",
                "REVOKED",
                "LAST USE",
            ]);
            let or_dash = |t: Option<coalition_core::dates::Timestamp>| {
                t.map_or("-".to_owned(), |t| t.to_string())
            };
            for token in &tokens {
                t.add_row(vec![
                    token.id.clone(),
                    token.principal.to_string(),
                    clean(&token.label).into_owned(),
                    token.issued_at.to_string(),
                    or_dash(token.expires_at),
                    or_dash(token.revoked_at),
                    or_dash(token.last_used),
                ]);
            }
            print_table(&format!("Tokens of {coalition}:"), &t, "none");
            Ok(())
        }
        TokenCommand::Revoke { coalition, id } => {
            let revoked = app.revoke_token(&coalition, &id).await?;
            if json {
                return print_json(&revoked);
            }
            println!("revoked {} ({})", revoked.id, revoked.principal);
            Ok(())
        }
    }
}
