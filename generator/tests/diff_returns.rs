//! What a call returns is compared as the crate spells it (the operation surface): a body-less
//! 2xx added upstream turns `T` into `Option<T>`, and 2xx bodies that start to differ turn it
//! into a per-status enum. Both break callers; before the surface, `diff` looked at the first
//! 2xx body only and called them compatible "documented responses".

use generator::diff::{self, Rule, Severity};

fn document(responses: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: Pets, version: '1'}}
paths:
  /pets/{{id}}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
      - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
{responses}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {{type: string}}
    Draft:
      type: object
      properties:
        note: {{type: string}}
"
    )
}

const OK: &str = "        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
";

fn returns_change(new_responses: &str) -> (Vec<(Rule, String)>, Severity) {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, document(OK)).unwrap();
    std::fs::write(&new, document(&format!("{OK}{new_responses}"))).unwrap();
    let (d, warnings) = diff::diff_files(&old, &new, &[]).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let changes: Vec<(Rule, String)> = d
        .changes
        .iter()
        .map(|c| (c.rule, format!("{}: {}", c.item, c.message)))
        .collect();
    let worst = if d.has_breaking() {
        Severity::Breaking
    } else {
        Severity::Compatible
    };
    (changes, worst)
}

#[test]
fn a_bodyless_2xx_makes_the_return_optional() {
    let (changes, worst) = returns_change("        '204': {description: Gone quiet.}\n");
    assert_eq!(worst, Severity::Breaking, "{changes:?}");
    assert!(
        changes.contains(&(
            Rule::ReturnTypeChanged,
            "pets().get_pet(): return type `Pet` → `Option<Pet>`".to_owned()
        )),
        "{changes:?}"
    );
}

#[test]
fn differing_2xx_bodies_make_a_per_status_enum() {
    let (changes, worst) = returns_change(
        "        '202':
          description: Not yet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Draft'}
",
    );
    assert_eq!(worst, Severity::Breaking, "{changes:?}");
    let (rule, message) = &changes[0];
    assert_eq!(*rule, Rule::ReturnTypeChanged, "{changes:?}");
    assert!(
        message.ends_with("return type `Pet` → `PetsGetPetResponse { Ok(Pet), Accepted(Draft) }`"),
        "{message}"
    );
}

#[test]
fn an_error_status_leaves_the_return_type() {
    let (changes, worst) = returns_change("        '404': {description: Not found.}\n");
    assert_eq!(worst, Severity::Compatible);
    assert_eq!(
        changes,
        [(
            Rule::ResponseAdded,
            "pets().get_pet(): new documented response `404`".to_owned()
        )]
    );
}
