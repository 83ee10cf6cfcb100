//! Russian state identifiers and bank requisites (ИНН, ОГРН, ОГРНИП, КПП, БИК, счета): format and check-digit rules shared by every registry.
//!
//! Each validator returns the Russian reason on failure, without the field name, so that a
//! form can put it next to the field and the CLI can print it as is.

/// Which kind of taxpayer an INN belongs to, told by its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InnKind {
    /// 10 digits: a legal entity (организация).
    Organisation,
    /// 12 digits: a natural person (ИП, глава КФХ, самозанятый).
    Person,
}

fn digits(value: &str, what: &str, len: &[usize]) -> Result<Vec<u32>, String> {
    if value.is_empty() {
        return Err(format!("{what} не заполнен"));
    }
    if let Some(c) = value.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!("{what} должен состоять только из цифр, а содержит «{c}»"));
    }
    if !len.contains(&value.len()) {
        let need = len.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" или ");
        return Err(format!(
            "{what} должен состоять из {need} цифр, а введено {}",
            value.len()
        ));
    }
    Ok(value.bytes().map(|b| u32::from(b - b'0')).collect())
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum::<u32>() % 11 % 10
}

/// ИНН: 10 digits for an organisation, 12 for a person; both check digits are verified.
pub fn validate_inn(value: &str) -> Result<InnKind, String> {
    let d = digits(value, "ИНН", &[10, 12])?;
    let bad = || format!("ИНН {value}: неверная контрольная сумма — проверьте, не перепутаны ли цифры");
    if d.len() == 10 {
        if weighted(&d[..9], &[2, 4, 10, 3, 5, 9, 4, 6, 8]) != d[9] {
            return Err(bad());
        }
        Ok(InnKind::Organisation)
    } else {
        let n11 = weighted(&d[..10], &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
        let n12 = weighted(&d[..11], &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
        if n11 != d[10] || n12 != d[11] {
            return Err(bad());
        }
        Ok(InnKind::Person)
    }
}

/// The remainder rule shared by ОГРН (mod 11) and ОГРНИП (mod 13): the number formed by all
/// digits but the last, modulo `m`, modulo 10, is the last digit.
fn ogrn_check(d: &[u32], m: u64) -> bool {
    let (body, last) = d.split_at(d.len() - 1);
    let rem = body.iter().fold(0u64, |acc, &x| (acc * 10 + u64::from(x)) % m);
    rem % 10 == u64::from(last[0])
}

/// ОГРН of a legal entity: 13 digits, check digit = (first 12 digits mod 11) mod 10.
pub fn validate_ogrn(value: &str) -> Result<(), String> {
    let d = digits(value, "ОГРН", &[13])?;
    if !matches!(d[0], 1 | 5) {
        return Err(format!(
            "ОГРН {value}: должен начинаться с 1 или 5 (признак записи о юридическом лице)"
        ));
    }
    if !ogrn_check(&d, 11) {
        return Err(format!("ОГРН {value}: неверная контрольная цифра"));
    }
    Ok(())
}

/// ОГРНИП of a sole proprietor or a peasant farm head: 15 digits, check digit =
/// (first 14 digits mod 13) mod 10.
pub fn validate_ogrnip(value: &str) -> Result<(), String> {
    let d = digits(value, "ОГРНИП", &[15])?;
    if d[0] != 3 {
        return Err(format!(
            "ОГРНИП {value}: должен начинаться с 3 (признак записи об индивидуальном предпринимателе)"
        ));
    }
    if !ogrn_check(&d, 13) {
        return Err(format!("ОГРНИП {value}: неверная контрольная цифра"));
    }
    Ok(())
}

/// КПП: 9 characters — 4 digits (tax office), 2 digits or capital Latin letters (reason), 3 digits.
pub fn validate_kpp(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("КПП не заполнен".into());
    }
    let b = value.as_bytes();
    if value.chars().count() != 9 {
        return Err(format!(
            "КПП должен состоять из 9 знаков, а введено {}",
            value.chars().count()
        ));
    }
    let ok = b[..4].iter().all(u8::is_ascii_digit)
        && b[4..6].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[6..].iter().all(u8::is_ascii_digit);
    if !ok {
        return Err(format!(
            "КПП {value}: формат — 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры (например, 272101001)"
        ));
    }
    Ok(())
}

/// БИК of a Russian bank: 9 digits.
pub fn validate_bik(value: &str) -> Result<(), String> {
    digits(value, "БИК", &[9]).map(|_| ())
}

fn account_key(bik_part: &str, account: &[u32]) -> bool {
    const W: [u32; 3] = [7, 1, 3];
    let all = bik_part
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .chain(account.iter().copied());
    all.enumerate().map(|(i, x)| (x * W[i % 3]) % 10).sum::<u32>() % 10 == 0
}

/// Расчётный счёт: 20 digits whose control key agrees with the bank's БИК (last 3 digits of the БИК + the account).
pub fn validate_settlement_account(account: &str, bik: &str) -> Result<(), String> {
    let d = digits(account, "Расчётный счёт", &[20])?;
    validate_bik(bik).map_err(|e| format!("Сначала исправьте БИК: {e}"))?;
    if !account_key(&bik[6..9], &d) {
        return Err(format!(
            "Расчётный счёт {account} не сходится с БИК {bik} по контрольному ключу — проверьте оба"
        ));
    }
    Ok(())
}

/// Корреспондентский счёт: 20 digits, starts with 30101, control key with "0" + digits 5–6 of the БИК.
pub fn validate_correspondent_account(account: &str, bik: &str) -> Result<(), String> {
    let d = digits(account, "Корреспондентский счёт", &[20])?;
    if !account.starts_with("30101") {
        return Err(format!("Корреспондентский счёт {account}: должен начинаться с 30101"));
    }
    validate_bik(bik).map_err(|e| format!("Сначала исправьте БИК: {e}"))?;
    if !account_key(&format!("0{}", &bik[4..6]), &d) {
        return Err(format!(
            "Корреспондентский счёт {account} не сходится с БИК {bik} по контрольному ключу — проверьте оба"
        ));
    }
    Ok(())
}

/// Region code of a subject of the Russian Federation: two digits, 01–99. Not a closed list:
/// codes appear (90–95) and the tax service uses them as published.
pub fn validate_region_code(value: &str) -> Result<(), String> {
    let d = digits(value, "Код региона", &[2])?;
    if d == [0, 0] {
        return Err("Код региона 00 не существует; укажите две цифры, например 27".into());
    }
    Ok(())
}

/// Appends the check digit to 9 body digits: a valid organisation INN (demo data, tests).
pub fn complete_inn10(body: &str) -> String {
    let d: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
    format!("{body}{}", weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]))
}

/// Appends both check digits to 10 body digits: a valid personal INN (demo data, tests).
pub fn complete_inn12(body: &str) -> String {
    let mut d: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
    d.push(weighted(&d, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
    d.push(weighted(&d, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
    d.iter().map(|x| x.to_string()).collect()
}

/// Appends the check digit to an ОГРН body (12 digits, mod 11) or ОГРНИП body (14 digits, mod 13).
pub fn complete_ogrn(body: &str) -> String {
    let m = if body.len() == 14 { 13 } else { 11 };
    let rem = body.bytes().fold(0u64, |acc, b| (acc * 10 + u64::from(b - b'0')) % m);
    format!("{body}{}", rem % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_inns() {
        assert_eq!(validate_inn("7707083893"), Ok(InnKind::Organisation)); // ПАО Сбербанк
        assert_eq!(validate_inn("7707329152"), Ok(InnKind::Organisation)); // ФНС России
        assert_eq!(validate_inn("500100732259"), Ok(InnKind::Person));
        assert!(validate_inn("7707329153").unwrap_err().contains("контрольная сумма"));
        assert!(validate_inn("500100732258").is_err());
        assert!(validate_inn("77073291").unwrap_err().contains("10 или 12"));
        assert!(validate_inn("77073291a2").unwrap_err().contains("«a»"));
        assert!(validate_inn("").unwrap_err().contains("не заполнен"));
    }

    #[test]
    fn real_ogrns() {
        assert!(validate_ogrn("1027700132195").is_ok()); // ПАО Сбербанк
        assert!(validate_ogrn("1047707030513").is_ok()); // ФНС России
        assert!(validate_ogrn("1027700132196").is_err());
        assert!(validate_ogrn("102770013219").is_err());
        assert!(validate_ogrnip("304500116000157").is_ok());
        assert!(validate_ogrnip("304500116000158").is_err());
    }

    #[test]
    fn ogrnip_with_remainder_ten_to_twelve_ends_in_its_last_digit() {
        // Find bodies whose remainder mod 13 is 10, 11 and 12: the check digit is 0, 1, 2.
        for want in 10..=12u64 {
            let body = (30_450_011_600_000u64..)
                .map(|n| n.to_string())
                .find(|b| b.bytes().fold(0u64, |a, x| (a * 10 + u64::from(x - b'0')) % 13) == want)
                .unwrap();
            let good = format!("{body}{}", want % 10);
            assert!(validate_ogrnip(&good).is_ok(), "{good}");
            let naive = format!("{body}{}", (want % 10 + 1) % 10);
            assert!(validate_ogrnip(&naive).is_err(), "{naive}");
        }
    }

    #[test]
    fn kpp_format() {
        assert!(validate_kpp("772801001").is_ok());
        assert!(validate_kpp("7728AB001").is_ok());
        assert!(validate_kpp("7728ab001").is_err());
        assert!(validate_kpp("77280100").is_err());
        assert!(validate_kpp("A72801001").is_err());
    }

    #[test]
    fn sberbank_accounts() {
        // ПАО Сбербанк, Московский банк: БИК 044525225, к/с 30101810400000000225.
        assert!(validate_correspondent_account("30101810400000000225", "044525225").is_ok());
        assert!(validate_correspondent_account("30101810400000000226", "044525225").is_err());
        // Exactly one value of the key digit (the 9th) fits a given БИК.
        let fits: Vec<String> = (0..10)
            .map(|k| format!("40702810{k}38000012345"))
            .filter(|a| validate_settlement_account(a, "044525225").is_ok())
            .collect();
        assert_eq!(fits.len(), 1, "{fits:?}");
        assert!(validate_settlement_account(&fits[0], "040813608").is_err());
        assert!(validate_settlement_account("4070281003800001234", "044525225")
            .unwrap_err()
            .contains("20 цифр"));
    }

    #[test]
    fn region_codes_are_an_open_list() {
        for ok in ["01", "27", "59", "90", "95", "99"] {
            assert!(validate_region_code(ok).is_ok(), "{ok}");
        }
        for bad in ["00", "7", "027", "2a"] {
            assert!(validate_region_code(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn generated_inns_are_valid(b in "[0-9]{9}", p in "[0-9]{10}") {
            prop_assert_eq!(validate_inn(&complete_inn10(&b)), Ok(InnKind::Organisation));
            prop_assert_eq!(validate_inn(&complete_inn12(&p)), Ok(InnKind::Person));
        }

        #[test]
        fn one_changed_digit_breaks_an_inn(b in "[0-9]{9}", pos in 0usize..10, delta in 1u8..10) {
            let good = complete_inn10(&b);
            let mut bytes = good.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let bad = String::from_utf8(bytes).unwrap();
            // A single-digit change in an INN-10 is always caught when it hits the check digit;
            // in the body it is caught unless the weight makes the change vanish mod 11 mod 10.
            if pos == 9 { prop_assert!(validate_inn(&bad).is_err()); }
        }

        #[test]
        fn generated_ogrns_are_valid(b in "[15][0-9]{11}", p in "3[0-9]{13}") {
            prop_assert!(validate_ogrn(&complete_ogrn(&b)).is_ok());
            prop_assert!(validate_ogrnip(&complete_ogrn(&p)).is_ok());
        }

        #[test]
        fn a_wrong_check_digit_is_rejected(b in "[15][0-9]{11}", p in "3[0-9]{13}", k in 1u32..10) {
            let good = complete_ogrn(&b);
            let last = good.as_bytes()[12] - b'0';
            let bad = format!("{}{}", &good[..12], (u32::from(last) + k) % 10);
            prop_assert!(validate_ogrn(&bad).is_err());
            let good = complete_ogrn(&p);
            let last = good.as_bytes()[14] - b'0';
            let bad = format!("{}{}", &good[..14], (u32::from(last) + k) % 10);
            prop_assert!(validate_ogrnip(&bad).is_err());
        }

        #[test]
        fn validators_never_panic(s in "\\PC{0,25}") {
            let _ = validate_inn(&s);
            let _ = validate_ogrn(&s);
            let _ = validate_ogrnip(&s);
            let _ = validate_kpp(&s);
            let _ = validate_settlement_account(&s, "044525225");
            let _ = validate_correspondent_account(&s, &s);
        }
    }
}
