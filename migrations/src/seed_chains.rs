//! The chains an office starts with (editable in the app), and version 1 of the fit-score
//! configuration. Part of the chains migration so every database has them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

/// (name zh, name en, industry, description, [(node zh, node en, position)])
type ChainSeed =
    (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str, &'static str)]);

pub const CHAINS: &[ChainSeed] = &[
    (
        "5G 与电子通信产业链",
        "5G and electronic communications",
        "electronic_comms",
        "首位产业：以中国电子产业基地、瑞斯康达为龙头，打造通信通讯产业集群",
        &[
            ("电子材料", "Electronic materials", "upstream"),
            ("芯片与射频器件", "Chips and RF devices", "upstream"),
            ("光器件", "Optical components", "upstream"),
            ("光模块", "Optical modules", "midstream"),
            ("天线与射频前端", "Antennas and RF front-ends", "midstream"),
            ("通信模组", "Communication modules", "midstream"),
            ("PCB 与电子元件", "PCBs and electronic components", "midstream"),
            ("基站与传输设备", "Base-station and transmission equipment", "downstream"),
            ("智能终端", "Smart terminals", "downstream"),
            ("行业应用与工业互联网", "Industry applications and industrial internet", "downstream"),
        ],
    ),
    (
        "新材料产业链",
        "New materials",
        "energy_materials",
        "依托宝武马钢“1+8”基地产业协作，延伸先进金属与化工新材料",
        &[
            ("矿产冶炼与基础原料", "Smelting and raw materials", "upstream"),
            ("化工基础原料", "Basic chemicals", "upstream"),
            ("先进钢铁材料", "Advanced steel", "midstream"),
            ("高性能合金", "High-performance alloys", "midstream"),
            ("化工新材料", "New chemical materials", "midstream"),
            ("复合材料", "Composites", "midstream"),
            ("汽车轻量化部件", "Lightweight auto parts", "downstream"),
            ("电子功能材料应用", "Electronic functional materials", "downstream"),
        ],
    ),
    (
        "节能环保装备产业链",
        "Energy-saving and environmental equipment",
        "energy_materials",
        "高效节能、先进环保装备与环境服务",
        &[
            ("电机泵阀等核心部件", "Motors, pumps, valves", "upstream"),
            ("膜材料与催化剂", "Membranes and catalysts", "upstream"),
            ("高效节能装备", "High-efficiency equipment", "midstream"),
            ("水处理装备", "Water treatment equipment", "midstream"),
            ("大气治理装备", "Air pollution control equipment", "midstream"),
            ("固废处理装备", "Solid-waste equipment", "midstream"),
            ("环境监测仪器", "Environmental monitoring instruments", "midstream"),
            ("合同能源管理服务", "Energy performance contracting", "downstream"),
            ("资源循环利用", "Resource recycling", "downstream"),
        ],
    ),
    (
        "智能制造装备产业链",
        "Intelligent manufacturing equipment",
        "smart_manufacturing",
        "机器人、数控机床、传感器与系统集成",
        &[
            ("精密减速器", "Precision reducers", "upstream"),
            ("伺服电机与控制器", "Servo motors and controllers", "upstream"),
            ("传感器", "Sensors", "upstream"),
            ("工业软件", "Industrial software", "upstream"),
            ("工业机器人本体", "Industrial robots", "midstream"),
            ("数控机床", "CNC machine tools", "midstream"),
            ("智能物流装备", "Intelligent logistics equipment", "midstream"),
            ("智能制造系统集成", "System integration", "downstream"),
            ("汽车零部件智能产线", "Smart auto-parts lines", "downstream"),
            ("轨道交通装备", "Rail transit equipment", "downstream"),
        ],
    ),
    (
        "现代服务业产业链",
        "Modern services",
        "modern_services",
        "服务先进制造的研发设计、信息服务、科技金融与现代物流",
        &[
            ("研发设计", "R&D and design", "upstream"),
            ("检验检测认证", "Testing and certification", "upstream"),
            ("软件与信息服务", "Software and IT services", "midstream"),
            ("数据中心与算力", "Data centres and computing", "midstream"),
            ("科技金融", "Technology finance", "midstream"),
            ("现代物流", "Modern logistics", "downstream"),
            ("供应链管理", "Supply-chain management", "downstream"),
            ("电子商务", "E-commerce", "downstream"),
        ],
    ),
];

/// Version 1 of the score configuration; `app` checks it equals `ScoreConfig::default()`.
pub const DEFAULT_SCORE_CONFIG: &str = r#"{"weights":{"industry":25.0,"chain":20.0,"scale":20.0,"land":15.0,"innovation":10.0,"region":10.0,"energy_penalty":10.0},"thresholds":{"intensity_wan_per_mu":300.0,"tax_wan_per_mu":20.0,"major_project_wan":10000.0,"scale_full_wan":50000.0},"grades":{"a":80.0,"b":65.0,"c":50.0}}"#;

pub async fn seed(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let now = chrono_now();
    for (i, (zh, en, industry, description, nodes)) in CHAINS.iter().enumerate() {
        let insert = Query::insert()
            .into_table(Alias::new("chains"))
            .columns(
                ["name_zh", "name_en", "industry", "description", "sort_order", "created_at", "updated_at"]
                    .map(Alias::new),
            )
            .values_panic([
                (*zh).into(),
                (*en).into(),
                (*industry).into(),
                (*description).into(),
                (i as i32).into(),
                now.clone().into(),
                now.clone().into(),
            ])
            .returning_col(Alias::new("id"))
            .to_owned();
        let row = db
            .query_one(backend.build(&insert))
            .await?
            .ok_or_else(|| DbErr::Custom("chain insert returned nothing".into()))?;
        let chain_id: i64 = row.try_get("", "id")?;
        for (j, (node_zh, node_en, position)) in nodes.iter().enumerate() {
            let insert = Query::insert()
                .into_table(Alias::new("chain_nodes"))
                .columns(["chain_id", "name_zh", "name_en", "position", "sort_order"].map(Alias::new))
                .values_panic([
                    chain_id.into(),
                    (*node_zh).into(),
                    (*node_en).into(),
                    (*position).into(),
                    (j as i32).into(),
                ])
                .to_owned();
            db.execute(backend.build(&insert)).await?;
        }
    }
    let insert = Query::insert()
        .into_table(Alias::new("score_configs"))
        .columns(["config", "note", "created_at"].map(Alias::new))
        .values_panic([DEFAULT_SCORE_CONFIG.into(), "默认配置（示例阈值，由招商局自行设定）".into(), now.into()])
        .to_owned();
    db.execute(backend.build(&insert)).await?;
    Ok(())
}

/// The timestamp as sea-orm writes `DateTimeUtc` on both backends.
fn chrono_now() -> Value {
    Value::ChronoDateTimeUtc(Some(Box::new(chrono::Utc::now())))
}
