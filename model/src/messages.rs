//! What each validation rule says to the people filling in the form, in the five interface
//! languages: one table, read by the browser as the form is checked and by the server when it
//! answers 422 in the reader's language (`ui`). A [`Problem`]'s own `message` and `fix` stay the
//! maintainers' precise English, naming the file and the field, for content files and logs.

use crate::Lang;
use crate::validate::{Problem, Rule};

/// The problem as a sentence for someone filling in the form, in `lang`.
pub fn say(problem: &Problem, lang: Lang) -> String {
    let count = |template: &str, n: usize| template.replace("{n}", &n.to_string());
    let t = table(lang);
    match problem.rule {
        Rule::Empty => t.empty.to_owned(),
        Rule::TooLong { max } => count(t.too_long, max),
        Rule::LineBreak => t.line_break.to_owned(),
        Rule::TooFew { min } => count(t.too_few, min),
        Rule::TooMany { max } => count(t.too_many, max),
        Rule::Unknown => t.unknown.to_owned(),
        Rule::Repeated => t.repeated.to_owned(),
        Rule::NotDate => t.not_date.to_owned(),
        Rule::EndBeforeStart => t.end_before_start.to_owned(),
        Rule::NotAmount => t.not_amount.to_owned(),
        Rule::NoCurrency => t.no_currency.to_owned(),
        Rule::NoBudget => t.no_budget.to_owned(),
        Rule::NotEmail => t.not_email.to_owned(),
        Rule::NotUrl => t.not_url.to_owned(),
        Rule::Reserved => t.reserved.to_owned(),
        // Rules only content files can break (TOML syntax, file names): the maintainers' words.
        Rule::Other => format!("{} ({})", problem.message, problem.fix),
    }
}

/// Every rule's sentence in one language; `{n}` is a number.
struct Messages {
    empty: &'static str,
    too_long: &'static str,
    line_break: &'static str,
    too_few: &'static str,
    too_many: &'static str,
    unknown: &'static str,
    repeated: &'static str,
    not_date: &'static str,
    end_before_start: &'static str,
    not_amount: &'static str,
    no_currency: &'static str,
    no_budget: &'static str,
    not_email: &'static str,
    not_url: &'static str,
    reserved: &'static str,
}

fn table(lang: Lang) -> &'static Messages {
    match lang {
        Lang::En => &EN,
        Lang::Ro => &RO,
        Lang::Uk => &UK,
        Lang::Ru => &RU,
        Lang::El => &EL,
    }
}

static EN: Messages = Messages {
    empty: "This is needed.",
    too_long: "This is too long: keep it to {n} characters at most.",
    line_break: "Keep this on one line.",
    too_few: "Choose or add at least {n}.",
    too_many: "There are too many: keep {n} at most.",
    unknown: "Choose one from the list.",
    repeated: "This is listed twice: remove the repeat.",
    not_date: "Write a year, such as 2023.",
    end_before_start: "The end is before the start: make it the same year or later.",
    not_amount: "Write the amount as a plain number, such as 77400.",
    no_currency: "Choose the currency of the amount.",
    no_budget: "Give an amount with its currency, or a note on the budget.",
    not_email: "Write an e-mail address, such as name@library.ro.",
    not_url: "Write the full address, starting with https://.",
    reserved: "Maintainers set this after review: leave it out.",
};

static RO: Messages = Messages {
    empty: "Acest câmp este obligatoriu.",
    too_long: "Textul este prea lung: cel mult {n} caractere.",
    line_break: "Scrieți totul pe un singur rând.",
    too_few: "Alegeți sau adăugați cel puțin {n}.",
    too_many: "Sunt prea multe: cel mult {n}.",
    unknown: "Alegeți una dintre variantele din listă.",
    repeated: "Apare de două ori: ștergeți repetiția.",
    not_date: "Scrieți un an, de exemplu 2023.",
    end_before_start: "Sfârșitul este înaintea începutului: alegeți același an sau unul mai târziu.",
    not_amount: "Scrieți suma ca număr, de exemplu 77400.",
    no_currency: "Alegeți moneda sumei.",
    no_budget: "Dați o sumă cu moneda ei sau o notă despre buget.",
    not_email: "Scrieți o adresă de e-mail, de exemplu nume@biblioteca.ro.",
    not_url: "Scrieți adresa completă, care începe cu https://.",
    reserved: "Acest câmp îl completează administratorii după verificare: lăsați-l gol.",
};

static UK: Messages = Messages {
    empty: "Це поле обов'язкове.",
    too_long: "Задовгий текст: щонайбільше {n} символів.",
    line_break: "Напишіть це в один рядок.",
    too_few: "Виберіть або додайте щонайменше {n}.",
    too_many: "Забагато: щонайбільше {n}.",
    unknown: "Виберіть варіант зі списку.",
    repeated: "Це вказано двічі: приберіть повтор.",
    not_date: "Напишіть рік, наприклад 2023.",
    end_before_start: "Кінець раніше за початок: виберіть той самий рік або пізніший.",
    not_amount: "Напишіть суму числом, наприклад 77400.",
    no_currency: "Виберіть валюту суми.",
    no_budget: "Вкажіть суму з валютою або примітку про бюджет.",
    not_email: "Напишіть адресу електронної пошти, наприклад name@library.ua.",
    not_url: "Напишіть повну адресу, що починається з https://.",
    reserved: "Це поле заповнюють модератори після перевірки: залиште його порожнім.",
};

static RU: Messages = Messages {
    empty: "Это поле обязательно.",
    too_long: "Слишком длинный текст: не больше {n} символов.",
    line_break: "Напишите это в одну строку.",
    too_few: "Выберите или добавьте хотя бы {n}.",
    too_many: "Слишком много: не больше {n}.",
    unknown: "Выберите вариант из списка.",
    repeated: "Это указано дважды: уберите повтор.",
    not_date: "Напишите год, например 2023.",
    end_before_start: "Конец раньше начала: выберите тот же год или более поздний.",
    not_amount: "Напишите сумму числом, например 77400.",
    no_currency: "Выберите валюту суммы.",
    no_budget: "Укажите сумму с валютой или примечание о бюджете.",
    not_email: "Напишите адрес электронной почты, например name@library.md.",
    not_url: "Напишите полный адрес, начинающийся с https://.",
    reserved: "Это поле заполняют модераторы после проверки: оставьте его пустым.",
};

static EL: Messages = Messages {
    empty: "Αυτό το πεδίο είναι υποχρεωτικό.",
    too_long: "Το κείμενο είναι πολύ μεγάλο: το πολύ {n} χαρακτήρες.",
    line_break: "Γράψτε το σε μία γραμμή.",
    too_few: "Επιλέξτε ή προσθέστε τουλάχιστον {n}.",
    too_many: "Είναι πάρα πολλά: το πολύ {n}.",
    unknown: "Επιλέξτε μία από τις επιλογές της λίστας.",
    repeated: "Αναφέρεται δύο φορές: αφαιρέστε την επανάληψη.",
    not_date: "Γράψτε ένα έτος, π.χ. 2023.",
    end_before_start: "Το τέλος είναι πριν από την αρχή: επιλέξτε το ίδιο ή μεταγενέστερο έτος.",
    not_amount: "Γράψτε το ποσό ως αριθμό, π.χ. 77400.",
    no_currency: "Επιλέξτε το νόμισμα του ποσού.",
    no_budget: "Δώστε ένα ποσό με το νόμισμά του ή μια σημείωση για τον προϋπολογισμό.",
    not_email: "Γράψτε μια διεύθυνση email, π.χ. name@library.gr.",
    not_url: "Γράψτε την πλήρη διεύθυνση, που αρχίζει με https://.",
    reserved: "Αυτό το πεδίο το συμπληρώνουν οι διαχειριστές μετά τον έλεγχο: αφήστε το κενό.",
};
