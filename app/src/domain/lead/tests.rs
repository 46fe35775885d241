use super::*;

fn form() -> LeadForm {
    LeadForm {
        company_name: "南京某某通信有限公司".into(),
        uscc: "914403001922038216".into(),
        industry: "electronic_comms".into(),
        sector: "5g_communications".into(),
        planned_investment: "1.2亿".into(),
        channel: "resident".into(),
        ..Default::default()
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_good_form_parses() {
    let lead = form().parse().unwrap();
    assert_eq!(lead.name_key, "南京某某通信");
    assert_eq!(lead.planned_investment_wan, Some(12000.0));
    assert_eq!(lead.stage, Stage::Clue);
    assert!(lead.uscc.is_some());
}

#[test]
fn every_bad_field_is_reported_at_once() {
    let f = LeadForm {
        company_name: " ".into(),
        uscc: "914403001922038217".into(),
        industry: "".into(),
        planned_investment: "lots".into(),
        jobs: "-3".into(),
        channel: "carrier pigeon".into(),
        contacts: vec![ContactForm { email: "nope".into(), ..Default::default() }],
        ..Default::default()
    };
    let errs = f.parse().unwrap_err();
    assert_eq!(
        fields(&errs),
        [
            "company_name",
            "uscc",
            "industry",
            "planned_investment",
            "jobs",
            "channel",
            "contacts.0.name",
            "contacts.0.email"
        ]
    );
    let uscc = errs.iter().find(|e| e.field == "uscc").unwrap();
    assert_eq!(uscc.key, "err.uscc.check");
}

#[test]
fn region_is_needed_when_there_is_no_uscc() {
    let f = LeadForm { uscc: String::new(), ..form() };
    assert_eq!(fields(&f.parse().unwrap_err()), ["region_code"]);
    let f = LeadForm { uscc: String::new(), region_code: "OS-EU".into(), ..form() };
    assert!(f.parse().is_ok());
}

#[test]
fn sector_must_belong_to_the_industry() {
    let f = LeadForm { sector: "logistics".into(), ..form() };
    assert_eq!(fields(&f.parse().unwrap_err()), ["sector"]);
}

#[test]
fn blank_contact_rows_are_dropped() {
    let f = LeadForm {
        contacts: vec![
            ContactForm::default(),
            ContactForm { name: "张经理".into(), phone: "025-8888 1234".into(), ..Default::default() },
        ],
        ..form()
    };
    assert_eq!(f.parse().unwrap().contacts.len(), 1);
}

#[test]
fn phones_are_read_as_people_write_them_and_others_refused() {
    let with_phone = |phone: &str| LeadForm {
        contacts: vec![ContactForm { name: "张经理".into(), phone: phone.into(), ..Default::default() }],
        ..form()
    };
    for (typed, stored) in [
        ("13800000000", "13800000000"),
        ("025-86612345", "025-86612345"),
        ("(025) 8661 2345 转 801", "(025) 8661 2345 转 801"),
        ("+86 138 0000 0000", "+86 138 0000 0000"),
        ("8661 2345", "8661 2345"),
        ("０２５－８６６１２３４５", "025-86612345"),
        ("　13800000000　", "13800000000"),
    ] {
        let input = with_phone(typed).parse().unwrap_or_else(|e| panic!("{typed}: {e:?}"));
        assert_eq!(input.contacts[0].phone, stored, "{typed}");
    }
    for refused in ["1234", "电话13800000000", "138-0000-0000-0000-0000-00", "13800000000 或 13900000000"] {
        let errors = with_phone(refused).parse().unwrap_err();
        assert_eq!(fields(&errors), ["contacts.0.phone"], "{refused}");
        assert_eq!(errors[0].key, "err.phone", "{refused}");
    }
}

#[test]
fn a_phone_dials_its_digits_and_extension() {
    assert_eq!(tel_uri("025-8661 2345转801").as_deref(), Some("tel:02586612345,801"));
    assert_eq!(tel_uri("+86 138 0000 0000").as_deref(), Some("tel:+8613800000000"));
    assert_eq!(tel_uri("（０２５）８６６１２３４５").as_deref(), Some("tel:02586612345"));
    assert_eq!(tel_uri("12#3"), None);
    assert_eq!(tel_uri(""), None);
}
