//! The README's authentication parts, written from the document's security schemes: the
//! builder call every example uses, what `from_env` reads, and the Authentication section.

use super::Call;
use crate::emit::Config;
use crate::emit::security::env_vars;
use crate::emit::security::how_sent;
use crate::ir::{Api, SchemeKind, SecurityScheme};
use crate::markdown;

/// Schemes a caller can give credentials for (not those a hook must add).
fn givable(api: &Api) -> impl Iterator<Item = &SecurityScheme> {
    api.security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SchemeKind::Other { .. }))
}

fn family_is_shared(api: &Api, scheme: &SecurityScheme) -> bool {
    let family = scheme.kind.family();
    api.security_schemes
        .iter()
        .filter(|s| s.kind.family() == family)
        .count()
        > 1
}

/// The `Credential::…(..)` constructor with placeholder values for a scheme.
fn credential_expr(krate: &str, kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Basic => format!("{krate}::Credential::basic(\"username\", \"password\")"),
        SchemeKind::ApiKey { .. } => format!("{krate}::Credential::api_key(\"your-api-key\")"),
        SchemeKind::OAuth2ClientCredentials { .. } => format!(
            "{krate}::Credential::client_credentials({krate}::ClientCredentials::new(\"client-id\", \"client-secret\"))"
        ),
        SchemeKind::Bearer | SchemeKind::Other { .. } => {
            format!("{krate}::Credential::bearer(\"your-token\")")
        }
    }
}

/// The builder call that gives `scheme` its credential, with placeholder values.
fn builder_call(krate: &str, api: &Api, scheme: &SecurityScheme) -> String {
    if family_is_shared(api, scheme) {
        return format!(
            ".credential(&{krate}::security::{}, {})",
            scheme.const_name,
            credential_expr(krate, &scheme.kind)
        );
    }
    match &scheme.kind {
        SchemeKind::Basic => ".basic_auth(\"username\", \"password\")".to_owned(),
        SchemeKind::ApiKey { .. } => ".api_key(\"your-api-key\")".to_owned(),
        SchemeKind::OAuth2ClientCredentials { .. } => {
            ".oauth2_client_credentials(\"client-id\", \"client-secret\")".to_owned()
        }
        SchemeKind::Bearer | SchemeKind::Other { .. } => ".bearer_token(\"your-token\")".to_owned(),
    }
}

/// The builder lines every README example chains: the credentials of the schemes the
/// document requires first (all schemes of its first requirement), or nothing.
pub fn builder_lines(api: &Api, config: &Config) -> Vec<String> {
    let krate = config.crate_ident();
    first_requirement(api)
        .into_iter()
        .map(|scheme| builder_call(&krate, api, scheme))
        .collect()
}

/// The schemes of the first requirement an operation states (or the first givable scheme).
fn first_requirement(api: &Api) -> Vec<&SecurityScheme> {
    let named = api
        .operations()
        .flat_map(|(_, op)| op.security.iter())
        .find(|alt| !alt.is_empty())
        .map(|alt| {
            alt.iter()
                .filter_map(|n| givable(api).find(|s| &s.name == n))
                .collect::<Vec<_>>()
        });
    match named {
        Some(schemes) if !schemes.is_empty() => schemes,
        _ => givable(api).take(1).collect(),
    }
}

/// "the credentials of the API's security schemes (`X_BEARER`, …)".
pub fn env_sentence(api: &Api, config: &Config) -> String {
    let prefix = config.env_prefix();
    let vars: Vec<String> = api
        .security_schemes
        .iter()
        .flat_map(|s| env_vars(s, &prefix))
        .map(|v| format!("`{v}`"))
        .collect();
    if vars.is_empty() {
        return "no credentials (the document declares no scheme it can fill)".to_owned();
    }
    format!("credentials from {}", vars.join(", "))
}

/// The README's Authentication section.
pub fn section(api: &Api, config: &Config, call: Option<&Call>) -> String {
    let prefix = config.env_prefix();
    let krate = config.crate_ident();
    if api.security_schemes.is_empty() {
        return "The document declares no security schemes, so requests carry no credentials; \
                add headers with a hook or per-call `RequestOptions::header` if the API needs \
                them."
            .to_owned();
    }
    let mut out = String::from(
        "The document declares these security schemes. For each call, the client sends the \
         first of the operation's requirements it has every credential for; operations the \
         document marks public (`security: []`) are sent without any, and a call whose \
         requirements the client cannot meet fails before anything is sent, naming the \
         schemes that would do.\n\n\
         | scheme | sent as | `Client::builder()` | `Client::from_env()` reads |\n|---|---|---|---|\n",
    );
    for scheme in &api.security_schemes {
        let setter = match scheme.kind {
            SchemeKind::Other { .. } => "a `Hook` adds it".to_owned(),
            _ => format!("`{}`", builder_call(&krate, api, scheme)),
        };
        let env: Vec<String> = env_vars(scheme, &prefix)
            .map(|v| format!("`{v}`"))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            scheme.name,
            how_sent(&scheme.kind).replace('|', "\\|"),
            setter.replace('|', "\\|"),
            if env.is_empty() {
                "—".to_owned()
            } else {
                env.join(", ")
            }
        ));
    }
    for scheme in &api.security_schemes {
        let Some(description) = scheme.description.as_deref() else {
            continue;
        };
        let quoted: Vec<String> = markdown::sanitize(description)
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">".to_owned()
                } else {
                    format!("> {l}")
                }
            })
            .collect();
        if !quoted.is_empty() {
            out.push_str(&format!(
                "\nFrom the API document, on `{}`:\n\n",
                scheme.name
            ));
            out.push_str(&quoted.join("\n"));
            out.push('\n');
        }
    }
    if api
        .security_schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::OAuth2ClientCredentials { .. }))
    {
        out.push_str(
            "\nWith OAuth 2.0 client credentials the client fetches a token from the scheme's \
             token URL (relative URLs are resolved against the server), caches it until shortly \
             before `expires_in`, fetches one token at a time however many calls wait, and on a \
             401 fetches a new token and retries the call once. `ClientBuilder::oauth2` takes a \
             `ClientCredentials` to choose scopes, another token URL, or `client_secret_post`; \
             token endpoint failures are `Error::Token`, with its status and OAuth error.\n",
        );
    }
    let Some(first) = first_requirement(api).into_iter().next() else {
        return out.trim_end().to_owned();
    };
    let option = match (&first.kind, family_is_shared(api, first)) {
        (kind, true) if !matches!(kind, SchemeKind::OAuth2ClientCredentials { .. }) => format!(
            "credential(&{krate}::security::{}, {})",
            first.const_name,
            credential_expr(&krate, kind).replace("your-", "another-")
        ),
        (SchemeKind::Basic, _) => "basic_auth(\"another-user\", \"another-password\")".to_owned(),
        (SchemeKind::ApiKey { .. }, _) => "api_key(\"another-key\")".to_owned(),
        _ => "bearer_token(\"another-token\")".to_owned(),
    };
    out.push_str(
        "\nCredentials in `RequestOptions` (`bearer_token`, `api_key`, `basic_auth`, \
         `credential`) replace the client's for one call, so one client (and its connection \
         pool) can act for several principals.\n",
    );
    if let Some(call) = call {
        let mut lines = vec![
            format!("use {krate}::{{Client, Error, RequestOptions}};"),
            String::new(),
            "async fn with_other_credentials(client: &Client) -> Result<(), Error> {".to_owned(),
            format!("    let options = RequestOptions::new().{option};"),
        ];
        lines.extend(call.setup.iter().map(|l| format!("    {l}")));
        lines.push(format!("    let response = {}.await?;", call.expr_with()));
        lines.push("    println!(\"{response:?}\");".to_owned());
        lines.push("    Ok(())".to_owned());
        lines.push("}".to_owned());
        out.push_str(&format!("\n```rust,no_run\n{}\n```", lines.join("\n")));
    }
    out.trim_end().to_owned()
}
