//! The OpenAPI 3.1 document of `/api/v1`, built from the same route table as the router.

use super::{LEAD_FIELDS, ROUTES};
use serde_json::{json, Map, Value};

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// OpenAPI 3.1 for every route in `ROUTES`.
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for doc in ROUTES {
        let entry = paths.entry(doc.path.to_string()).or_insert_with(|| json!({}));
        let mut op = json!({
            "summary": doc.summary,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": schema_ref(doc.response)}}},
                "401": {"description": "No or unknown token", "content": {"application/json": {"schema": schema_ref("Error")}}},
                "404": {"description": "Not found, or not yours to see", "content": {"application/json": {"schema": schema_ref("Error")}}},
            },
        });
        if doc.path.contains("{id}") {
            op["parameters"] = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}]);
        }
        if let Some(body) = doc.body {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": schema_ref(body)}}});
            op["responses"]["422"] = json!({"description": "Invalid fields", "content": {"application/json": {"schema": schema_ref("Error")}}});
            op["responses"]["409"] = json!({"description": "Stale version or duplicate", "content": {"application/json": {"schema": schema_ref("Error")}}});
        }
        if doc.path == "/api/v1/openapi.json" {
            op["security"] = json!([]);
        }
        entry[doc.method] = op;
    }
    let lead_props: Map<String, Value> = [
        ("id", "integer"),
        ("version", "integer"),
        ("company_name", "string"),
        ("uscc", "string"),
        ("region_code", "string"),
        ("region_names", "string"),
        ("region_group", "string"),
        ("industry", "string"),
        ("sector", "string"),
        ("stage", "string"),
        ("channel", "string"),
        ("planned_investment_wan", "number"),
        ("land_mu", "number"),
        ("annual_output_wan", "number"),
        ("annual_tax_wan", "number"),
        ("jobs", "integer"),
        ("energy_use", "string"),
        ("score", "number"),
        ("grade", "string"),
        ("owner_id", "integer"),
        ("team_id", "integer"),
        ("notes", "string"),
        ("created_at", "string"),
        ("updated_at", "string"),
    ]
    .iter()
    .map(|(k, t)| (k.to_string(), json!({"type": t})))
    .collect();
    let mut lead_props = lead_props;
    for flag in ["high_tech", "specialised", "listed"] {
        lead_props.insert(flag.into(), json!({"type": ["boolean", "null"], "description": "null: not known"}));
    }
    let mut input_props: Map<String, Value> =
        LEAD_FIELDS.iter().map(|(k, _)| (k.to_string(), json!({"type": ["string", "number"]}))).collect();
    for flag in ["high_tech", "specialised", "listed"] {
        input_props.insert(flag.into(), json!({"type": ["boolean", "null"]}));
    }
    let contact = json!({"type": "object", "properties": {
        "name": {"type": "string"}, "title": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": "string"}
    }});
    input_props.insert("contacts".into(), json!({"type": ["array", "null"], "items": contact.clone(), "description": "replaces the list; null or [] for none"}));
    lead_props.insert(
        "contacts".into(),
        json!({"type": "array", "items": contact, "description": "one lead only (not in list rows)"}),
    );
    let any = json!({"type": "object"});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "链招 Lianzhao API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Lead": {"type": "object", "properties": lead_props},
                "LeadInput": {"type": "object", "properties": input_props, "description": "Amounts may be written as 3000, \"1.5亿\" or \"3000万\". PATCH needs `version`."},
                "LeadPage": {"type": "object", "properties": {"rows": {"type": "array", "items": schema_ref("Lead")}, "total": {"type": "integer", "description": "matches, counted up to 10,000"}, "total_is_lower_bound": {"type": "boolean", "description": "more than `total` match"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}},
                "ActivityInput": {"type": "object", "properties": {"kind": {"type": "string"}, "happened_on": {"type": "string"}, "summary": {"type": "string"}, "participants": {"type": "string"}, "next_step": {"type": "string"}, "next_due": {"type": "string"}}},
                "ActivityList": {"type": "array", "items": any},
                "Created": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "TeamList": {"type": "array", "items": any}, "Team": any,
                "TripList": {"type": "array", "items": any}, "Trip": any, "OpenApi": any,
                "Error": {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"}, "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}},
            },
        },
        "security": [{"bearer": []}],
        "paths": paths,
    })
}
