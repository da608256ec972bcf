//! ISO code lists: ISO 3166-1 alpha-2 countries and ISO 4217 currencies.

/// The 249 officially assigned ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ \
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT \
GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY \
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX \
MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS \
RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN \
TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// ISO 4217 currency codes in use, plus withdrawn ones a historical budget may still be given in
/// (HRK, the Croatian kuna, until 2023; ROL, the Romanian leu before 2005).
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND \
BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK \
DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD \
IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK \
MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR \
ROL RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND \
TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD \
XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL";

fn in_list(list: &str, code: &str) -> bool {
    code.len() >= 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && list.split_ascii_whitespace().any(|c| c == code)
}

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case, e.g. `RO`).
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && in_list(COUNTRIES, code)
}

/// Whether `code` is an ISO 4217 currency code (upper case, e.g. `EUR`).
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && in_list(CURRENCIES, code)
}

/// Every assigned country code, in alphabetical order.
pub fn countries() -> impl Iterator<Item = &'static str> {
    COUNTRIES.split_ascii_whitespace()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_complete_and_sorted() {
        let countries: Vec<_> = countries().collect();
        assert_eq!(countries.len(), 249);
        assert!(countries.windows(2).all(|w| w[0] < w[1]));
        let currencies: Vec<_> = CURRENCIES.split_ascii_whitespace().collect();
        assert!(currencies.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recognises_codes() {
        for code in ["RO", "MD", "UA", "GR", "GB"] {
            assert!(is_country(code), "{code}");
        }
        for code in ["ro", "UK", "EU", "XX", "ROU", ""] {
            assert!(!is_country(code), "{code}");
        }
        for code in ["EUR", "USD", "RON", "MDL", "UAH"] {
            assert!(is_currency(code), "{code}");
        }
        for code in ["eur", "LEI", "EU", "EURO"] {
            assert!(!is_currency(code), "{code}");
        }
    }
}
