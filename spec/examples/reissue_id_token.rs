//! The core of an authorization server's token endpoint, with ID token reissuance.
//!
//! The token request the client application sent is handed to Authlete's `/auth/token` API.
//! When Authlete answers `ID_TOKEN_REISSUABLE` (a refresh token request for which a new ID
//! token may be issued), `/idtoken/reissue` makes a token response that carries a fresh ID
//! token; otherwise `responseContent` is already the answer for the client.
//!
//! ```sh
//! export AUTHLETE_BEARER=<service access token>
//! cargo run --example reissue_id_token -- <service-id> \
//!     'grant_type=refresh_token&refresh_token=<token>' <client-id> <client-secret>
//! ```

use authlete::{Client, models};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [service_id, parameters, client_id, client_secret] = args.as_slice() else {
        eprintln!("usage: reissue_id_token <service-id> <parameters> <client-id> <client-secret>");
        std::process::exit(2);
    };
    let client = Client::from_env()?;

    // The token request's form body, as the client application sent it.
    let request = models::TokenRequest::new(parameters.as_str())
        .with_client_id(client_id.as_str())
        .with_client_secret(client_secret.as_str());
    // `Debug` redacts the secret and the parameters (which carry the refresh token).
    println!("{request:?}");
    // A POST, so not retried (unless answered 429): a repeat could fail because the first one
    // used up a grant.
    let response = client.token().process(service_id, &request).await?;

    let action = response.action.as_ref().map_or("", |a| a.as_str());
    if action != "ID_TOKEN_REISSUABLE" {
        // OK, BAD_REQUEST, INVALID_CLIENT, ...: `responseContent` is the body to send back.
        println!(
            "{action}: {}",
            response.response_content.unwrap_or_default()
        );
        return Ok(());
    }

    let (Some(access_token), Some(refresh_token)) = (response.access_token, response.refresh_token)
    else {
        return Err("ID_TOKEN_REISSUABLE without an access token and a refresh token".into());
    };
    let reissue = models::IdtokenReissueRequest::new(access_token, refresh_token);
    let reissued = client
        .token()
        .management()
        .reissue_id_token(service_id, &reissue)
        .await?;
    let action = reissued.action.as_ref().map_or("", |a| a.as_str());
    println!(
        "{action}: {}",
        reissued.response_content.unwrap_or_default()
    );
    Ok(())
}
