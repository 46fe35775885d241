//! `/admin/aliases` — 别名: the office's own words for industries, sub-sectors, channels and
//! stages, read by every import. The built-in ones are listed for reference; admins add and
//! remove their own (users add one by mapping an unknown value in an import preview).

use super::import_read::field_label_key;
use crate::api::imports::{list_aliases, AddAlias, RemoveAlias};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::Loaded;
use crate::domain::import_alias::{codes, ALIAS_FIELDS};
use crate::domain::import_row::value_label_key;
use crate::i18n::{t, tr_args, use_locale};
use leptos::prelude::*;

#[component]
pub fn AdminAliasesPage() -> impl IntoView {
    let add = ServerAction::<AddAlias>::new();
    let remove = ServerAction::<RemoveAlias>::new();
    let aliases = Resource::new(move || (add.version().get(), remove.version().get()), |_| list_aliases());
    let errors = action_field_errors(add);
    let locale = use_locale();
    view! {
        <h1>{t("alias.title")}</h1>
        <p class="muted">{t("alias.intro")}</p>
        <ActionForm action=add attr:id="alias-form" attr:class="card">
            <label>{t("alias.word")} <input type="text" name="alias" id="alias-word" maxlength="50" required/></label>
            <label>{t("alias.means")}
                <select name="target" id="alias-target">
                    {ALIAS_FIELDS.into_iter().map(|field| view! {
                        <optgroup label=t(&field_label_key(field)).to_string()>
                            {codes(field).into_iter().map(|code| {
                                let label = tr_args(locale, &value_label_key(field, code), &[]);
                                view! { <option value=format!("{field}:{code}")>{label}</option> }
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </label>
            <FieldErrorText errors=errors field="alias"/>
            " " <button type="submit" id="alias-add">{t("alias.add")}</button>
        </ActionForm>
        <Loaded resource=aliases empty="alias.none" empty_id="aliases-none" content={move |rows| view! {
                        <div class="scroll">
                            <table class="grid" id="aliases">
                                <thead><tr>
                                    <th>{t("import.values.field")}</th><th>{t("alias.word")}</th>
                                    <th>{t("alias.means")}</th><th>{t("alias.by")}</th><th></th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|a| view! {
                                        <tr>
                                            <td>{t(&field_label_key(&a.field)).to_string()}</td>
                                            <td>{a.alias.clone()}</td>
                                            <td>{tr_args(locale, &value_label_key(&a.field, &a.code), &[])}</td>
                                            <td>{a.by.clone()}</td>
                                            <td>
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="id" value=a.id/>
                                                    <button type="submit" class="small">{t("alias.remove")}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }}/>
    }
}
