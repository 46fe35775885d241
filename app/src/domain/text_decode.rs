//! An uploaded text table's bytes → text: UTF-16 with or without a byte-order mark (Excel's and
//! WPS's "Unicode text"), UTF-8 (BOM optional), else GBK/GB18030 — what office PCs save. Pure.

/// UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8 (BOM optional), else GBK
/// (read as GB18030, its superset). `None`: not text in any of them. UTF-8 is borrowed, not
/// copied (a 30 MB upload is not held twice).
pub fn decode(bytes: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (!had_errors).then_some(text);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            return Some(text);
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(std::borrow::Cow::Borrowed(s));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then_some(text)
}

/// UTF-16 saved without a BOM: ASCII letters, digits and tabs have a zero byte beside them,
/// which neither UTF-8 nor GBK text has.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let head = &bytes[..bytes.len().min(512)];
    let zeros_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd, pairs) = (zeros_at(0), zeros_at(1), head.len() / 2);
    // A few CJK characters have a zero byte too (一 is U+4E00): a clear majority decides.
    if odd * 5 >= pairs && even * 4 < odd {
        Some(encoding_rs::UTF_16LE)
    } else if even * 5 >= pairs && odd * 4 < even {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}
