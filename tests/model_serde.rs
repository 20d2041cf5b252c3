//! The struct models' written-out serde impls (generator/src/emit/model_serde.rs) keep the JSON
//! contract the derive had: names as in the document, `None` left out, required fields
//! required, unknown names skipped or kept as additional properties, serde's error wording.
//! `generated/tests/spec_examples.rs` checks every example of the document round-trips; these
//! are the edges the examples do not reach.

use authlete::models::{Client, ClientAuthMethod, TokenRequest};
use serde_json::{Value, json};

#[test]
fn unset_optional_fields_are_left_out() {
    let request = TokenRequest::new("grant_type=client_credentials");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"parameters": "grant_type=client_credentials"})
    );
    let mut request = request;
    request.client_id = Some("c1".to_owned());
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"parameters":"grant_type=client_credentials","clientId":"c1"}"#,
        "declared order, JSON names"
    );
}

#[test]
fn a_missing_required_field_is_serdes_error() {
    let err = serde_json::from_str::<TokenRequest>(r#"{"clientId": "c1"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing field `parameters` at line 1 column 18"
    );
}

#[test]
fn null_for_an_optional_field_is_none() {
    let request: TokenRequest =
        serde_json::from_str(r#"{"parameters": "p", "clientId": null}"#).unwrap();
    assert_eq!(request.client_id, None);
}

#[test]
fn wrong_shapes_say_what_was_expected() {
    for (json, found) in [
        ("[]", "sequence"),
        ("\"x\"", "string \"x\""),
        ("1", "integer `1`"),
    ] {
        let err = serde_json::from_str::<TokenRequest>(json).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "invalid type: {found}, expected struct TokenRequest"
            )),
            "{json}: {err}"
        );
    }
    let err = serde_json::from_str::<TokenRequest>(r#"{"parameters": 7}"#).unwrap_err();
    assert!(err.to_string().contains("expected a string"), "{err}");
}

#[test]
fn unknown_names_are_skipped_and_escaped_names_match() {
    let request: TokenRequest = serde_json::from_str(
        r#"{"param\u0065ters": "p", "notInTheSpec": {"deep": [1, 2]}, "clientId": "c"}"#,
    )
    .unwrap();
    assert_eq!(request.parameters, "p");
    assert_eq!(request.client_id.as_deref(), Some("c"));
}

#[test]
fn a_repeated_name_keeps_its_last_value() {
    let request: TokenRequest =
        serde_json::from_str(r#"{"parameters": "first", "parameters": "last"}"#).unwrap();
    assert_eq!(request.parameters, "last");
}

#[test]
fn additional_properties_are_kept_and_written_after_the_declared_fields() {
    let json =
        r#"{"clientId":42,"extraSetting":{"a":1},"tokenAuthMethod":"PRIVATE_KEY_JWT","z":null}"#;
    let client: Client = serde_json::from_str(json).unwrap();
    assert_eq!(client.client_id, Some(42));
    assert_eq!(
        client.token_auth_method,
        Some(ClientAuthMethod::PrivateKeyJwt)
    );
    assert_eq!(client.additional_properties.len(), 2);
    assert_eq!(
        client.additional_properties["extraSetting"],
        json!({"a": 1})
    );
    assert_eq!(client.additional_properties["z"], Value::Null);
    assert_eq!(
        serde_json::to_string(&client).unwrap(),
        r#"{"clientId":42,"tokenAuthMethod":"PRIVATE_KEY_JWT","extraSetting":{"a":1},"z":null}"#
    );
}

#[test]
fn decoding_from_a_value_works_like_from_text() {
    // `serde_json::Value` hands out owned keys: the other branch of the runtime's FieldName.
    let value = json!({"parameters": "p", "clientSecret": "s", "other": true});
    let request: TokenRequest = serde_json::from_value(value).unwrap();
    assert_eq!(request.parameters, "p");
    assert_eq!(request.client_secret.as_deref(), Some("s"));
    let err = serde_json::from_value::<TokenRequest>(json!({})).unwrap_err();
    assert_eq!(err.to_string(), "missing field `parameters`");
}

/// Chainable setters: `X::new(required..)` then one `with_` per optional field, no `let mut`.
#[test]
fn setters_chain_and_set_their_field_only() {
    let owned = String::from("secret-2");
    let request = TokenRequest::new("grant_type=client_credentials")
        .with_client_id("26478243745571")
        .with_client_secret(owned)
        .with_client_certificate_path(Vec::new());
    assert_eq!(request.client_id.as_deref(), Some("26478243745571"));
    assert_eq!(request.client_secret.as_deref(), Some("secret-2"));
    assert_eq!(request.client_certificate_path, Some(Vec::new()));
    assert_eq!(request.dpop, None, "untouched fields stay unset");
    // The JSON is what setting the fields by hand gives.
    let mut by_hand = TokenRequest::new("grant_type=client_credentials");
    by_hand.client_id = Some("26478243745571".into());
    by_hand.client_secret = Some("secret-2".into());
    by_hand.client_certificate_path = Some(Vec::new());
    assert_eq!(request, by_hand);
    // Non-string fields take their type; a later call replaces an earlier one.
    let client = Client::new()
        .with_client_id(1)
        .with_client_id(42)
        .with_token_auth_method(ClientAuthMethod::ClientSecretBasic);
    assert_eq!(client.client_id, Some(42));
    assert_eq!(
        serde_json::to_value(&client).unwrap(),
        json!({"clientId": 42, "tokenAuthMethod": "CLIENT_SECRET_BASIC"})
    );
}

/// Open enums order by their wire value, so a value added upstream (decoded today as
/// `Unknown`, a variant tomorrow) never changes how existing values compare: the reason
/// `generator diff` may call an added enum value compatible (cargo-semver-checks flags
/// derived orderings when a variant is inserted).
#[test]
fn enums_order_by_wire_value_whatever_the_variant_order() {
    use authlete::models::ApplicationType;
    use std::cmp::Ordering;
    // Declared WEB, NATIVE; ordered NATIVE < WEB by value.
    assert!(ApplicationType::Native < ApplicationType::Web);
    // An unknown value sorts among the known ones by its text...
    let mobile = ApplicationType::from("MOBILE");
    assert!(matches!(mobile, ApplicationType::Unknown(_)));
    assert!(mobile < ApplicationType::Native && ApplicationType::Native < ApplicationType::Web);
    let zzz = ApplicationType::Unknown("ZZZ".into());
    assert!(ApplicationType::Web < zzz);
    // ...and an `Unknown` holding a known value comes right after that value, not equal to
    // it, so `Ord` agrees with `Eq`.
    let fake_web = ApplicationType::Unknown("WEB".into());
    assert_ne!(fake_web, ApplicationType::Web);
    assert_eq!(ApplicationType::Web.cmp(&fake_web), Ordering::Less);
    assert_eq!(
        ApplicationType::Web.cmp(&ApplicationType::Web),
        Ordering::Equal
    );
    let mut sorted = vec![
        zzz.clone(),
        ApplicationType::Web,
        mobile.clone(),
        ApplicationType::Native,
    ];
    sorted.sort();
    assert_eq!(
        sorted,
        vec![mobile, ApplicationType::Native, ApplicationType::Web, zzz]
    );
}
