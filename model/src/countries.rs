//! Country names in the five languages, for the countries of the region and the partners the
//! collection names. Other codes are shown as the code itself.

use crate::lang::Lang;

/// (code, en, ro, uk, ru, el)
const NAMES: &[(&str, [&str; 5])] = &[
    ("AL", ["Albania", "Albania", "Албанія", "Албания", "Αλβανία"]),
    ("AM", ["Armenia", "Armenia", "Вірменія", "Армения", "Αρμενία"]),
    ("AT", ["Austria", "Austria", "Австрія", "Австрия", "Αυστρία"]),
    ("AZ", ["Azerbaijan", "Azerbaidjan", "Азербайджан", "Азербайджан", "Αζερμπαϊτζάν"]),
    (
        "BA",
        [
            "Bosnia and Herzegovina",
            "Bosnia și Herțegovina",
            "Боснія і Герцеговина",
            "Босния и Герцеговина",
            "Βοσνία-Ερζεγοβίνη",
        ],
    ),
    ("BE", ["Belgium", "Belgia", "Бельгія", "Бельгия", "Βέλγιο"]),
    ("BG", ["Bulgaria", "Bulgaria", "Болгарія", "Болгария", "Βουλγαρία"]),
    ("BY", ["Belarus", "Belarus", "Білорусь", "Беларусь", "Λευκορωσία"]),
    ("CA", ["Canada", "Canada", "Канада", "Канада", "Καναδάς"]),
    ("CH", ["Switzerland", "Elveția", "Швейцарія", "Швейцария", "Ελβετία"]),
    ("CY", ["Cyprus", "Cipru", "Кіпр", "Кипр", "Κύπρος"]),
    ("CZ", ["Czechia", "Cehia", "Чехія", "Чехия", "Τσεχία"]),
    ("DE", ["Germany", "Germania", "Німеччина", "Германия", "Γερμανία"]),
    ("DK", ["Denmark", "Danemarca", "Данія", "Дания", "Δανία"]),
    ("EE", ["Estonia", "Estonia", "Естонія", "Эстония", "Εσθονία"]),
    ("ES", ["Spain", "Spania", "Іспанія", "Испания", "Ισπανία"]),
    ("FI", ["Finland", "Finlanda", "Фінляндія", "Финляндия", "Φινλανδία"]),
    ("FR", ["France", "Franța", "Франція", "Франция", "Γαλλία"]),
    ("GB", ["United Kingdom", "Regatul Unit", "Велика Британія", "Великобритания", "Ηνωμένο Βασίλειο"]),
    ("GE", ["Georgia", "Georgia", "Грузія", "Грузия", "Γεωργία"]),
    ("GR", ["Greece", "Grecia", "Греція", "Греция", "Ελλάδα"]),
    ("HR", ["Croatia", "Croația", "Хорватія", "Хорватия", "Κροατία"]),
    ("HU", ["Hungary", "Ungaria", "Угорщина", "Венгрия", "Ουγγαρία"]),
    ("IE", ["Ireland", "Irlanda", "Ірландія", "Ирландия", "Ιρλανδία"]),
    ("IS", ["Iceland", "Islanda", "Ісландія", "Исландия", "Ισλανδία"]),
    ("IT", ["Italy", "Italia", "Італія", "Италия", "Ιταλία"]),
    ("KZ", ["Kazakhstan", "Kazahstan", "Казахстан", "Казахстан", "Καζακστάν"]),
    ("LT", ["Lithuania", "Lituania", "Литва", "Литва", "Λιθουανία"]),
    ("LU", ["Luxembourg", "Luxemburg", "Люксембург", "Люксембург", "Λουξεμβούργο"]),
    ("LV", ["Latvia", "Letonia", "Латвія", "Латвия", "Λετονία"]),
    ("MD", ["Moldova", "Republica Moldova", "Молдова", "Молдова", "Μολδαβία"]),
    ("ME", ["Montenegro", "Muntenegru", "Чорногорія", "Черногория", "Μαυροβούνιο"]),
    ("MK", ["North Macedonia", "Macedonia de Nord", "Північна Македонія", "Северная Македония", "Βόρεια Μακεδονία"]),
    ("MT", ["Malta", "Malta", "Мальта", "Мальта", "Μάλτα"]),
    ("NL", ["Netherlands", "Țările de Jos", "Нідерланди", "Нидерланды", "Ολλανδία"]),
    ("NO", ["Norway", "Norvegia", "Норвегія", "Норвегия", "Νορβηγία"]),
    ("PL", ["Poland", "Polonia", "Польща", "Польша", "Πολωνία"]),
    ("PT", ["Portugal", "Portugalia", "Португалія", "Португалия", "Πορτογαλία"]),
    ("RO", ["Romania", "România", "Румунія", "Румыния", "Ρουμανία"]),
    ("RS", ["Serbia", "Serbia", "Сербія", "Сербия", "Σερβία"]),
    ("RU", ["Russia", "Rusia", "Росія", "Россия", "Ρωσία"]),
    ("SE", ["Sweden", "Suedia", "Швеція", "Швеция", "Σουηδία"]),
    ("SI", ["Slovenia", "Slovenia", "Словенія", "Словения", "Σλοβενία"]),
    ("SK", ["Slovakia", "Slovacia", "Словаччина", "Словакия", "Σλοβακία"]),
    ("TR", ["Türkiye", "Turcia", "Туреччина", "Турция", "Τουρκία"]),
    ("UA", ["Ukraine", "Ucraina", "Україна", "Украина", "Ουκρανία"]),
    ("US", ["United States", "Statele Unite", "Сполучені Штати", "США", "Ηνωμένες Πολιτείες"]),
];

/// The country's name in `lang`, or `None` for a code outside the table.
pub fn name(code: &str, lang: Lang) -> Option<&'static str> {
    NAMES.binary_search_by(|(c, _)| (*c).cmp(code)).ok().map(|i| NAMES[i].1[lang.index()])
}

/// The country's name in `lang`, or the code.
pub fn label(code: &str, lang: Lang) -> &str {
    name(code, lang).unwrap_or(code)
}

/// The codes with names, for the submission form's country list.
pub fn named() -> impl Iterator<Item = &'static str> {
    NAMES.iter().map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_valid() {
        assert!(NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NAMES.iter().all(|(code, _)| crate::codes::is_country(code)));
        assert_eq!(label("MD", Lang::Ro), "Republica Moldova");
        assert_eq!(label("UA", Lang::Uk), "Україна");
        assert_eq!(label("ZW", Lang::En), "ZW");
    }
}
