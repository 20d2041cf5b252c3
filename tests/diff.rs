//! `generator diff`: what a new document changes in the generated Rust API.
//!
//! - Every consecutive pair of the real upstream history (`spec/history`, a symlink to
//!   `../shared/specs/authlete/history`) has its text and Markdown report checked in under
//!   `tests/golden/diff/`. After an intended change, rewrite them with
//!   `EXPECTORATE=overwrite cargo test -p authlete-tests --test diff` and review the diff.
//! - Each `tests/fixtures/diff/<rule>/{old,new}.yaml` pins one classification rule: the exact
//!   changes it must produce are listed below.
//! - The rule tables in `generator/src/diff/mod.rs` and the README list every rule with the
//!   severity the code gives it.

use std::path::{Path, PathBuf};

use authlete_tests::repo_root;
use generator::diff::{self, Diff, Rule, Severity, render};

fn history_dir() -> PathBuf {
    repo_root().join("spec/history")
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn history_pairs_match_their_golden_files() {
    let files = diff::changelog::history_files(&history_dir()).unwrap();
    assert_eq!(
        files.len(),
        11,
        "the upstream history has 11 versions: {files:?}"
    );
    // With the project's overlay, as generation and `generator diff` read them: the goldens
    // name the crate's real methods.
    let overlays = [repo_root().join("spec/overlay.yaml")];
    let apis: Vec<_> = diff::load_documents(&files, &overlays)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|(api, _)| api)
        .collect();
    for i in 1..files.len() {
        let (old, new) = (&files[i - 1], &files[i]);
        let d = diff::compare(&apis[i - 1], &apis[i]).with_labels(file_name(old), file_name(new));
        let golden = format!("tests/golden/diff/{}..{}", stem(old), stem(new));
        let golden = |ext: &str| repo_root().join(format!("{golden}.{ext}"));
        expectorate::assert_contents(golden("txt"), &render::text(&d));
        expectorate::assert_contents(golden("md"), &render::markdown(&d));

        // The JSON carries the same changes, and its summary adds up.
        let json: serde_json::Value = serde_json::from_str(&render::json(&d)).unwrap();
        assert_eq!(json["format_version"], 1);
        assert_eq!(json["changes"].as_array().unwrap().len(), d.changes.len());
        assert_eq!(
            json["summary"]["breaking"].as_u64().unwrap() as usize,
            d.count(Severity::Breaking)
        );
        assert_eq!(json["old"]["label"], file_name(old).as_str());
    }
}

const B: Severity = Severity::Breaking;
const C: Severity = Severity::Compatible;

/// What a fixture must produce: severity, rule, item, member, message.
type Expected<'a> = (Severity, Rule, &'a str, Option<&'a str>, &'a str);

fn fixture_diff(name: &str) -> Diff {
    let dir = repo_root().join("tests/fixtures/diff").join(name);
    diff::diff_files(&dir.join("old.yaml"), &dir.join("new.yaml"), &[])
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .0
}

fn check(name: &str, expected: &[Expected]) {
    let d = fixture_diff(name);
    let actual: Vec<Expected> = d
        .changes
        .iter()
        .map(|c| {
            (
                c.severity,
                c.rule,
                c.item.as_str(),
                c.member.as_deref(),
                c.message.as_str(),
            )
        })
        .collect();
    assert_eq!(actual, expected, "fixture `{name}`:\n{}", render::text(&d));
    for c in &d.changes {
        assert_eq!(c.severity, c.rule.severity(), "{name}: {c:?}");
    }
}

/// One entry per rule: the fixture named after it and every change it produces (a few rules
/// cannot happen alone, e.g. a type renamed upstream comes with its operation's rename).
fn expectations() -> Vec<(&'static str, Vec<Expected<'static>>)> {
    use Rule::*;
    const GET: &str = "pets().get_pet()";
    const CREATE: &str = "pets().create_pet()";
    const PET: &str = "models::Pet";
    vec![
        (
            "operation_added",
            vec![(
                C,
                OperationAdded,
                "pets().delete_pet()",
                None,
                "new operation (`DELETE /pets/{petId}`)",
            )],
        ),
        (
            "operation_removed",
            vec![(
                B,
                OperationRemoved,
                "pets().delete_pet()",
                None,
                "removed (`DELETE /pets/{petId}`)",
            )],
        ),
        (
            "operation_renamed",
            vec![(
                B,
                OperationRenamed,
                GET,
                None,
                "renamed to `pets().fetch_pet()` (operationId `getPet` → `fetchPet`)",
            )],
        ),
        (
            "operation_moved",
            vec![(B, OperationMoved, GET, None, "moved to `store().get_pet()`")],
        ),
        (
            "operation_id_changed",
            vec![(
                C,
                OperationIdChanged,
                GET,
                None,
                "operationId `getPet` → `get_pet`",
            )],
        ),
        (
            "operation_path_changed",
            vec![(
                C,
                OperationPathChanged,
                GET,
                None,
                "path `/pets/{petId}` → `/animals/{petId}`",
            )],
        ),
        (
            "operation_method_changed",
            vec![(
                C,
                OperationMethodChanged,
                CREATE,
                None,
                "HTTP method `POST` → `PUT`",
            )],
        ),
        (
            "operation_security_relaxed",
            vec![(
                C,
                OperationSecurityRelaxed,
                GET,
                None,
                "authentication `bearer` → none: every old way to call it still works",
            )],
        ),
        (
            "deprecation_changed",
            vec![
                (C, DeprecationChanged, GET, None, "deprecated"),
                (
                    C,
                    DeprecationChanged,
                    "models::Kind",
                    Some("dog"),
                    "value `dog` (`Kind::Dog`) deprecated",
                ),
            ],
        ),
        (
            "pagination_added",
            vec![(
                C,
                PaginationAdded,
                "pets().list_pets()",
                None,
                "now paged: `list_pets_all` / `list_pets_pages`",
            )],
        ),
        (
            "pagination_removed",
            vec![(
                B,
                PaginationRemoved,
                "pets().list_pets()",
                None,
                "no longer paged: `list_pets_all` / `list_pets_pages` removed",
            )],
        ),
        (
            "required_param_added",
            vec![(
                B,
                RequiredParamAdded,
                GET,
                Some("owner"),
                "new required parameter `owner` (query): argument `owner: String`",
            )],
        ),
        (
            "optional_param_added",
            vec![(
                C,
                OptionalParamAdded,
                GET,
                Some("limit"),
                "new optional parameter `limit` (query): `PetsGetPetParams::limit(i32)`",
            )],
        ),
        (
            "params_argument_added",
            vec![(
                B,
                ParamsArgumentAdded,
                CREATE,
                Some("dryRun"),
                "new optional parameter `dry_run` (query `dryRun`): the method gains a `params: PetsCreatePetParams` argument",
            )],
        ),
        (
            "param_removed",
            vec![(
                B,
                ParamRemoved,
                GET,
                Some("verbose"),
                "removed optional parameter `verbose` (query): `PetsGetPetParams::verbose` is gone",
            )],
        ),
        (
            "param_type_changed",
            vec![(
                B,
                ParamTypeChanged,
                GET,
                Some("verbose"),
                "parameter `verbose` (query) type `bool` → `String`",
            )],
        ),
        (
            "param_became_required",
            vec![(
                B,
                ParamBecameRequired,
                GET,
                Some("verbose"),
                "parameter `verbose` (query) is now required: a positional argument instead of `PetsGetPetParams::verbose`",
            )],
        ),
        (
            "param_became_optional",
            vec![(
                B,
                ParamBecameOptional,
                GET,
                Some("fields"),
                "parameter `fields` (query) is now optional: moved from the arguments to `PetsGetPetParams::fields`",
            )],
        ),
        (
            "param_renamed",
            vec![
                (
                    B,
                    ParamRenamed,
                    GET,
                    Some("verbose"),
                    "optional parameter `verbose`: `PetsGetPetParams::verbose` → `PetsGetPetParams::verbose_2`",
                ),
                (
                    C,
                    OptionalParamAdded,
                    GET,
                    Some("Verbose"),
                    "new optional parameter `verbose` (header `Verbose`): `PetsGetPetParams::verbose(String)`",
                ),
            ],
        ),
        (
            "required_params_reordered",
            vec![(
                B,
                RequiredParamsReordered,
                GET,
                None,
                "positional arguments reordered: `(pet_id, fields, format)` → `(pet_id, format, fields)`",
            )],
        ),
        (
            "param_style_changed",
            vec![(
                C,
                ParamStyleChanged,
                GET,
                Some("tags"),
                "parameter `tags` (query) is now sent one `key=value` pair per item (was comma-separated)",
            )],
        ),
        (
            "body_added",
            vec![
                (
                    B,
                    BodyAdded,
                    CREATE,
                    None,
                    "new request body: argument `body: &NewPet`",
                ),
                // No operation used it: it had both serde impls.
                (
                    B,
                    SerdeImplGated,
                    "models::NewPet",
                    Some("Deserialize"),
                    "`Deserialize` only with the `deserialize` feature now (no response holds it)",
                ),
            ],
        ),
        (
            "body_removed",
            vec![
                (
                    B,
                    BodyRemoved,
                    CREATE,
                    None,
                    "request body removed: argument `body: &NewPet`",
                ),
                // Used by nothing now: both serde impls.
                (
                    C,
                    SerdeImplAdded,
                    "models::NewPet",
                    Some("Deserialize"),
                    "now implements `Deserialize` without the `deserialize` feature",
                ),
            ],
        ),
        (
            "body_type_changed",
            vec![
                (
                    B,
                    BodyTypeChanged,
                    CREATE,
                    None,
                    "request body type `NewPet` → `Pet`",
                ),
                // NewPet is used by nothing now, Pet travels both ways.
                (
                    C,
                    SerdeImplAdded,
                    "models::NewPet",
                    Some("Deserialize"),
                    "now implements `Deserialize` without the `deserialize` feature",
                ),
                (
                    C,
                    SerdeImplAdded,
                    "models::Pet",
                    Some("Serialize"),
                    "now implements `Serialize` without the `serialize` feature",
                ),
            ],
        ),
        (
            "body_became_required",
            vec![(
                B,
                BodyBecameRequired,
                CREATE,
                None,
                "request body is now required: argument `body: Option<&NewPet>` → `body: &NewPet`",
            )],
        ),
        (
            "body_became_optional",
            vec![(
                B,
                BodyBecameOptional,
                CREATE,
                None,
                "request body is now optional: argument `body: &NewPet` → `body: Option<&NewPet>`",
            )],
        ),
        (
            "body_media_added",
            vec![(
                C,
                BodyMediaAdded,
                CREATE,
                Some("application/x-www-form-urlencoded"),
                "request body also accepts `application/x-www-form-urlencoded`",
            )],
        ),
        (
            "body_media_removed",
            vec![(
                B,
                BodyMediaRemoved,
                CREATE,
                Some("application/x-www-form-urlencoded"),
                "request body no longer accepts `application/x-www-form-urlencoded`",
            )],
        ),
        (
            "body_default_media_changed",
            vec![(
                C,
                BodyDefaultMediaChanged,
                CREATE,
                None,
                "request body sent as `application/x-www-form-urlencoded` by default (was `application/json`)",
            )],
        ),
        (
            "return_type_changed",
            vec![(
                B,
                ReturnTypeChanged,
                GET,
                None,
                "return type `Pet` → `Vec<Pet>`",
            )],
        ),
        (
            "response_added",
            vec![(
                C,
                ResponseAdded,
                GET,
                Some("500"),
                "new documented response `500` with body `Error`",
            )],
        ),
        (
            "response_removed",
            vec![(
                C,
                ResponseRemoved,
                GET,
                Some("404"),
                "response `404` no longer documented",
            )],
        ),
        (
            "response_changed",
            vec![(
                C,
                ResponseChanged,
                GET,
                Some("404"),
                "response `404` body `Error` (`application/json`) → `String` (`text/plain`)",
            )],
        ),
        (
            "type_added",
            vec![(C, TypeAdded, "models::Owner", None, "new struct")],
        ),
        (
            "type_removed",
            vec![(B, TypeRemoved, "models::Owner", None, "removed (struct)")],
        ),
        (
            "type_renamed",
            vec![
                (
                    B,
                    OperationRenamed,
                    CREATE,
                    None,
                    "renamed to `pets().add_pet()` (operationId `createPet` → `addPet`)",
                ),
                // The body now has the renamed type: not reported again as a body type change.
                (
                    B,
                    TypeRenamed,
                    "models::CreatePetRequest",
                    None,
                    "renamed to `models::AddPetRequest`",
                ),
            ],
        ),
        (
            "type_kind_changed",
            vec![(
                B,
                TypeKindChanged,
                "models::Kind",
                None,
                "changed from an enum to a struct",
            )],
        ),
        (
            "field_added",
            vec![(
                C,
                FieldAdded,
                PET,
                Some("age"),
                "new optional field `age: Option<i32>`",
            )],
        ),
        // `NewPet` is a request body: callers build it with `new`.
        (
            "required_field_added",
            vec![(
                B,
                RequiredFieldAdded,
                "models::NewPet",
                Some("owner"),
                "new required field `owner: String`: `NewPet::new` takes it",
            )],
        ),
        // `Pet` is only ever returned.
        (
            "required_field_added_to_response",
            vec![(
                C,
                RequiredFieldAddedToResponse,
                PET,
                Some("createdAt"),
                "new required field `created_at: String` (response-only type)",
            )],
        ),
        (
            "field_removed",
            vec![(B, FieldRemoved, PET, Some("name"), "field `name` removed")],
        ),
        (
            "field_type_changed",
            vec![(
                B,
                FieldTypeChanged,
                PET,
                Some("name"),
                "field `name` type `Option<String>` → `Option<i64>`",
            )],
        ),
        (
            "field_became_required",
            vec![(
                B,
                FieldBecameRequired,
                PET,
                Some("name"),
                "field `name` is now required: `Option<String>` → `String`",
            )],
        ),
        (
            "field_became_optional",
            vec![(
                B,
                FieldBecameOptional,
                PET,
                Some("id"),
                "field `id` is now optional: `String` → `Option<String>`",
            )],
        ),
        (
            "field_presence_changed",
            vec![(
                C,
                FieldPresenceChanged,
                PET,
                Some("tag"),
                "field `tag` is now required, nullable (was optional, nullable); still `Option<String>`",
            )],
        ),
        (
            "field_renamed",
            vec![
                (
                    B,
                    FieldRenamed,
                    PET,
                    Some("name"),
                    "field for `name` renamed `name` → `name_2`",
                ),
                (
                    C,
                    FieldAdded,
                    PET,
                    Some("Name"),
                    "new optional field `name: Option<String>`",
                ),
            ],
        ),
        (
            "additional_properties_added",
            vec![(
                C,
                AdditionalPropertiesAdded,
                PET,
                None,
                "new field `additional_properties: BTreeMap<String, String>`",
            )],
        ),
        (
            "additional_properties_changed",
            vec![(
                B,
                AdditionalPropertiesChanged,
                PET,
                None,
                "`additional_properties` values `String` → `i64`",
            )],
        ),
        (
            "enum_value_added",
            vec![(
                C,
                EnumValueAdded,
                "models::Kind",
                Some("bird"),
                "new value `bird` (`Kind::Bird`)",
            )],
        ),
        (
            "enum_value_removed",
            vec![(
                B,
                EnumValueRemoved,
                "models::Kind",
                Some("dog"),
                "value `dog` removed (`Kind::Dog`)",
            )],
        ),
        (
            "enum_variant_renamed",
            vec![
                (
                    B,
                    EnumVariantRenamed,
                    "models::Kind",
                    Some("cat"),
                    "value `cat`: variant `Cat` → `Cat2`",
                ),
                (
                    C,
                    EnumValueAdded,
                    "models::Kind",
                    Some("CAT"),
                    "new value `CAT` (`Kind::Cat`)",
                ),
            ],
        ),
        (
            "union_variant_added",
            vec![
                (
                    C,
                    UnionVariantAdded,
                    "models::Shape",
                    Some("Triangle"),
                    "new variant `Triangle(Triangle)`",
                ),
                (C, TypeAdded, "models::Triangle", None, "new struct"),
            ],
        ),
        (
            "union_variant_removed",
            vec![
                (
                    B,
                    UnionVariantRemoved,
                    "models::Shape",
                    Some("Triangle"),
                    "variant `Triangle(Triangle)` removed",
                ),
                (B, TypeRemoved, "models::Triangle", None, "removed (struct)"),
            ],
        ),
        (
            "union_variant_changed",
            vec![(
                B,
                UnionVariantChanged,
                "models::Label",
                Some("Number"),
                "variant `Number` holds `i64` → `f64`",
            )],
        ),
        (
            "union_discriminator_changed",
            vec![(
                B,
                UnionDiscriminatorChanged,
                "models::Shape",
                None,
                "discriminator `shape` → none",
            )],
        ),
        (
            "union_tag_added",
            vec![(
                C,
                UnionTagAdded,
                "models::Shape",
                Some("Circle"),
                "variant `Circle` also selected by `round`",
            )],
        ),
        (
            "union_tag_removed",
            vec![(
                B,
                UnionTagRemoved,
                "models::Shape",
                Some("Circle"),
                "variant `Circle` no longer selected by `round`",
            )],
        ),
        (
            "alias_changed",
            vec![(
                B,
                AliasChanged,
                "models::Tags",
                None,
                "alias of `Vec<String>` → `Vec<i64>`",
            )],
        ),
        (
            "serde_impl_gated",
            vec![
                (
                    C,
                    ResponseChanged,
                    CREATE,
                    Some("400"),
                    "response `400` body `NewPet` (`application/json`) → `Error` (`application/json`)",
                ),
                (
                    B,
                    SerdeImplGated,
                    "models::NewPet",
                    Some("Deserialize"),
                    "`Deserialize` only with the `deserialize` feature now (no response holds it)",
                ),
            ],
        ),
        (
            "serde_impl_added",
            vec![
                (
                    C,
                    ResponseChanged,
                    CREATE,
                    Some("400"),
                    "response `400` body `Error` (`application/json`) → `NewPet` (`application/json`)",
                ),
                (
                    C,
                    SerdeImplAdded,
                    "models::NewPet",
                    Some("Deserialize"),
                    "now implements `Deserialize` without the `deserialize` feature",
                ),
            ],
        ),
        (
            "server_added",
            vec![(
                C,
                ServerAdded,
                "Server::Ap",
                None,
                "new server `https://ap.example.com`",
            )],
        ),
        (
            "server_removed",
            vec![(
                B,
                ServerRemoved,
                "Server::Eu",
                None,
                "removed (was `https://eu.example.com`)",
            )],
        ),
        (
            "server_url_changed",
            vec![(
                C,
                ServerUrlChanged,
                "Server::Us",
                None,
                "URL `https://us.example.com` → `https://us.example.com/v2`",
            )],
        ),
        (
            "default_server_changed",
            vec![(
                B,
                DefaultServerChanged,
                "Server::default()",
                None,
                "default server `Server::Us` → `Server::Eu`",
            )],
        ),
        // A scheme every operation now requires: each operation is tightened.
        (
            "operation_security_tightened",
            vec![
                (
                    B,
                    OperationSecurityTightened,
                    CREATE,
                    None,
                    "authentication none → `bearer`: callers with only the old credentials are refused",
                ),
                (
                    B,
                    OperationSecurityTightened,
                    GET,
                    None,
                    "authentication none → `bearer`: callers with only the old credentials are refused",
                ),
                (
                    C,
                    SecuritySchemeAdded,
                    "security::BEARER",
                    None,
                    "scheme `bearer` (bearer token) declared",
                ),
            ],
        ),
        (
            "security_scheme_added",
            vec![(
                C,
                SecuritySchemeAdded,
                "security::ADMIN",
                None,
                "scheme `admin` (HTTP basic) declared",
            )],
        ),
        (
            "security_scheme_removed",
            vec![
                (
                    C,
                    OperationSecurityRelaxed,
                    CREATE,
                    None,
                    "authentication `bearer` → none: every old way to call it still works",
                ),
                (
                    C,
                    OperationSecurityRelaxed,
                    GET,
                    None,
                    "authentication `bearer` → none: every old way to call it still works",
                ),
                (
                    B,
                    SecuritySchemeRemoved,
                    "security::BEARER",
                    None,
                    "scheme `bearer` (bearer token) removed",
                ),
            ],
        ),
        // The family setters and environment still fit; `security::BEARER` is renamed.
        (
            "security_scheme_renamed",
            vec![(
                B,
                SecuritySchemeRenamed,
                "security::BEARER",
                None,
                "scheme `bearer` → `token` (`security::TOKEN`); requests are unchanged",
            )],
        ),
        (
            "security_scheme_changed",
            vec![(
                C,
                SecuritySchemeChanged,
                "security::KEY",
                None,
                "scheme `key`: API key in header `X-Key` → API key in header `X-Api-Key`",
            )],
        ),
        (
            "security_scheme_kind_changed",
            vec![
                (
                    B,
                    OperationSecurityTightened,
                    CREATE,
                    None,
                    "authentication `bearer` → `bearer` (another kind of credential): callers with only the old credentials are refused",
                ),
                (
                    B,
                    OperationSecurityTightened,
                    GET,
                    None,
                    "authentication `bearer` → `bearer` (another kind of credential): callers with only the old credentials are refused",
                ),
                (
                    B,
                    SecuritySchemeKindChanged,
                    "security::BEARER",
                    None,
                    "scheme `bearer`: bearer token → API key in header `X-Token`; the credential given for it no longer fits",
                ),
            ],
        ),
        // A second API-key scheme: the first one's variable gets its name as a prefix.
        (
            "security_env_changed",
            vec![
                (
                    B,
                    SecurityEnvChanged,
                    "security::APP",
                    None,
                    "`Client::from_env` reads `APP_API_KEY` (after the crate's prefix) instead of `API_KEY` for scheme `app`",
                ),
                (
                    C,
                    SecuritySchemeAdded,
                    "security::USER",
                    None,
                    "scheme `user` (API key in header `X-User-Key`) declared",
                ),
            ],
        ),
        // An inline enum that became identical to a component: one type, the old name an alias.
        (
            "type_became_alias",
            vec![
                (
                    C,
                    EnumValueAdded,
                    "models::Kind",
                    Some("bird"),
                    "new value `bird` (`Kind::Bird`)",
                ),
                (
                    C,
                    TypeBecameAlias,
                    "models::PetMood",
                    None,
                    "now an alias of `Kind`, an enum of the same shape",
                ),
            ],
        ),
        (
            "error_model_changed",
            vec![
                (
                    C,
                    ResponseChanged,
                    CREATE,
                    Some("400"),
                    "response `400` body `Error` (`application/json`) → `Problem` (`application/json`)",
                ),
                (
                    C,
                    ResponseChanged,
                    GET,
                    Some("404"),
                    "response `404` body `Error` (`application/json`) → `Problem` (`application/json`)",
                ),
                // Error is used by nothing now: both serde impls.
                (
                    C,
                    SerdeImplAdded,
                    "models::Error",
                    Some("Serialize"),
                    "now implements `Serialize` without the `serialize` feature",
                ),
                (C, TypeAdded, "models::Problem", None, "new struct"),
                (
                    B,
                    ErrorModelChanged,
                    "ResultError",
                    None,
                    "the shared error body `Error` → `Problem`",
                ),
            ],
        ),
    ]
}

#[test]
fn each_fixture_pins_its_rule() {
    for (name, expected) in expectations() {
        check(name, &expected);
        assert!(
            expected.iter().any(|e| e.1.id() == name),
            "fixture `{name}` must produce its own rule"
        );
    }
}

#[test]
fn every_rule_has_a_fixture_and_every_fixture_a_rule() {
    let mut listed: Vec<&str> = expectations().iter().map(|(n, _)| *n).collect();
    listed.sort_unstable();
    let mut rules: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    rules.sort_unstable();
    assert_eq!(listed, rules, "one fixture per rule, named after it");
    let mut dirs: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures/diff"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort_unstable();
    assert_eq!(
        dirs, rules,
        "tests/fixtures/diff/ holds one folder per rule"
    );
}

#[test]
fn identical_documents_have_no_changes() {
    let path = repo_root().join("tests/fixtures/diff/field_added/old.yaml");
    let (d, _) = diff::diff_files(&path, &path, &[]).unwrap();
    assert!(d.changes.is_empty());
    assert!(render::text(&d).contains("No changes to the Rust API."));
    assert!(render::markdown(&d).contains("No changes to the Rust API."));
}

/// A 3.0 document and its faithful 3.1 translation (type lists, `const`, `examples`, numeric
/// `exclusiveMinimum`, `anyOf` with `null`, `contentEncoding`) describe the same Rust API, both
/// ways round: reading 3.1 loses nothing that shapes the crate.
#[test]
fn a_30_document_and_its_31_translation_have_no_changes() {
    let dir = repo_root().join("tests/fixtures/versions");
    let (v30, v31) = (dir.join("pets-3.0.yaml"), dir.join("pets-3.1.yaml"));
    for (old, new) in [(&v30, &v31), (&v31, &v30)] {
        let (d, _) = diff::diff_files(old, new, &[]).unwrap();
        assert!(d.changes.is_empty(), "{}", render::text(&d));
    }
    // The two crates are the same but for the document's version in the docs.
    let crate_of = |spec: &Path| {
        let files = generator::generate(
            &generator::Input::spec(spec),
            &generator::Config::new("pets"),
        )
        .unwrap();
        files
            .iter()
            .filter(|(path, _)| path.ends_with(".rs"))
            .map(|(path, text)| format!("{path}\n{text}"))
            .collect::<Vec<_>>()
    };
    let (a, b) = (crate_of(&v30), crate_of(&v31));
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a, b, "{}", authlete_tests::diff(a, b));
    }
}

/// The README's classification table (section "Upstream updates", "Classification") lists every rule with the
/// severity the code gives it, in the same order as the rustdoc table.
#[test]
fn readme_documents_every_rule() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let section = readme
        .split("## Upstream updates")
        .nth(1)
        .expect("README.md has a section \"Upstream updates\"")
        .split("### Classification")
        .nth(1)
        .expect("with a subsection \"Classification\"");
    let rows: Vec<(String, String)> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .map(|rest| {
            let mut cells = rest.split('|').map(str::trim);
            let id = cells.next().unwrap().trim_end_matches('`').to_owned();
            (id, cells.next().unwrap_or("").to_owned())
        })
        .collect();
    let expected: Vec<(String, String)> = Rule::ALL
        .iter()
        .map(|r| (r.id().to_owned(), r.severity().as_str().to_owned()))
        .collect();
    assert_eq!(rows, expected);
}

/// With a history of one document and a newer current document, the changelog compares the
/// two first, then marks the start of the history.
#[test]
fn changelog_compares_a_newer_current_document_with_the_history() {
    let fixture = repo_root().join("tests/fixtures/diff/field_added");
    let history = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture.join("old.yaml"),
        history.path().join("2025-01-01_first.yaml"),
    )
    .unwrap();
    std::fs::write(history.path().join("notes.txt"), "not a document").unwrap();
    let text = diff::changelog::changelog(history.path(), &fixture.join("new.yaml"), &[], "pets")
        .unwrap()
        .expect("a history with a document");
    let sections: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        sections,
        [
            "## Current document (`new.yaml`)",
            "## `2025-01-01_first.yaml`"
        ]
    );
    assert!(text.contains("Rust API of the `pets` crate"));
    assert!(text.contains("Compared with `2025-01-01_first.yaml`: Pets 1.0.0 (version unchanged). 1 change: **0 breaking**, 1 compatible."));
    assert!(text.contains("- `models::Pet`: new optional field `age: Option<i32>`"));

    // The same document archived in the history: nothing newer to report.
    std::fs::copy(
        fixture.join("new.yaml"),
        history.path().join("2025-02-01_second.yaml"),
    )
    .unwrap();
    let text = diff::changelog::changelog(history.path(), &fixture.join("new.yaml"), &[], "pets")
        .unwrap()
        .unwrap();
    let sections: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        sections,
        ["## `2025-02-01_second.yaml`", "## `2025-01-01_first.yaml`"]
    );

    let empty = tempfile::tempdir().unwrap();
    assert!(
        diff::changelog::changelog(empty.path(), &fixture.join("new.yaml"), &[], "pets")
            .unwrap()
            .is_none()
    );
}
