//! Regions as people read and pick them: the label of a division or overseas area, and the
//! picker of the lead form (provinces and cities of GB/T 2260, overseas areas).

use crate::api::leads::region_tree;
use crate::domain::region::OverseasArea;
use crate::i18n::t;
use crate::wire::leads::RegionView;
use leptos::prelude::*;

/// A region as people read it: "江苏省 南京市 江宁区", or the overseas area's name.
pub fn region_label(r: &RegionView) -> String {
    r.label(crate::i18n::use_locale())
}

/// `form[region_code]`: overseas areas, then each province with its cities. `current` is the
/// stored code; a county (not in the list) stays selectable under its own label
/// (`current_view`), so editing a lead never drops where it is.
#[component]
pub fn RegionSelect(current: String, current_view: Option<RegionView>) -> impl IntoView {
    let tree = Resource::new(|| (), |_| region_tree());
    view! {
        <Suspense fallback=|| ()>
            {
                let region_current = current;
                let current_region = current_view;
                move || {
                    let region_current = region_current.clone();
                    let current_region = current_region.clone();
                    Suspend::new(async move {
                        let provinces = tree.await.unwrap_or_default();
                        let listed = provinces.iter().any(|p| {
                            p.code == region_current || p.cities.iter().any(|(c, _)| *c == region_current)
                        }) || OverseasArea::ALL.iter().any(|a| a.code() == region_current);
                        view! {
                            <select name="form[region_code]" id="region_code">
                                <option value="">{t("lead.region.choose")}</option>
                                {(!listed && !region_current.is_empty()).then(|| {
                                    let label = current_region.as_ref().map(region_label).unwrap_or_else(|| region_current.clone());
                                    view! { <option value=region_current.clone() selected=true>{label}</option> }
                                })}
                                <optgroup label=t("region.group.overseas")>
                                    {OverseasArea::ALL.iter().map(|a| view! {
                                        <option value=a.code() selected=region_current == a.code()>{t(a.label_key())}</option>
                                    }).collect_view()}
                                </optgroup>
                                {provinces.into_iter().map(|p| {
                                    let rc = region_current.clone();
                                    view! {
                                        <optgroup label=p.name.clone()>
                                            <option value=p.code.clone() selected=rc == p.code>{p.name.clone()}</option>
                                            {p.cities.into_iter().map(|(code, city)| {
                                                let selected = rc == code;
                                                view! { <option value=code selected=selected>{format!("{} {}", p.name, city)}</option> }
                                            }).collect_view()}
                                        </optgroup>
                                    }
                                }).collect_view()}
                            </select>
                        }
                    })
                }
            }
        </Suspense>
    }
}
