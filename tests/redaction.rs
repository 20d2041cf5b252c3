//! Secrets in the `authlete` crate's models: which fields `spec/overlay.yaml` marks sensitive,
//! that no credential-looking field is left out unexplained, and what `Debug` then prints.
//! (`generated/tests/spec_examples.rs` scans `Debug` of every example in the document.)

use std::collections::BTreeSet;

use authlete::models;
use authlete_tests::repo_root;
use generator::ir::{Api, TypeKind, TypeRef};
use generator::{Input, load_api};

fn authlete() -> Api {
    let (api, warnings) = load_api(&Input::with_default_overlay(
        repo_root().join("spec/openapi.yaml"),
    ))
    .unwrap();
    assert!(warnings.is_empty(), "overlay warnings: {warnings:?}");
    api
}

/// `Type.field` (Rust names) of every field the IR marks sensitive.
fn sensitive_fields(api: &Api) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for def in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            for f in s.fields.iter().filter(|f| f.sensitive) {
                out.insert(format!("{}.{}", def.name, f.rust_name));
            }
        }
    }
    out
}

/// What the overlay marks: every token, secret, code, private key and credential field of the
/// document, and the fields that carry them in another form (`responseContent`, raw request
/// `parameters`, `verificationUriComplete`).
const SENSITIVE: &[&str] = &[
    "AuthorizationFailResponse.response_content",
    "AuthorizationIssueRequest.access_token",
    "AuthorizationIssueResponse.access_token",
    "AuthorizationIssueResponse.authorization_code",
    "AuthorizationIssueResponse.id_token",
    "AuthorizationIssueResponse.jwt_access_token",
    "AuthorizationIssueResponse.response_content",
    "AuthorizationResponse.response_content",
    "BackchannelAuthenticationCompleteRequest.access_token",
    "BackchannelAuthenticationCompleteResponse.access_token",
    "BackchannelAuthenticationCompleteResponse.client_notification_token",
    "BackchannelAuthenticationCompleteResponse.id_token",
    "BackchannelAuthenticationCompleteResponse.jwt_access_token",
    "BackchannelAuthenticationCompleteResponse.refresh_token",
    "BackchannelAuthenticationCompleteResponse.response_content",
    "BackchannelAuthenticationFailResponse.response_content",
    "BackchannelAuthenticationIssueResponse.response_content",
    "BackchannelAuthenticationRequest.client_secret",
    "BackchannelAuthenticationRequest.parameters",
    "BackchannelAuthenticationResponse.client_notification_token",
    "BackchannelAuthenticationResponse.response_content",
    "BackchannelAuthenticationResponse.user_code",
    "Client.client_secret",
    "ClientRegistrationApiRequest.token",
    // `ClientRegistrationDeleteApiRequest` has the shape of `ClientRegistrationGetApiRequest`
    // (token included), so it is an alias of it (lower/shapes.rs): its `token` is the one above.
    "ClientRegistrationGetApiRequest.token",
    "ClientRegistrationRequest.token",
    "ClientRegistrationResponse.response_content",
    "ClientRegistrationUpdateApiRequest.token",
    "ClientSecretRefreshResponse.new_client_secret",
    "ClientSecretRefreshResponse.old_client_secret",
    "ClientSecretUpdateRequest.client_secret",
    "ClientSecretUpdateResponse.new_client_secret",
    "ClientSecretUpdateResponse.old_client_secret",
    "CredentialOfferInfo.pre_authorized_code",
    "CredentialOfferInfo.tx_code",
    "DeviceAuthorizationRequest.client_secret",
    "DeviceAuthorizationRequest.parameters",
    "DeviceAuthorizationResponse.device_code",
    "DeviceAuthorizationResponse.response_content",
    "DeviceAuthorizationResponse.user_code",
    "DeviceAuthorizationResponse.verification_uri_complete",
    "DeviceCompleteRequest.user_code",
    "DeviceVerificationRequest.user_code",
    "FederationConfigurationResponse.response_content",
    "FederationRegistrationResponse.response_content",
    "GMRequest.access_token",
    "GMRequest.dpop",
    "GMRequest.token",
    "GMResponse.response_content",
    "IdtokenReissueRequest.access_token",
    "IdtokenReissueRequest.refresh_token",
    "IdtokenReissueResponse.id_token",
    "IdtokenReissueResponse.response_content",
    "IntrospectionRequest.dpop",
    "IntrospectionRequest.token",
    "IntrospectionResponse.response_content",
    "NativeSsoRequest.access_token",
    "NativeSsoRequest.device_secret",
    "NativeSsoRequest.refresh_token",
    "NativeSsoResponse.id_token",
    "NativeSsoResponse.response_content",
    "PushedAuthorizationRequest.client_secret",
    "PushedAuthorizationRequest.dpop",
    "PushedAuthorizationRequest.parameters",
    "PushedAuthorizationResponse.response_content",
    "RevocationRequest.client_secret",
    "RevocationRequest.parameters",
    "RevocationResponse.response_content",
    "Service.api_secret",
    "Service.authentication_callback_api_secret",
    "Service.credential_jwks",
    "Service.developer_authentication_callback_api_secret",
    "Service.federation_jwks",
    "Service.jwks",
    "SnsCredentials.api_secret",
    "StandardIntrospectionRequest.parameters",
    "StandardIntrospectionRequest.shared_key_for_encryption",
    "StandardIntrospectionRequest.shared_key_for_sign",
    "StandardIntrospectionResponse.response_content",
    "TokenCreateRequest.access_token",
    "TokenCreateRequest.refresh_token",
    "TokenCreateResponse.access_token",
    "TokenCreateResponse.jwt_access_token",
    "TokenCreateResponse.refresh_token",
    "TokenFailResponse.response_content",
    "TokenIssueRequest.access_token",
    "TokenIssueResponse.access_token",
    "TokenIssueResponse.jwt_access_token",
    "TokenIssueResponse.refresh_token",
    "TokenIssueResponse.response_content",
    "TokenRequest.access_token",
    "TokenRequest.client_secret",
    "TokenRequest.dpop",
    "TokenRequest.parameters",
    "TokenResponse.access_token",
    "TokenResponse.actor_token",
    "TokenResponse.assertion",
    "TokenResponse.device_secret",
    "TokenResponse.id_token",
    "TokenResponse.jwt_access_token",
    "TokenResponse.password",
    "TokenResponse.refresh_token",
    "TokenResponse.response_content",
    "TokenResponse.subject_token",
    "TokenUpdateRequest.access_token",
    "TokenUpdateResponse.access_token",
    "UserinfoIssueRequest.token",
    "UserinfoIssueResponse.response_content",
    "UserinfoRequest.dpop",
    "UserinfoRequest.token",
    "UserinfoResponse.response_content",
    "UserinfoResponse.token",
    "VciBatchIssueRequest.access_token",
    "VciBatchIssueResponse.response_content",
    "VciBatchParseRequest.access_token",
    "VciBatchParseResponse.response_content",
    "VciDeferredIssueResponse.response_content",
    "VciDeferredParseRequest.access_token",
    "VciDeferredParseResponse.response_content",
    "VciJwksResponse.response_content",
    "VciJwtissuerResponse.response_content",
    "VciMetadataResponse.response_content",
    "VciOfferCreateRequest.tx_code",
    "VciSingleIssueRequest.access_token",
    "VciSingleIssueResponse.response_content",
    "VciSingleParseRequest.access_token",
    "VciSingleParseResponse.response_content",
];

#[test]
fn the_overlay_marks_every_authlete_secret() {
    let actual = sensitive_fields(&authlete());
    let expected: BTreeSet<String> = SENSITIVE.iter().map(|s| (*s).to_owned()).collect();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let extra: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "no longer sensitive: {missing:?}\nnewly sensitive: {extra:?}"
    );
}

/// The last word of a field name that makes it look like a credential.
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "tokens",
    "secret",
    "password",
    "code",
    "jwks",
    "dpop",
    "assertion",
    "key",
    "keys",
    "credentials",
    "complete",
];

/// Fields whose name looks like a credential but whose value is not one, and why.
const NOT_SECRET: &[(&str, &str)] = &[
    (
        "access_tokens",
        "a list of token records, which hold hashes and metadata, not tokens",
    ),
    (
        "api_key",
        "the identifier half of the service's credentials; `api_secret` is marked",
    ),
    (
        "authentication_callback_api_key",
        "an identifier; its `..._api_secret` is marked",
    ),
    (
        "developer_authentication_callback_api_key",
        "an identifier; its `..._api_secret` is marked",
    ),
    ("service_api_key", "an identifier of the service"),
    ("binding_key", "a public key that tokens are bound to"),
    ("binding_keys", "public keys that tokens are bound to"),
    ("public_key", "a public key"),
    (
        "error_code",
        "an error code of the API, not an authorization code",
    ),
    (
        "result_code",
        "a result code of the API, not an authorization code",
    ),
    ("key", "the name half of a name/value pair"),
    (
        "keys",
        "the service's public JWKs, as its JWKS endpoint publishes them",
    ),
    (
        "jwks",
        "public keys: a client's or a trust anchor's (the service's own `jwks` is marked)",
    ),
    (
        "sns_credentials",
        "holds `SnsCredentials`, whose `api_secret` is marked",
    ),
    (
        "issuable_credentials",
        "a description of the verifiable credentials a client may request",
    ),
    (
        "tls_client_certificate_bound_access_tokens",
        "a flag (RFC 8705 metadata)",
    ),
    (
        "device_verification_uri_complete",
        "a setting: the URI template, without a user code",
    ),
];

#[test]
fn every_credential_looking_field_is_sensitive_or_explained() {
    let api = authlete();
    let mut unexplained = Vec::new();
    let mut explained_used = BTreeSet::new();
    for def in &api.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for f in &s.fields {
            let last = f.rust_name.rsplit('_').next().unwrap_or_default();
            if f.sensitive || !CREDENTIAL_WORDS.contains(&last) {
                continue;
            }
            match NOT_SECRET.iter().find(|(name, _)| *name == f.rust_name) {
                Some((name, _)) => {
                    explained_used.insert(*name);
                }
                None => unexplained.push(format!("{}.{}", def.name, f.rust_name)),
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "mark these sensitive in spec/overlay.yaml, or say in NOT_SECRET why they are not: {unexplained:?}"
    );
    let stale: Vec<_> = NOT_SECRET
        .iter()
        .filter(|(name, _)| !explained_used.contains(name))
        .collect();
    assert!(stale.is_empty(), "no such non-sensitive field: {stale:?}");
}

/// The document's examples hold credentials in sensitive fields, so the scan of `Debug` output
/// in `generated/tests/spec_examples.rs` checks something.
#[test]
fn examples_hold_secrets_for_the_debug_scan() {
    let api = authlete();
    let secrets: BTreeSet<String> = api
        .examples
        .iter()
        .filter(|e| !matches!(e.ty, TypeRef::Any))
        .flat_map(|e| api.sensitive_values(&e.ty, &e.value))
        .collect();
    assert!(secrets.len() >= 40, "{}: {secrets:?}", secrets.len());
    // The client secret of the `client/get` example.
    assert!(
        secrets.iter().any(|s| s.starts_with("gXz97ISgLs4H")),
        "{secrets:?}"
    );
    let scanned =
        std::fs::read_to_string(repo_root().join("generated/tests/spec_examples.rs")).unwrap();
    assert!(scanned.contains("pub const SECRETS_CHECKED: usize = "));
}

const TOKEN: &str = "Z5a40U6dWvw2gMoCOAFbZcM85q4HC0Z--0YKD9-Nf6Q";

#[test]
fn debug_redacts_and_serialization_does_not() {
    let response = models::TokenResponse::new()
        .with_access_token(TOKEN)
        .with_refresh_token("refresh-AAAAAAAAAAAA")
        .with_access_token_duration(3600)
        .with_response_content(format!(r#"{{"access_token":"{TOKEN}"}}"#));
    let shown = format!("{response:?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("refresh-AAAA"),
        "{shown}"
    );
    assert!(shown.contains("access_token: Some(<redacted>)"), "{shown}");
    assert!(
        shown.contains("response_content: Some(<redacted>)"),
        "{shown}"
    );
    assert!(
        shown.contains("id_token: None"),
        "unset secrets read `None`: {shown}"
    );
    assert!(
        shown.contains("access_token_duration: Some(3600)"),
        "{shown}"
    );
    // Pretty `Debug`, and containers of the model, redact too.
    for shown in [
        format!("{response:#?}"),
        format!("{:?}", vec![response.clone()]),
        format!("{:?}", Some(Box::new(response.clone()))),
    ] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
    // The value itself is untouched: readable, and sent as it is.
    assert_eq!(response.access_token.as_deref(), Some(TOKEN));
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(json["accessToken"], TOKEN);

    // A required sensitive field: always `<redacted>`.
    let update = models::ClientSecretUpdateRequest::new("s3cret-value-12345");
    let shown = format!("{update:?}");
    assert_eq!(
        shown,
        r#"ClientSecretUpdateRequest { client_secret: <redacted> }"#
    );

    // Secrets nested in other models (a service inside a list response).
    let service = models::Service::new().with_api_secret("api-secret-XYZXYZ");
    let list = models::ServiceGetListResponse::new().with_services(vec![service]);
    assert!(!format!("{list:?}").contains("api-secret-XYZXYZ"));
}

/// `format: password` and `x-sensitive` on a property or on the schema a property refers to,
/// in `tests/fixtures/sensitive.yaml` (whose generated code is in its golden file).
#[test]
fn format_password_and_x_sensitive_mark_fields() {
    let (api, _) = load_api(&Input::spec(
        repo_root().join("tests/fixtures/sensitive.yaml"),
    ))
    .unwrap();
    let actual = sensitive_fields(&api);
    let expected: BTreeSet<String> = [
        "Login.password",
        "Login.otp",
        "Login.old_pin",
        "Session.token",
        "Session.refresh",
        "Session.keys",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(actual, expected);
}
