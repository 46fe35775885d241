use crate::api::chains::{
    enterprise_options, get_chain_map, AddEnterprise, AddNode, DeleteNode, RemoveEnterprise, UpdateNode,
};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::route_id::{id_param, read_by_id};
use crate::components::score::grade_badge;
use crate::domain::lead::FieldError;
use crate::domain::score::Grade;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::chains::{ChainMap, NodeCard, POSITIONS};
use leptos::prelude::*;

/// `/chains/{id}` — one chain at a glance: upstream → midstream → downstream columns; each node
/// with its local enterprises, its open leads (count, best grade) and a 缺链 mark when it has
/// neither an enterprise nor a landed project.
#[component]
pub fn ChainMapPage() -> impl IntoView {
    let id = id_param();
    let add_node = ServerAction::<AddNode>::new();
    let add_enterprise = ServerAction::<AddEnterprise>::new();
    let remove_enterprise = ServerAction::<RemoveEnterprise>::new();
    let delete_node = ServerAction::<DeleteNode>::new();
    let update_node = ServerAction::<UpdateNode>::new();
    let map = Resource::new(
        move || {
            (
                id.get(),
                add_node.version().get(),
                add_enterprise.version().get(),
                remove_enterprise.version().get(),
                delete_node.version().get(),
                update_node.version().get(),
            )
        },
        |(id, ..)| read_by_id(id, get_chain_map),
    );
    let actions = MapActions { add_node, add_enterprise, remove_enterprise, delete_node, update_node };
    view! {
        <LoadedOne resource=map content=move |m| view! { <MapView map=m actions=actions/> }/>
    }
}

#[derive(Clone, Copy)]
struct MapActions {
    add_node: ServerAction<AddNode>,
    add_enterprise: ServerAction<AddEnterprise>,
    remove_enterprise: ServerAction<RemoveEnterprise>,
    delete_node: ServerAction<DeleteNode>,
    update_node: ServerAction<UpdateNode>,
}

#[component]
fn MapView(map: ChainMap, actions: MapActions) -> impl IntoView {
    let locale = use_locale();
    let can_edit = map.can_edit;
    let chain_id = map.id;
    let columns = POSITIONS.map(|pos| {
        let nodes: Vec<NodeCard> = map.nodes.iter().filter(|n| n.position == pos).cloned().collect();
        view! {
            <div class="chain-column" data-position=pos>
                <h2>{t(&format!("chain.position.{pos}")).to_string()}</h2>
                {nodes.into_iter().map(|n| view! { <NodeBox node=n can_edit=can_edit actions=actions/> }).collect_view()}
            </div>
        }
    });
    let gaps = map.nodes.iter().filter(|n| n.is_gap).count();
    let summary = tr_args(
        locale,
        "chain.summary",
        &[("nodes".into(), map.nodes.len().to_string()), ("gaps".into(), gaps.to_string())],
    );
    view! {
        <div class="page-head">
            <h1 id="chain-title">{map.name.pick(locale).to_string()}</h1>
            <a class="button" href="/chains">{t("chains.title")}</a>
        </div>
        <p class="muted">{map.description.clone()} " · " {summary}</p>
        <div class="chain-map" id="chain-map">{columns.into_iter().collect_view()}</div>
        {can_edit.then(|| view! { <EnterpriseList/> <NodeEditor chain_id=chain_id actions=actions/> })}
    }
}

#[component]
fn NodeBox(node: NodeCard, can_edit: bool, actions: MapActions) -> impl IntoView {
    let locale = use_locale();
    let leads_href = format!("/leads?node={}&sort=-score", node.id);
    let open = tr_args(locale, "chain.node.open_leads", &[("n".into(), node.open_leads.to_string())]);
    let node_id = node.id;
    let (name_zh, name_en, position, description) =
        (node.name.zh.clone(), node.name.en.clone(), node.position.clone(), node.description.clone());
    view! {
        <article class="node" class:gap=node.is_gap data-node=node.id id=format!("node-{}", node.id)>
            <header>
                <strong>{node.name.pick(locale).to_string()}</strong>
                {node.is_gap.then(|| view! { " " <span class="gap-tag" title=t("chain.gap.hint")>{t("chain.gap")}</span> })}
            </header>
            <ul class="enterprises">
                {node.enterprises.into_iter().map(|e| {
                    let eid = e.id;
                    view! {
                        <li>
                            {e.is_leader.then(|| view! { <span class="leader" title=t("chain.role.leader")>"★"</span> " " })}
                            <a href=format!("/efficiency/enterprise/{eid}") class="enterprise-link">{e.name}</a>
                            {e.grade.map(|g| view! { " " <span title=t("efficiency.title")>{grade_badge(Some(g))}</span> })}
                            {can_edit.then(|| view! {
                                <ActionForm action=actions.remove_enterprise>
                                    <input type="hidden" name="enterprise_id" value=eid/>
                                    <input type="hidden" name="node_id" value=node_id/>
                                    <button type="submit" class="link small" title=t("chain.enterprise.remove")>"×"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="node-leads">
                <a href=leads_href class="node-leads-link">{open}</a>
                {node.best_grade.map(|g| view! { " · " {t("chain.node.best")} " " {grade_badge(Some(g))} })}
                {(node.landed > 0).then(|| view! { " · " {t("chain.node.landed")} " " {node.landed} })}
            </p>
            {can_edit.then(|| view! {
                <details class="node-edit">
                    <summary>{t("chain.enterprise.add")}</summary>
                    <EnterpriseForm node_id=node_id action=actions.add_enterprise/>
                    <ActionForm action=actions.update_node>
                        <input type="hidden" name="id" value=node_id/>
                        <label>{t("chains.name_zh")}<input name="form[name_zh]" value=name_zh/></label>
                        <label>{t("chains.name_en")}<input name="form[name_en]" value=name_en/></label>
                        <label>
                            {t("chain.node.position")}
                            <select name="form[position]">
                                {POSITIONS.map(|p| view! {
                                    <option value=p selected=position == p>{t(&format!("chain.position.{p}")).to_string()}</option>
                                }).into_iter().collect_view()}
                            </select>
                        </label>
                        <label>{t("chains.description")}<input name="form[description]" value=description/></label>
                        <button type="submit">{t("chain.node.save")}</button>
                    </ActionForm>
                    <ActionForm action=actions.delete_node>
                        <input type="hidden" name="id" value=node_id/>
                        <button type="submit" class="link danger">{t("chain.node.delete")}</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}

/// The id of the page's one list of known enterprises, which every node's form offers.
const ENTERPRISE_LIST: &str = "chain-enterprise-list";

/// The known enterprises offered as a name is typed: the 链主 (★) first, then by name, at most
/// 500 (`chains::ENTERPRISE_OPTIONS`); once for the page, not once per node.
#[component]
fn EnterpriseList() -> impl IntoView {
    let options = Resource::new(|| (), |_| enterprise_options());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = options.await.unwrap_or_default();
                view! {
                    <datalist id=ENTERPRISE_LIST>
                        {list.into_iter().map(|e| {
                            let name = if e.is_leader { format!("★ {}", e.name) } else { e.name };
                            view! { <option value=name></option> }
                        }).collect_view()}
                    </datalist>
                }
            })}
        </Suspense>
    }
}

#[component]
fn EnterpriseForm(node_id: i64, action: ServerAction<AddEnterprise>) -> impl IntoView {
    let errors: Signal<Vec<FieldError>> = action_field_errors(action);
    view! {
        <ActionForm action=action>
            <input type="hidden" name="form[node_id]" value=node_id/>
            // A known enterprise by its full name, offered from the page's one datalist (the
            // registry may hold tens of thousands); left empty, the fields below make a new one.
            <label>
                {t("chain.enterprise.existing")}
                <input name="form[enterprise_id]" list=ENTERPRISE_LIST autocomplete="off"
                    placeholder=t("chain.enterprise.new")/>
            </label>
            <FieldErrorText errors=errors field="enterprise_id"/>
            <label>{t("chain.enterprise.name")}<input name="form[name]"/></label>
            <FieldErrorText errors=errors field="name"/>
            <label>{t("lead.uscc")}<input name="form[uscc]"/></label>
            <FieldErrorText errors=errors field="uscc"/>
            <label class="inline-check"><input type="checkbox" name="form[is_leader]" value="true"/> {t("chain.role.leader")}</label>
            <label>
                {t("chain.enterprise.grade")}
                <select name="form[grade]">
                    <option value="">"—"</option>
                    {Grade::ALL.iter().map(|g| view! { <option value=g.code()>{g.code()}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit">{t("chain.enterprise.add")}</button>
        </ActionForm>
    }
}

#[component]
fn NodeEditor(chain_id: i64, actions: MapActions) -> impl IntoView {
    let action = actions.add_node;
    let errors: Signal<Vec<FieldError>> = action_field_errors(action);
    view! {
        <section class="card">
            <h2>{t("chain.node.add")}</h2>
            <ActionForm action=action>
                <input type="hidden" name="form[chain_id]" value=chain_id/>
                <label>{t("chains.name_zh")}<input name="form[name_zh]" id="node-name-zh"/></label>
                <FieldErrorText errors=errors field="name_zh"/>
                <label>{t("chains.name_en")}<input name="form[name_en]"/></label>
                <label>
                    {t("chain.node.position")}
                    <select name="form[position]" id="node-position">
                        {POSITIONS.map(|p| view! { <option value=p>{t(&format!("chain.position.{p}")).to_string()}</option> }).into_iter().collect_view()}
                    </select>
                </label>
                <label>{t("chains.description")}<input name="form[description]"/></label>
                <button type="submit" class="primary">{t("chain.node.add")}</button>
            </ActionForm>
        </section>
    }
}
