//! Interface strings in every language. Keys are checked at compile time: each language is a
//! value of [`Texts`], so a missing string is a build error, not a blank on screen.
//!
//! The reader's language comes from `localStorage` (their last choice), else the browser's
//! languages, else English; it is provided as a context signal ([`Ui`]).

use leptos::prelude::*;
use model::Lang;

#[cfg(feature = "studio")]
#[path = "studio_i18n.rs"]
mod studio_strings;
#[cfg(feature = "studio")]
pub use studio_strings::{StudioTexts, studio_texts};

/// Every interface string shared by both bundles or used by the reader (the studio bundle uses
/// only some).
#[cfg_attr(not(feature = "reader"), allow(dead_code))]
pub struct Texts {
    pub site_name: &'static str,
    pub nav_search: &'static str,
    pub language: &'static str,
    pub search_heading: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub searching: &'static str,
    pub loading: &'static str,
    pub no_results: &'static str,
    pub no_results_hint: &'static str,
    pub one_result: &'static str,
    /// `{n}` is replaced by the number.
    pub many_results: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_to_search: &'static str,
    pub period: &'static str,
    pub ongoing: &'static str,
    pub countries: &'static str,
    pub places: &'static str,
    pub lead_organisation: &'static str,
    pub partners: &'static str,
    pub funders: &'static str,
    pub budget: &'static str,
    pub audiences: &'static str,
    pub themes: &'static str,
    pub sdgs: &'static str,
    pub reach: &'static str,
    pub participants: &'static str,
    pub libraries: &'static str,
    pub reach_places: &'static str,
    pub links: &'static str,
    pub licence: &'static str,
    pub facts: &'static str,
    pub read_in: &'static str,
    pub original: &'static str,
    pub human_translation: &'static str,
    pub machine_translation: &'static str,
    pub related: &'static str,
    pub filters: &'static str,
    pub facet_country: &'static str,
    pub facet_theme: &'static str,
    pub facet_audience: &'static str,
    pub facet_org_type: &'static str,
    pub facet_lang: &'static str,
    pub facet_year: &'static str,
    pub year_from: &'static str,
    pub year_to: &'static str,
    pub any_year: &'static str,
    pub sort: &'static str,
    pub sort_relevance: &'static str,
    pub sort_newest: &'static str,
    pub active_filters: &'static str,
    pub remove_filter: &'static str,
    pub clear_filters: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pages: &'static str,
    pub show_more: &'static str,
    pub show_fewer: &'static str,
    pub print: &'static str,
    pub share: &'static str,
    pub copied: &'static str,
    pub qr_alt: &'static str,
    pub downloads: &'static str,
    pub feed: &'static str,
    pub main_menu: &'static str,
    pub nav_submit: &'static str,
    pub nav_admin: &'static str,
    pub skip: &'static str,
    pub offline_banner: &'static str,
    pub save_offline: &'static str,
    pub saved_offline: &'static str,
    pub save_failed: &'static str,
    pub low_data: &'static str,
    pub offline_search: &'static str,
    /// January to December, for dates.
    pub months: [&'static str; 12],
    pub rural: &'static str,
    pub small_town: &'static str,
    pub urban: &'static str,
}

pub static EN: Texts = Texts {
    site_name: "Library case studies",
    nav_search: "Search",
    language: "Language",
    search_heading: "Search the case studies",
    search_label: "Search case studies",
    search_placeholder: "coding club, școală, бібліотека…",
    searching: "Searching…",
    loading: "Loading…",
    no_results: "No case studies found",
    no_results_hint: "Try fewer or other words, or remove a filter. Spelling mistakes and missing diacritics are fine.",
    one_result: "1 case study",
    many_results: "{n} case studies",
    not_found_title: "Page not found",
    not_found_text: "There is no page at this address.",
    back_to_search: "Search the case studies",
    period: "Period",
    ongoing: "ongoing",
    countries: "Countries",
    places: "Places",
    lead_organisation: "Lead organisation",
    partners: "Partners",
    funders: "Funders",
    budget: "Budget",
    audiences: "For whom",
    themes: "Themes",
    sdgs: "Sustainable Development Goals",
    reach: "Reach",
    participants: "participants",
    libraries: "libraries",
    reach_places: "places",
    links: "Links",
    licence: "Licence",
    facts: "Facts",
    read_in: "Read in",
    original: "original",
    human_translation: "translated by a person",
    machine_translation: "machine translation",
    related: "Related case studies",
    filters: "Filters",
    facet_country: "Country",
    facet_theme: "Theme",
    facet_audience: "For whom",
    facet_org_type: "Organisation type",
    facet_lang: "Written in",
    facet_year: "Years",
    year_from: "From",
    year_to: "To",
    any_year: "any",
    sort: "Sort by",
    sort_relevance: "relevance",
    sort_newest: "newest first",
    active_filters: "Active filters",
    remove_filter: "Remove filter",
    clear_filters: "Clear all filters",
    previous: "Previous",
    next: "Next",
    pages: "Pages",
    show_more: "Show more",
    show_fewer: "Show fewer",
    print: "Print",
    share: "Copy link",
    copied: "Link copied",
    qr_alt: "QR code linking to this case study",
    downloads: "Download the collection",
    feed: "Atom feed of new case studies",
    main_menu: "Main menu",
    nav_submit: "Submit a case study",
    nav_admin: "Maintainers",
    skip: "Skip to content",
    offline_banner: "You are offline. Case studies you have read or saved can still be opened.",
    save_offline: "Save for offline",
    saved_offline: "Saved on this device",
    save_failed: "Could not save; try again when online",
    low_data: "Save data (no images, fewer results per page)",
    offline_search: "Search needs a connection. Saved case studies are listed below.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    rural: "rural",
    small_town: "small town",
    urban: "urban",
};

pub static RO: Texts = Texts {
    site_name: "Studii de caz pentru biblioteci",
    nav_search: "Căutare",
    language: "Limba",
    search_heading: "Caută în studiile de caz",
    search_label: "Caută studii de caz",
    search_placeholder: "club de programare, școală, бібліотека…",
    searching: "Se caută…",
    loading: "Se încarcă…",
    no_results: "Niciun studiu de caz găsit",
    no_results_hint: "Încercați mai puține cuvinte sau altele, ori renunțați la un filtru. Greșelile de scriere și lipsa diacriticelor nu contează.",
    one_result: "1 studiu de caz",
    many_results: "{n} studii de caz",
    not_found_title: "Pagina nu a fost găsită",
    not_found_text: "Nu există nicio pagină la această adresă.",
    back_to_search: "Caută în studiile de caz",
    period: "Perioada",
    ongoing: "în desfășurare",
    countries: "Țări",
    places: "Locuri",
    lead_organisation: "Organizația coordonatoare",
    partners: "Parteneri",
    funders: "Finanțatori",
    budget: "Buget",
    audiences: "Pentru cine",
    themes: "Teme",
    sdgs: "Obiective de dezvoltare durabilă",
    reach: "Amploare",
    participants: "participanți",
    libraries: "biblioteci",
    reach_places: "localități",
    links: "Legături",
    licence: "Licență",
    facts: "Date",
    read_in: "Citiți în",
    original: "original",
    human_translation: "tradus de o persoană",
    machine_translation: "traducere automată",
    related: "Studii de caz înrudite",
    filters: "Filtre",
    facet_country: "Țara",
    facet_theme: "Tema",
    facet_audience: "Pentru cine",
    facet_org_type: "Tipul organizației",
    facet_lang: "Scris în",
    facet_year: "Ani",
    year_from: "De la",
    year_to: "Până la",
    any_year: "oricare",
    sort: "Ordonează după",
    sort_relevance: "relevanță",
    sort_newest: "cele mai noi",
    active_filters: "Filtre active",
    remove_filter: "Elimină filtrul",
    clear_filters: "Elimină toate filtrele",
    previous: "Înapoi",
    next: "Înainte",
    pages: "Pagini",
    show_more: "Arată mai multe",
    show_fewer: "Arată mai puține",
    print: "Tipărește",
    share: "Copiază linkul",
    copied: "Link copiat",
    qr_alt: "Cod QR către acest studiu de caz",
    downloads: "Descarcă colecția",
    feed: "Flux Atom cu studii noi",
    main_menu: "Meniu principal",
    nav_submit: "Trimite un studiu de caz",
    nav_admin: "Administratori",
    skip: "Salt la conținut",
    offline_banner: "Sunteți offline. Studiile de caz citite sau salvate pot fi deschise în continuare.",
    save_offline: "Salvează pentru offline",
    saved_offline: "Salvat pe acest dispozitiv",
    save_failed: "Nu s-a putut salva; reîncercați când sunteți online",
    low_data: "Economisire date (fără imagini, mai puține rezultate pe pagină)",
    offline_search: "Căutarea are nevoie de conexiune. Studiile salvate sunt mai jos.",
    months: [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ],
    rural: "rural",
    small_town: "oraș mic",
    urban: "urban",
};

pub static UK: Texts = Texts {
    site_name: "Кейси бібліотек",
    nav_search: "Пошук",
    language: "Мова",
    search_heading: "Пошук у кейсах",
    search_label: "Шукати кейси",
    search_placeholder: "клуб програмування, școală, бібліотека…",
    searching: "Пошук…",
    loading: "Завантаження…",
    no_results: "Кейсів не знайдено",
    no_results_hint: "Спробуйте менше слів або інші слова чи приберіть фільтр. Помилки та відсутність діакритики не заважають.",
    one_result: "1 кейс",
    many_results: "Кейсів: {n}",
    not_found_title: "Сторінку не знайдено",
    not_found_text: "За цією адресою немає сторінки.",
    back_to_search: "Пошук у кейсах",
    period: "Період",
    ongoing: "триває",
    countries: "Країни",
    places: "Місця",
    lead_organisation: "Провідна організація",
    partners: "Партнери",
    funders: "Фінансування",
    budget: "Бюджет",
    audiences: "Для кого",
    themes: "Теми",
    sdgs: "Цілі сталого розвитку",
    reach: "Охоплення",
    participants: "учасників",
    libraries: "бібліотек",
    reach_places: "населених пунктів",
    links: "Посилання",
    licence: "Ліцензія",
    facts: "Факти",
    read_in: "Читати",
    original: "оригінал",
    human_translation: "переклад людиною",
    machine_translation: "машинний переклад",
    related: "Схожі кейси",
    filters: "Фільтри",
    facet_country: "Країна",
    facet_theme: "Тема",
    facet_audience: "Для кого",
    facet_org_type: "Тип організації",
    facet_lang: "Мова тексту",
    facet_year: "Роки",
    year_from: "Від",
    year_to: "До",
    any_year: "будь-який",
    sort: "Сортувати",
    sort_relevance: "релевантністю",
    sort_newest: "спершу нові",
    active_filters: "Активні фільтри",
    remove_filter: "Прибрати фільтр",
    clear_filters: "Прибрати всі фільтри",
    previous: "Назад",
    next: "Далі",
    pages: "Сторінки",
    show_more: "Показати більше",
    show_fewer: "Показати менше",
    print: "Друкувати",
    share: "Копіювати посилання",
    copied: "Посилання скопійовано",
    qr_alt: "QR-код із посиланням на цей кейс",
    downloads: "Завантажити колекцію",
    feed: "Atom-стрічка нових кейсів",
    main_menu: "Головне меню",
    nav_submit: "Надіслати кейс",
    nav_admin: "Модератори",
    skip: "Перейти до змісту",
    offline_banner: "Ви офлайн. Прочитані або збережені кейси можна відкрити й далі.",
    save_offline: "Зберегти для офлайну",
    saved_offline: "Збережено на цьому пристрої",
    save_failed: "Не вдалося зберегти; спробуйте, коли будете онлайн",
    low_data: "Економія трафіку (без зображень, менше результатів)",
    offline_search: "Для пошуку потрібен зв'язок. Збережені кейси — нижче.",
    months: [
        "січень",
        "лютий",
        "березень",
        "квітень",
        "травень",
        "червень",
        "липень",
        "серпень",
        "вересень",
        "жовтень",
        "листопад",
        "грудень",
    ],
    rural: "село",
    small_town: "невелике місто",
    urban: "місто",
};

pub static RU: Texts = Texts {
    site_name: "Кейсы библиотек",
    nav_search: "Поиск",
    language: "Язык",
    search_heading: "Поиск по кейсам",
    search_label: "Искать кейсы",
    search_placeholder: "клуб программирования, școală, бібліотека…",
    searching: "Поиск…",
    loading: "Загрузка…",
    no_results: "Кейсы не найдены",
    no_results_hint: "Попробуйте меньше слов или другие слова либо уберите фильтр. Опечатки и отсутствие диакритики не мешают.",
    one_result: "1 кейс",
    many_results: "Кейсов: {n}",
    not_found_title: "Страница не найдена",
    not_found_text: "По этому адресу нет страницы.",
    back_to_search: "Поиск по кейсам",
    period: "Период",
    ongoing: "продолжается",
    countries: "Страны",
    places: "Места",
    lead_organisation: "Ведущая организация",
    partners: "Партнёры",
    funders: "Финансирование",
    budget: "Бюджет",
    audiences: "Для кого",
    themes: "Темы",
    sdgs: "Цели устойчивого развития",
    reach: "Охват",
    participants: "участников",
    libraries: "библиотек",
    reach_places: "населённых пунктов",
    links: "Ссылки",
    licence: "Лицензия",
    facts: "Факты",
    read_in: "Читать",
    original: "оригинал",
    human_translation: "перевод человеком",
    machine_translation: "машинный перевод",
    related: "Похожие кейсы",
    filters: "Фильтры",
    facet_country: "Страна",
    facet_theme: "Тема",
    facet_audience: "Для кого",
    facet_org_type: "Тип организации",
    facet_lang: "Язык текста",
    facet_year: "Годы",
    year_from: "С",
    year_to: "По",
    any_year: "любой",
    sort: "Сортировать",
    sort_relevance: "релевантности",
    sort_newest: "сначала новые",
    active_filters: "Активные фильтры",
    remove_filter: "Убрать фильтр",
    clear_filters: "Убрать все фильтры",
    previous: "Назад",
    next: "Далее",
    pages: "Страницы",
    show_more: "Показать больше",
    show_fewer: "Показать меньше",
    print: "Печать",
    share: "Копировать ссылку",
    copied: "Ссылка скопирована",
    qr_alt: "QR-код со ссылкой на этот кейс",
    downloads: "Скачать коллекцию",
    feed: "Atom-лента новых кейсов",
    main_menu: "Главное меню",
    nav_submit: "Отправить кейс",
    nav_admin: "Модераторы",
    skip: "Перейти к содержанию",
    offline_banner: "Вы офлайн. Прочитанные или сохранённые кейсы можно открыть и дальше.",
    save_offline: "Сохранить для офлайна",
    saved_offline: "Сохранено на этом устройстве",
    save_failed: "Не удалось сохранить; попробуйте, когда будете онлайн",
    low_data: "Экономия трафика (без изображений, меньше результатов)",
    offline_search: "Для поиска нужна связь. Сохранённые кейсы — ниже.",
    months: [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    rural: "село",
    small_town: "небольшой город",
    urban: "город",
};

pub static EL: Texts = Texts {
    site_name: "Μελέτες περίπτωσης βιβλιοθηκών",
    nav_search: "Αναζήτηση",
    language: "Γλώσσα",
    search_heading: "Αναζήτηση στις μελέτες περίπτωσης",
    search_label: "Αναζήτηση μελετών περίπτωσης",
    search_placeholder: "όμιλος προγραμματισμού, școală, бібліотека…",
    searching: "Αναζήτηση…",
    loading: "Φόρτωση…",
    no_results: "Δεν βρέθηκαν μελέτες περίπτωσης",
    no_results_hint: "Δοκιμάστε λιγότερες ή άλλες λέξεις ή αφαιρέστε ένα φίλτρο. Τα ορθογραφικά λάθη και οι τόνοι δεν πειράζουν.",
    one_result: "1 μελέτη περίπτωσης",
    many_results: "{n} μελέτες περίπτωσης",
    not_found_title: "Η σελίδα δεν βρέθηκε",
    not_found_text: "Δεν υπάρχει σελίδα σε αυτή τη διεύθυνση.",
    back_to_search: "Αναζήτηση στις μελέτες περίπτωσης",
    period: "Περίοδος",
    ongoing: "σε εξέλιξη",
    countries: "Χώρες",
    places: "Τόποι",
    lead_organisation: "Επικεφαλής οργανισμός",
    partners: "Εταίροι",
    funders: "Χρηματοδότες",
    budget: "Προϋπολογισμός",
    audiences: "Για ποιους",
    themes: "Θέματα",
    sdgs: "Στόχοι βιώσιμης ανάπτυξης",
    reach: "Εμβέλεια",
    participants: "συμμετέχοντες",
    libraries: "βιβλιοθήκες",
    reach_places: "τόποι",
    links: "Σύνδεσμοι",
    licence: "Άδεια",
    facts: "Στοιχεία",
    read_in: "Ανάγνωση στα",
    original: "πρωτότυπο",
    human_translation: "μετάφραση από άνθρωπο",
    machine_translation: "αυτόματη μετάφραση",
    related: "Σχετικές μελέτες περίπτωσης",
    filters: "Φίλτρα",
    facet_country: "Χώρα",
    facet_theme: "Θέμα",
    facet_audience: "Για ποιους",
    facet_org_type: "Τύπος οργανισμού",
    facet_lang: "Γλώσσα κειμένου",
    facet_year: "Έτη",
    year_from: "Από",
    year_to: "Έως",
    any_year: "οποιοδήποτε",
    sort: "Ταξινόμηση",
    sort_relevance: "συνάφεια",
    sort_newest: "νεότερα πρώτα",
    active_filters: "Ενεργά φίλτρα",
    remove_filter: "Αφαίρεση φίλτρου",
    clear_filters: "Καθαρισμός φίλτρων",
    previous: "Προηγούμενη",
    next: "Επόμενη",
    pages: "Σελίδες",
    show_more: "Περισσότερα",
    show_fewer: "Λιγότερα",
    print: "Εκτύπωση",
    share: "Αντιγραφή συνδέσμου",
    copied: "Ο σύνδεσμος αντιγράφηκε",
    qr_alt: "Κωδικός QR προς αυτή τη μελέτη περίπτωσης",
    downloads: "Λήψη της συλλογής",
    feed: "Ροή Atom νέων μελετών",
    main_menu: "Κύριο μενού",
    nav_submit: "Υποβολή μελέτης",
    nav_admin: "Διαχειριστές",
    skip: "Μετάβαση στο περιεχόμενο",
    offline_banner: "Είστε εκτός σύνδεσης. Όσες μελέτες έχετε διαβάσει ή αποθηκεύσει ανοίγουν κανονικά.",
    save_offline: "Αποθήκευση για εκτός σύνδεσης",
    saved_offline: "Αποθηκεύτηκε σε αυτή τη συσκευή",
    save_failed: "Η αποθήκευση απέτυχε· δοκιμάστε ξανά όταν είστε συνδεδεμένοι",
    low_data: "Εξοικονόμηση δεδομένων (χωρίς εικόνες, λιγότερα αποτελέσματα)",
    offline_search: "Η αναζήτηση χρειάζεται σύνδεση. Οι αποθηκευμένες μελέτες είναι παρακάτω.",
    months: [
        "Ιανουάριος",
        "Φεβρουάριος",
        "Μάρτιος",
        "Απρίλιος",
        "Μάιος",
        "Ιούνιος",
        "Ιούλιος",
        "Αύγουστος",
        "Σεπτέμβριος",
        "Οκτώβριος",
        "Νοέμβριος",
        "Δεκέμβριος",
    ],
    rural: "αγροτική περιοχή",
    small_town: "μικρή πόλη",
    urban: "πόλη",
};

/// The strings for `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ro => &RO,
        Lang::Uk => &UK,
        Lang::Ru => &RU,
        Lang::El => &EL,
    }
}

/// The reader's interface language, shared by every page.
#[derive(Clone, Copy)]
pub struct Ui(pub RwSignal<Lang>);

impl Ui {
    pub fn get(self) -> Lang {
        self.0.get()
    }

    #[cfg(feature = "studio")]
    pub fn get_untracked(self) -> Lang {
        self.0.get_untracked()
    }

    pub fn t(self) -> &'static Texts {
        texts(self.0.get())
    }

    #[cfg(feature = "studio")]
    pub fn s(self) -> &'static StudioTexts {
        studio_texts(self.0.get())
    }
}

const STORAGE_KEY: &str = "ui-language";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered choice, else the first of the browser's languages we speak, else English.
pub fn initial_language() -> Lang {
    if let Some(lang) =
        storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).and_then(|code| code.parse().ok())
    {
        return lang;
    }
    let navigator = web_sys::window().map(|w| w.navigator());
    let languages: Vec<String> =
        navigator.map(|n| n.languages().iter().filter_map(|v| v.as_string()).collect()).unwrap_or_default();
    languages
        .iter()
        .find_map(|tag| tag.split('-').next().and_then(|code| code.to_lowercase().parse().ok()))
        .unwrap_or(Lang::En)
}

/// Switches the interface language and remembers the choice.
pub fn choose_language(ui: Ui, lang: Lang) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.code());
    }
    ui.0.set(lang);
}

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

/// A number with the language's digit grouping: 885,000 (en), 885.000 (ro, el), 885 000 (uk, ru).
#[cfg_attr(not(feature = "reader"), allow(dead_code))]
pub fn format_number(amount: f64, lang: Lang) -> String {
    let (group, decimal) = match lang {
        Lang::En => (',', '.'),
        Lang::Ro | Lang::El => ('.', ','),
        Lang::Uk | Lang::Ru => ('\u{a0}', ','),
    };
    let whole = amount.trunc() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    let cents = ((amount - amount.trunc()) * 100.0).round() as u64;
    if cents > 0 {
        out.push(decimal);
        if cents < 10 {
            out.push('0');
        }
        out.push_str(&cents.to_string());
    }
    out
}

/// A period in words: "January 2018 – December 2023", "2020 – ongoing".
#[cfg_attr(not(feature = "reader"), allow(dead_code))]
pub fn format_period(period: &model::case::Period, lang: Lang) -> String {
    let t = texts(lang);
    let date = |text: &str| match model::case::parse_year_month(text) {
        Some((year, Some(month))) => format!("{} {year}", t.months[usize::from(month) - 1]),
        Some((year, None)) => year.to_string(),
        None => text.to_owned(),
    };
    match (&period.end, period.ongoing) {
        (Some(end), _) if *end != period.start => format!("{} – {}", date(&period.start), date(end)),
        (None, true) => format!("{} – {}", date(&period.start), t.ongoing),
        _ => date(&period.start),
    }
}

/// `{n}` in `template` replaced by `n`, grouped for `lang`.
#[cfg_attr(not(feature = "reader"), allow(dead_code))]
pub fn count(template: &str, n: u64, lang: Lang) -> String {
    template.replace("{n}", &format_number(n as f64, lang))
}
