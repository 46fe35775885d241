//! Amounts in 万元 (ten thousand yuan) and areas in 亩, as typed by people.

/// Why an amount could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not a number")]
    NotANumber,
    #[error("negative")]
    Negative,
    #[error("too large")]
    TooLarge,
}

/// Largest amount accepted, in 万元 (1 万亿元).
pub const MAX_WAN: f64 = 100_000_000.0;

/// Reads "3000", "3,000", "3000万", "3000万元", "1.5亿", "1.5亿元", full-width digits too,
/// and returns 万元 rounded to two decimals.
pub fn parse_wan(raw: &str) -> Result<f64, AmountError> {
    read_amount(raw).map(|a| a.wan)
}

/// An amount as [`read_amount`] read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Amount {
    /// In 万元, rounded to two decimals.
    pub wan: f64,
    /// The number as written, full-width digits folded, without spaces or thousands
    /// separators: "1.5", "1500000" for "1,500,000元".
    pub number: String,
    /// The unit it was written in: "亿元", "万元", "元", or "" for a bare number (万元).
    pub unit: &'static str,
}

/// [`parse_wan`], telling also the number and the unit the amount was written in ("1.5亿" →
/// 15,000 万元 written as 1.5 亿元), for a note of what it comes to.
pub fn read_amount(raw: &str) -> Result<Amount, AmountError> {
    let s: String = raw
        .chars()
        .map(super::uscc::fold_full_width)
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    let (number, factor, unit) = if let Some(n) = s.strip_suffix("亿元").or_else(|| s.strip_suffix('亿')) {
        (n, 10_000.0, "亿元")
    } else if let Some(n) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')) {
        (n, 1.0, "万元")
    } else if let Some(n) = s.strip_suffix('元') {
        (n, 0.0001, "元")
    } else {
        (s.as_str(), 1.0, "")
    };
    let value: f64 = number.parse().map_err(|_| AmountError::NotANumber)?;
    if !value.is_finite() {
        return Err(AmountError::NotANumber);
    }
    let wan = value * factor;
    if wan < 0.0 {
        return Err(AmountError::Negative);
    }
    if wan > MAX_WAN {
        return Err(AmountError::TooLarge);
    }
    Ok(Amount { wan: (wan * 100.0).round() / 100.0, number: number.to_string(), unit })
}

/// Reads a plain non-negative quantity (亩, 人) with the same tolerance for commas and width.
pub fn parse_quantity(raw: &str, max: f64) -> Result<f64, AmountError> {
    let s: String = raw
        .chars()
        .map(super::uscc::fold_full_width)
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    let s = s.trim_end_matches('亩').trim_end_matches('人');
    let value: f64 = s.parse().map_err(|_| AmountError::NotANumber)?;
    if !value.is_finite() {
        return Err(AmountError::NotANumber);
    }
    if value < 0.0 {
        return Err(AmountError::Negative);
    }
    if value > max {
        return Err(AmountError::TooLarge);
    }
    Ok((value * 100.0).round() / 100.0)
}

/// An amount in 万元 as the office says it: from 1 亿元 on in 亿元 to two decimals ("107.43 亿元"),
/// below it in whole 万元 ("3,000 万元"); 0 is "0 万元".
pub fn format_wan_short(wan: f64) -> String {
    if wan.abs() >= 10_000.0 {
        format!("{} 亿元", format_wan(wan / 10_000.0))
    } else {
        format!("{} 万元", format_wan(wan.round()))
    }
}

/// 万元 for display: "3,000" / "1.5 亿" style is left to the UI; this gives grouping.
pub fn format_wan(wan: f64) -> String {
    let rounded = (wan * 100.0).round() / 100.0;
    let int = rounded.trunc() as i64;
    let frac = ((rounded - int as f64).abs() * 100.0).round() as i64;
    let digits = int.abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if int < 0 {
        grouped.insert(0, '-');
    }
    if frac == 0 {
        grouped
    } else if frac % 10 == 0 {
        format!("{grouped}.{}", frac / 10)
    } else {
        format!("{grouped}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_amounts_read_in_yi_from_one_yi() {
        assert_eq!(format_wan_short(1_074_300.0), "107.43 亿元");
        assert_eq!(format_wan_short(10_000.0), "1 亿元");
        assert_eq!(format_wan_short(9_999.4), "9,999 万元");
        assert_eq!(format_wan_short(3_000.0), "3,000 万元");
        assert_eq!(format_wan_short(0.0), "0 万元");
    }

    use super::*;

    #[test]
    fn reads_the_ways_people_write_amounts() {
        assert_eq!(parse_wan("3000"), Ok(3000.0));
        assert_eq!(parse_wan("3,000"), Ok(3000.0));
        assert_eq!(parse_wan("3000万"), Ok(3000.0));
        assert_eq!(parse_wan("3000万元"), Ok(3000.0));
        assert_eq!(parse_wan("1.5亿"), Ok(15000.0));
        assert_eq!(parse_wan("1.5 亿元"), Ok(15000.0));
        assert_eq!(parse_wan("５００"), Ok(500.0));
        assert_eq!(parse_wan("50000元"), Ok(5.0));
    }

    #[test]
    fn refuses_nonsense() {
        assert_eq!(parse_wan("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_wan("-5"), Err(AmountError::Negative));
        assert_eq!(parse_wan("NaN"), Err(AmountError::NotANumber));
        assert_eq!(parse_wan("1e12"), Err(AmountError::TooLarge));
        assert_eq!(parse_quantity("12亩", 1e6), Ok(12.0));
        assert_eq!(parse_quantity("inf", 1e6), Err(AmountError::NotANumber));
    }

    #[test]
    fn formats_with_grouping() {
        assert_eq!(format_wan(1234567.0), "1,234,567");
        assert_eq!(format_wan(1500.5), "1,500.5");
        assert_eq!(format_wan(12.34), "12.34");
        assert_eq!(format_wan(0.0), "0");
    }
}
