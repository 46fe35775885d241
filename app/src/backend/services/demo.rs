//! Demo data for a first start: users of every role and ~300 leads across regions, industries
//! and stages, each with a valid USCC. Deterministic, so screenshots and tests can rely on it.

use super::ServiceError;
use crate::backend::entities::{chain_node, user};
use crate::domain::catalog::{Channel, Stage, SECTORS};
use crate::domain::lead::{ContactForm, LeadForm};
use crate::domain::role::Role;
use crate::domain::uscc::Uscc;
use crate::i18n::Locale;
use crate::wire::auth::SessionUser;
use crate::wire::users::NewUser;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, TransactionTrait};

/// The password every demo account shares.
pub const DEMO_PASSWORD: &str = "lianzhao2026";

/// (username, display name, role)
pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("admin", "系统管理员", Role::Admin),
    ("zhangmin", "张敏（招商科长）", Role::Manager),
    ("liqiang", "李强（分管领导）", Role::Manager),
    ("wangfang", "王芳", Role::Staff),
    ("chenjie", "陈杰", Role::Staff),
    ("zhaolei", "赵磊", Role::Staff),
    ("sunli", "孙丽", Role::Staff),
    ("zhoujun", "周军（局长）", Role::Leader),
    ("wuhua", "吴华（主任）", Role::Leader),
];

/// Division codes leads come from, weighted toward the YRD and PRD as the office works.
const PLACES: &[&str] = &[
    "320115", "320114", "320104", "320111", "320106", "320505", "320583", "320214", "320411", "321102", "310115",
    "310112", "310104", "310114", "330106", "330110", "330108", "330212", "340104", "340111", "340202", "340207",
    "340503", "341103", "440305", "440306", "440307", "440106", "440113", "441900", "440604", "442000", "440402",
    "441302", "110108", "420106", "510107", "370212", "350203", "610113",
];
const OVERSEAS: &[&str] = &["OS-EU", "OS-TW", "OS-HK", "OS-OT"];

/// The tag an overseas company's name carries, matching its area: 华芯传感技术（香港） is in
/// 港澳地区, not in 台湾地区. `None` for a mainland place.
fn overseas_tag(place: &str) -> Option<&'static str> {
    use crate::domain::region::OverseasArea;
    Some(match OverseasArea::ALL.into_iter().find(|a| a.code() == place)? {
        OverseasArea::Europe => "欧洲",
        OverseasArea::Taiwan => "台湾",
        OverseasArea::HongKongMacao => "香港",
        OverseasArea::Other => "国际",
    })
}

const PREFIXES: &[&str] = &[
    "华芯", "中科", "瑞通", "博远", "恒信", "汇川", "天工", "启明", "星河", "鼎盛", "联创", "海纳", "金石", "云帆",
    "宏图", "精工", "卓越", "安达", "泰和", "新锐", "睿智", "远航", "东方", "长江", "皖江", "钢城", "江南", "华东",
];
const TRADES: &[(&str, &str)] = &[
    ("通信", "5g_communications"),
    ("光电", "optical_communications"),
    ("半导体", "semiconductors"),
    ("电子元件", "electronic_components"),
    ("智能终端", "smart_terminals"),
    ("机器人", "industrial_robots"),
    ("数控机床", "cnc_machine_tools"),
    ("传感技术", "sensors_instruments"),
    ("汽车零部件", "auto_parts"),
    ("轨道装备", "rail_equipment"),
    ("节能设备", "energy_saving_equipment"),
    ("环保科技", "environmental_protection"),
    ("新能源", "new_energy"),
    ("新材料", "advanced_metals"),
    ("化工材料", "new_chemical_materials"),
    ("软件", "software_it"),
    ("物流", "logistics"),
    ("供应链金融", "finance_services"),
    ("工业设计", "rd_design"),
    ("食品", "other"),
];
const SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "科技有限公司", "集团有限公司"];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const TITLES: &[&str] = &["总经理", "董事长", "投资总监", "副总裁", "行政总监"];

/// A small deterministic generator (no dependency, same data everywhere).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn demo_uscc(rng: &mut Lcg, division: &str) -> Option<Uscc> {
    let body: String = (0..9).map(|_| *rng.pick(USCC_CHARS) as char).collect();
    Uscc::complete(&format!("91{division}{body}"))
}

/// Whether the database has no users yet (a first start).
/// Errors: `Db` only.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, ServiceError> {
    Ok(user::Entity::find().count(db).await? == 0)
}

/// Seeds the demo users (password [`DEMO_PASSWORD`]), the local enterprises, up to `lead_count`
/// leads (fewer if names run out) with contacts, problems and chain placements, then the demo
/// teams and trips. Not one transaction: a failure leaves what was written.
/// Errors: `Conflict("err.demo.not_empty")` when users already exist; otherwise only if the demo
/// data breaks a rule of the services it goes through (`Invalid`, `Forbidden`, …), `Internal`,
/// `Db`.
pub async fn seed<C: ConnectionTrait + TransactionTrait>(db: &C, lead_count: usize) -> Result<(), ServiceError> {
    if !is_empty(db).await? {
        return Err(ServiceError::Conflict("err.demo.not_empty".into()));
    }
    let mut ids = Vec::new();
    for (username, display_name, role) in DEMO_USERS {
        let id = super::users::insert(
            db,
            NewUser {
                username: username.to_string(),
                display_name: display_name.to_string(),
                role: *role,
                password: DEMO_PASSWORD.to_string(),
                email: format!("{username}@zsj.example.cn"),
            },
        )
        .await?;
        ids.push((id, *role, display_name.to_string(), username.to_string()));
    }
    let staff: Vec<_> = ids.iter().filter(|(_, r, _, _)| *r == Role::Staff).cloned().collect();
    let manager = ids.iter().find(|(_, r, _, _)| *r == Role::Manager).cloned();
    let Some(manager) = manager else {
        return Ok(());
    };
    let as_user = |(id, role, display_name, username): &(i64, Role, String, String)| SessionUser {
        id: *id,
        username: username.clone(),
        display_name: display_name.clone(),
        role: *role,
        locale: Locale::ZhCn,
        teams: Vec::new(),
        led_teams: Vec::new(),
    };
    let manager_user = as_user(&manager);
    let node_ids: std::collections::HashMap<String, i64> =
        chain_node::Entity::find().all(db).await?.into_iter().map(|n| (n.name_zh, n.id)).collect();
    let leader_enterprise = seed_enterprises(db, &manager_user, &node_ids).await?;
    let mut rng = Lcg(20_211_126);
    let mut used_names = std::collections::HashSet::new();
    for i in 0..lead_count {
        let (trade, sector) = *rng.pick(TRADES);
        let place = if i % 12 == 11 { *rng.pick(OVERSEAS) } else { *rng.pick(PLACES) };
        let mut name;
        loop {
            let (prefix, suffix) = (rng.pick(PREFIXES), rng.pick(SUFFIXES));
            // Not "环保科技科技有限公司".
            let suffix = if trade.ends_with("科技") { suffix.trim_start_matches("科技") } else { suffix };
            name = format!("{prefix}{trade}{suffix}");
            if let Some(tag) = overseas_tag(place) {
                name = format!("{}{}（{tag}）", rng.pick(PREFIXES), trade);
            }
            if used_names.insert(crate::domain::names::normalise_company_name(&name)) {
                break;
            }
            name.clear();
            if used_names.len() > lead_count * 4 {
                break;
            }
        }
        if name.is_empty() {
            continue;
        }
        let uscc = if place.starts_with("OS-") || i % 9 == 4 { None } else { demo_uscc(&mut rng, place) };
        let industry = SECTORS.iter().find(|s| s.code == sector).map(|s| s.industry.code()).unwrap_or("other");
        let stage = Stage::ALL[(rng.below(100) as usize * Stage::ALL.len() / 100).min(Stage::ALL.len() - 1)];
        // Early stages are the most common, as in a real pipeline.
        let stage = if rng.below(3) == 0 { Stage::Clue } else { stage };
        let investment = match rng.below(10) {
            0 => 50_000 + rng.below(200_000),
            1..=3 => 10_000 + rng.below(40_000),
            _ => 500 + rng.below(9_500),
        };
        let owner = staff.get(i % staff.len().max(1)).cloned();
        let form = LeadForm {
            company_name: name,
            uscc: uscc.map(|u| u.to_string()).unwrap_or_default(),
            region_code: place.to_string(),
            industry: industry.to_string(),
            sector: sector.to_string(),
            planned_investment: investment.to_string(),
            // 标准地: investment intensity mostly 150–450 万元/亩, as offices see it.
            land_mu: (investment / (150 + rng.below(300))).max(5).to_string(),
            annual_output: (investment * (8 + rng.below(12)) / 10).to_string(),
            annual_tax: (investment / (8 + rng.below(20))).to_string(),
            jobs: (30 + rng.below(800)).to_string(),
            channel: rng.pick(Channel::ALL).code().to_string(),
            stage: stage.code().to_string(),
            owner_id: if i % 15 == 7 {
                String::new()
            } else {
                owner.as_ref().map(|o| o.0.to_string()).unwrap_or_default()
            },
            high_tech: ["", "yes", "no"][rng.below(3) as usize].to_string(),
            specialised: ["", "yes", "no", "no"][rng.below(4) as usize].to_string(),
            listed: ["", "no", "no", "yes"][rng.below(4) as usize].to_string(),
            energy_use: ["", "low", "low", "medium", "high"][rng.below(5) as usize].to_string(),
            notes: String::new(),
            contacts: vec![ContactForm {
                name: format!("{}总", rng.pick(SURNAMES)),
                title: rng.pick(TITLES).to_string(),
                phone: format!("138{:08}", rng.below(100_000_000)),
                email: String::new(),
            }],
            version: String::new(),
        };
        let input = form.parse().map_err(ServiceError::Invalid)?;
        // Staff log most leads themselves; managers log the rest, and the projects already signed
        // (staff start leads before 签约: `domain::stage::may_start_at`).
        let author = match &owner {
            Some(o) if i % 4 != 0 && crate::domain::stage::may_start_at(input.stage, o.1).is_ok() => as_user(o),
            _ => manager_user.clone(),
        };
        let id = super::leads::create(db, &author, input).await?;
        seed_follow_up(db, &author, id, i).await?;
        if let Some(node) = nodes_for_sector(sector, &node_ids, &mut rng) {
            let role = match rng.below(10) {
                0 => "leader",
                1..=3 => "supplier",
                _ => "plain",
            };
            let supplies = if role == "supplier" {
                leader_enterprise.map(|e| e.to_string()).unwrap_or_default()
            } else {
                String::new()
            };
            super::placements::place_lead(db, &manager_user, id, node, role, &supplies).await?;
        }
    }
    super::demo_efficiency::seed(db, &manager_user).await?;
    super::demo_teams::seed(db, &manager_user).await
}

/// 在区企业 of the demo zone: (name, 龙头, 亩均效益 grade, node names they sit on).
const LOCAL_ENTERPRISES: &[(&str, bool, &str, &[&str])] = &[
    ("瑞斯康达科技发展股份有限公司（马鞍山基地）", true, "A", &["基站与传输设备", "光模块"]),
    ("中国电子马鞍山产业基地", true, "A", &["PCB 与电子元件", "智能终端"]),
    ("马鞍山钢铁股份有限公司", true, "A", &["先进钢铁材料", "矿产冶炼与基础原料"]),
    ("皖南精密减速器有限公司", false, "B", &["精密减速器"]),
    ("江东伺服科技有限公司", false, "B", &["伺服电机与控制器"]),
    ("钢城数控机床有限公司", false, "C", &["数控机床"]),
    ("慈湖高新区环保水务有限公司", false, "B", &["水处理装备"]),
    ("博望汽车零部件有限公司", false, "C", &["汽车轻量化部件", "汽车零部件智能产线"]),
    ("雨山现代物流有限公司", false, "B", &["现代物流"]),
    ("采石检验检测中心有限公司", false, "A", &["检验检测认证"]),
];

/// Sub-sector → the chain nodes a lead of that sector usually sits on.
const SECTOR_NODES: &[(&str, &[&str])] = &[
    ("5g_communications", &["基站与传输设备", "天线与射频前端", "通信模组"]),
    ("optical_communications", &["光模块", "光器件"]),
    ("semiconductors", &["芯片与射频器件", "电子材料"]),
    ("electronic_components", &["PCB 与电子元件"]),
    ("smart_terminals", &["智能终端", "行业应用与工业互联网"]),
    ("industrial_robots", &["工业机器人本体", "精密减速器"]),
    ("cnc_machine_tools", &["数控机床"]),
    ("sensors_instruments", &["传感器", "环境监测仪器"]),
    ("auto_parts", &["汽车零部件智能产线", "汽车轻量化部件"]),
    ("rail_equipment", &["轨道交通装备"]),
    ("energy_saving_equipment", &["高效节能装备", "电机泵阀等核心部件"]),
    ("environmental_protection", &["水处理装备", "大气治理装备", "固废处理装备"]),
    ("new_energy", &["合同能源管理服务", "资源循环利用"]),
    ("advanced_metals", &["高性能合金", "先进钢铁材料"]),
    ("new_chemical_materials", &["化工新材料", "复合材料"]),
    ("software_it", &["软件与信息服务", "工业软件", "数据中心与算力"]),
    ("logistics", &["现代物流", "供应链管理"]),
    ("finance_services", &["科技金融"]),
    ("rd_design", &["研发设计"]),
];

fn nodes_for_sector(sector: &str, node_ids: &std::collections::HashMap<String, i64>, rng: &mut Lcg) -> Option<i64> {
    let names = SECTOR_NODES.iter().find(|(s, _)| *s == sector)?.1;
    node_ids.get(*rng.pick(names)).copied()
}

async fn seed_enterprises<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    manager: &SessionUser,
    node_ids: &std::collections::HashMap<String, i64>,
) -> Result<Option<i64>, ServiceError> {
    let mut first_leader = None;
    for (name, leader, grade, nodes) in LOCAL_ENTERPRISES {
        let mut enterprise_id = String::new();
        for node in nodes.iter().filter_map(|n| node_ids.get(*n)) {
            let id = super::chain_edit::add_enterprise(
                db,
                manager,
                crate::wire::chains::EnterpriseForm {
                    node_id: *node,
                    // Made on its first node (with its 链主 flag and grade), then picked as a
                    // known enterprise, which keeps them.
                    name: if enterprise_id.is_empty() { name.to_string() } else { String::new() },
                    enterprise_id: enterprise_id.clone(),
                    uscc: String::new(),
                    is_leader: if enterprise_id.is_empty() { leader.to_string() } else { String::new() },
                    grade: if enterprise_id.is_empty() { grade.to_string() } else { String::new() },
                },
            )
            .await?;
            enterprise_id = id.to_string();
            if *leader && first_leader.is_none() {
                first_leader = Some(id);
            }
        }
    }
    Ok(first_leader)
}

const SUMMARIES: &[(&str, &str, &str)] = &[
    ("call", "电话沟通投资意向，对方关注用地与配套政策", "寄送园区介绍与标准地政策"),
    ("visit_out", "上门拜访，与董事长面谈扩产计划", "安排来马鞍山实地考察"),
    ("visit_in", "客商来访考察园区与标准厂房", "提供项目测算与土地报价"),
    ("wechat", "微信沟通项目进展", "约定下次视频会议"),
    ("meeting", "分管领导带队洽谈合作框架", "起草投资协议初稿"),
];
const PROBLEMS: &[(&str, &str, &str)] = &[
    ("land", "项目用地指标尚未落实", "自然资源和规划局"),
    ("environment", "环评批复进度滞后", "生态环境分局"),
    ("approval", "项目备案材料需补充", "经济发展局"),
    ("funding", "企业融资方案未确定", "财政金融局"),
];

/// Some contacts with next steps (a few overdue) and some problems, so the home page, the
/// timeline and the problem list have something to show on a first start.
async fn seed_follow_up<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    author: &SessionUser,
    lead_id: i64,
    i: usize,
) -> Result<(), ServiceError> {
    if !i.is_multiple_of(3) {
        return Ok(());
    }
    let today = super::pipeline::today();
    let (kind, summary, next) = SUMMARIES[i % SUMMARIES.len()];
    let happened_on = today - chrono::Duration::days((i % 20) as i64);
    // Due after the contact it came from; some already past (overdue on the home page).
    let due = happened_on + chrono::Duration::days((i % 15) as i64 + 1);
    super::pipeline::log_activity(
        db,
        author,
        lead_id,
        crate::wire::pipeline::ActivityForm {
            kind: kind.into(),
            happened_on: happened_on.to_string(),
            participants: author.display_name.clone(),
            summary: summary.into(),
            next_step: next.into(),
            next_due: due.to_string(),
        },
    )
    .await?;
    if i.is_multiple_of(21) {
        let (category, description, department) = PROBLEMS[i % PROBLEMS.len()];
        super::problems::create(
            db,
            author,
            lead_id,
            crate::wire::problems::ProblemForm {
                category: category.into(),
                description: description.into(),
                department: department.into(),
                responsible: String::new(),
                deadline: (today + chrono::Duration::days((i % 30) as i64 - 10)).to_string(),
            },
        )
        .await?;
    }
    Ok(())
}
