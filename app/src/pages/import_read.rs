//! The parts of `/import/{id}` that say how the file was read and let the user correct it:
//! which sheet, which row is the header, the unit note found above the table, and the
//! unknown values to map once for every row that carries them (kept as aliases).

use crate::api::imports::ConfigureImport;
use crate::components::errors::FieldErrorText;
use crate::domain::import_alias::codes;
use crate::domain::import_row::value_label_key;
use crate::domain::lead::FieldError;
use crate::i18n::{t, t_count, tr_args, use_locale};
use crate::wire::imports::{ReadAs, UnknownValue};
use leptos::prelude::*;

/// The field's name as the lead form shows it.
pub fn field_label_key(field: &str) -> String {
    format!("lead.{field}")
}

/// Sheet, header row and amount unit, with a form to read the file again another way.
#[component]
pub fn ReadAsCard(
    id: i64,
    read_as: ReadAs,
    configure: ServerAction<ConfigureImport>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let locale = use_locale();
    let ReadAs { sheets, sheet, header_line, candidates, amount_unit, can_change } = read_as;
    let sheet_text = sheet.clone().unwrap_or_default();
    let summary = tr_args(locale, "import.read.summary", &[("line".into(), header_line.to_string())]);
    let current_sheet = sheet.clone();
    view! {
        <div class="card" id="read-as">
            <h2>{t("import.read.title")}</h2>
            <p>
                {(!sheet_text.is_empty()).then(|| view! {
                    {t("import.read.sheet")} " " <strong id="read-sheet">{sheet_text.clone()}</strong> " · "
                })}
                <span id="read-header" data-line=header_line>{summary}</span>
                {amount_unit.clone().map(|u| view! {
                    " · " {t("import.read.unit")} " " <strong id="read-unit">{u}</strong>
                })}
            </p>
            {can_change.then(|| view! {
                <ActionForm action=configure attr:id="read-form">
                    <input type="hidden" name="id" value=id/>
                    {(sheets.len() > 1).then(|| view! {
                        <label>{t("import.read.sheet")}
                            <select name="read[sheet]" id="read-sheet-choice">
                                {sheets.iter().map(|s| view! {
                                    <option value=s.clone() selected=current_sheet.as_deref() == Some(s.as_str())>{s.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    })}
                    <label>{t("import.read.header_row")}
                        <select name="read[header_line]" id="read-header-choice">
                            {candidates.iter().map(|(line, text)| {
                                let label = format!("{} {line}: {text}", t("import.line"));
                                view! { <option value=*line selected=*line == header_line>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    " " <button type="submit" id="reread">{t("import.read.apply")}</button>
                    <FieldErrorText errors=errors field="file"/>
                </ActionForm>
            })}
        </div>
    }
}

/// Each unknown value with a choice of what it means; the choices become aliases. A part of the
/// mapping form (`#mapping-form`): either of its buttons sends the columns, the duplicate mode and
/// these choices together, so none is lost for having pressed the other.
#[component]
pub fn UnknownValuesCard(values: Vec<UnknownValue>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let locale = use_locale();
    (!values.is_empty()).then(|| {
        view! {
            <div class="card" id="values-card">
                <h2>{t("import.values.title")}</h2>
                <p class="muted">{t("import.values.hint")}</p>
                <table class="grid values">
                    <thead><tr>
                        <th>{t("import.values.field")}</th><th>{t("import.values.value")}</th>
                        <th class="num">{t("import.rows")}</th><th class="means">{t("import.values.means")}</th>
                    </tr></thead>
                    <tbody>
                        {values.into_iter().enumerate().map(|(i, v)| {
                            let field = v.field.clone();
                            let rows = format!("{} {}", v.rows, t_count("import.rows_unit", v.rows as u64));
                            view! {
                                <tr>
                                    <td>{t(&field_label_key(&v.field)).to_string()}</td>
                                    <td><strong>{v.value.clone()}</strong></td>
                                    <td class="num">{rows}</td>
                                    // On a phone this cell takes a line of its own, the full width.
                                    <td class="means">
                                        <input type="hidden" name=format!("values[{i}][field]") value=v.field.clone()/>
                                        <input type="hidden" name=format!("values[{i}][value]") value=v.value.clone()/>
                                        <select name=format!("values[{i}][code]") id=format!("value-{i}")
                                            aria-label=format!("{} {}", t(&field_label_key(&v.field)), v.value)>
                                            <option value="">{t("import.values.leave")}</option>
                                            {codes(&field).into_iter().map(|code| {
                                                let label = tr_args(locale, &value_label_key(&field, code), &[]);
                                                view! { <option value=code>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <FieldErrorText errors=errors field="alias"/>
                <button type="submit" id="apply-values">{t("import.values.apply")}</button>
            </div>
        }
    })
}
