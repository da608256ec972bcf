//! `/overview`: the collection at a glance — a map of the cases by country, a timeline of their
//! periods, and counts by theme, audience, organisation type, funder and language.
//!
//! Everything is drawn here, on the server, as SVG and HTML: no tiles, no third-party request,
//! no script, so the page reads offline and prints. Each chart has its equivalent as a table
//! (under "As a table") with the same figures and links, for screen readers and keyboards.
//!
//! The map's outlines are Natural Earth's 1:50m countries (public domain), projected and
//! simplified once by `app/map/make.py` into `app/map/europe.txt`: one line a country, its
//! ISO code, where its count goes, and its outline as SVG path data in the 640 × 560 frame.

use super::document::{Head, document};
use crate::i18n::{format_number, texts};
use crate::site::{Islands, Visit};
use leptos::prelude::*;
use model::Lang;
use model::api::{SearchParams, VocabularyView};

/// The outlines, as `app/map/make.py` wrote them.
const OUTLINES: &str = include_str!("../../map/europe.txt");
/// The map's frame, in the outlines' pixels.
const MAP_WIDTH: u32 = 640;
const MAP_HEIGHT: u32 = 560;
/// Past this many cases the timeline shows how many cases ran each year instead of one bar a case.
pub const TIMELINE_CASES: usize = 150;

/// One case as the overview counts and draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct OverviewCase {
    pub slug: String,
    /// In the reader's language where the case has it, else in its original language.
    pub title: String,
    pub countries: Vec<String>,
    pub themes: Vec<String>,
    pub audiences: Vec<String>,
    pub org_type: String,
    pub funders: Vec<String>,
    pub langs: Vec<Lang>,
    pub start: u16,
    /// `None` for a case still running.
    pub end: Option<u16>,
}

/// The collection as the overview shows it.
pub struct OverviewPage {
    /// Labels in the reader's language.
    pub vocabulary: VocabularyView,
    /// Every case, oldest first.
    pub cases: Vec<OverviewCase>,
    /// The year ongoing cases run to.
    pub this_year: u16,
}

/// The overview's own strings.
struct OverviewTexts {
    nav: &'static str,
    title: &'static str,
    /// "{n}" cases, "{c}" countries, "{from}"–"{to}".
    intro: &'static str,
    map_heading: &'static str,
    map_label: &'static str,
    map_elsewhere: &'static str,
    map_credit: &'static str,
    timeline_heading: &'static str,
    timeline_label: &'static str,
    timeline_per_year: &'static str,
    counts_heading: &'static str,
    funders: &'static str,
    as_table: &'static str,
    country: &'static str,
    cases: &'static str,
    case: &'static str,
    from: &'static str,
    to: &'static str,
    year: &'static str,
    /// A country of the map: "{country}" and its "{n}" cases.
    country_cases: &'static str,
}

const EN: OverviewTexts = OverviewTexts {
    nav: "Overview",
    title: "The collection at a glance",
    intro: "{n} case studies from {c} countries, {from}–{to}.",
    map_heading: "Where the cases are",
    map_label: "Map of Europe: each country with case studies is a link to them, with their number",
    map_elsewhere: "Countries beyond the map",
    map_credit: "Country outlines: Natural Earth (public domain).",
    timeline_heading: "When they ran",
    timeline_label: "Timeline: each case study as a bar from its first to its last year",
    timeline_per_year: "Case studies running each year",
    counts_heading: "What they are about",
    funders: "Funder",
    as_table: "As a table",
    country: "Country",
    cases: "Case studies",
    case: "Case study",
    from: "From",
    to: "To",
    year: "Year",
    country_cases: "{country}: {n} case studies",
};

const RO: OverviewTexts = OverviewTexts {
    nav: "Privire de ansamblu",
    title: "Colecția pe scurt",
    intro: "{n} studii de caz din {c} țări, {from}–{to}.",
    map_heading: "Unde sunt studiile de caz",
    map_label: "Harta Europei: fiecare țară cu studii de caz este un link către ele, cu numărul lor",
    map_elsewhere: "Țări din afara hărții",
    map_credit: "Contururile țărilor: Natural Earth (domeniu public).",
    timeline_heading: "Când s-au desfășurat",
    timeline_label: "Cronologie: fiecare studiu de caz ca o bară de la primul la ultimul an",
    timeline_per_year: "Studii de caz în desfășurare în fiecare an",
    counts_heading: "Despre ce sunt",
    funders: "Finanțator",
    as_table: "Ca tabel",
    country: "Țara",
    cases: "Studii de caz",
    case: "Studiu de caz",
    from: "De la",
    to: "Până la",
    year: "Anul",
    country_cases: "{country}: {n} studii de caz",
};

const UK: OverviewTexts = OverviewTexts {
    nav: "Огляд",
    title: "Колекція з першого погляду",
    intro: "Кейсів: {n}, країн: {c}, {from}–{to}.",
    map_heading: "Де відбувалися кейси",
    map_label: "Мапа Європи: кожна країна з кейсами — посилання на них, з їхньою кількістю",
    map_elsewhere: "Країни поза мапою",
    map_credit: "Контури країн: Natural Earth (суспільне надбання).",
    timeline_heading: "Коли вони тривали",
    timeline_label: "Хронологія: кожен кейс як смуга від першого до останнього року",
    timeline_per_year: "Кейси, що тривали в кожному році",
    counts_heading: "Про що вони",
    funders: "Фінансувальник",
    as_table: "Як таблиця",
    country: "Країна",
    cases: "Кейси",
    case: "Кейс",
    from: "Від",
    to: "До",
    year: "Рік",
    country_cases: "{country} — кейсів: {n}",
};

const RU: OverviewTexts = OverviewTexts {
    nav: "Обзор",
    title: "Коллекция с первого взгляда",
    intro: "Кейсов: {n}, стран: {c}, {from}–{to}.",
    map_heading: "Где проходили кейсы",
    map_label: "Карта Европы: каждая страна с кейсами — ссылка на них, с их числом",
    map_elsewhere: "Страны за пределами карты",
    map_credit: "Контуры стран: Natural Earth (общественное достояние).",
    timeline_heading: "Когда они проходили",
    timeline_label: "Хронология: каждый кейс как полоса от первого до последнего года",
    timeline_per_year: "Кейсы, проходившие в каждом году",
    counts_heading: "О чём они",
    funders: "Финансирующая организация",
    as_table: "В виде таблицы",
    country: "Страна",
    cases: "Кейсы",
    case: "Кейс",
    from: "С",
    to: "По",
    year: "Год",
    country_cases: "{country} — кейсов: {n}",
};

const EL: OverviewTexts = OverviewTexts {
    nav: "Επισκόπηση",
    title: "Η συλλογή με μια ματιά",
    intro: "{n} μελέτες περίπτωσης από {c} χώρες, {from}–{to}.",
    map_heading: "Πού βρίσκονται οι μελέτες",
    map_label: "Χάρτης της Ευρώπης: κάθε χώρα με μελέτες είναι σύνδεσμος προς αυτές, με τον αριθμό τους",
    map_elsewhere: "Χώρες εκτός χάρτη",
    map_credit: "Περιγράμματα χωρών: Natural Earth (κοινό κτήμα).",
    timeline_heading: "Πότε έγιναν",
    timeline_label: "Χρονολόγιο: κάθε μελέτη ως μπάρα από το πρώτο έως το τελευταίο έτος της",
    timeline_per_year: "Μελέτες σε εξέλιξη κάθε έτος",
    counts_heading: "Με τι ασχολούνται",
    funders: "Χρηματοδότης",
    as_table: "Ως πίνακας",
    country: "Χώρα",
    cases: "Μελέτες",
    case: "Μελέτη",
    from: "Από",
    to: "Έως",
    year: "Έτος",
    country_cases: "{country}: {n} μελέτες",
};

fn overview_texts(lang: Lang) -> &'static OverviewTexts {
    lang.pick([&EN, &RO, &UK, &RU, &EL])
}

/// The header's link to this page, in `lang`.
pub fn nav_label(lang: Lang) -> &'static str {
    overview_texts(lang).nav
}

/// Values and how many cases have each, most first (ties by label).
fn tally<'a>(values: impl Iterator<Item = &'a str>, label: impl Fn(&str) -> String) -> Vec<(String, String, u64)> {
    let mut counts = std::collections::BTreeMap::<&str, u64>::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    let mut out: Vec<(String, String, u64)> =
        counts.into_iter().map(|(value, n)| (value.to_owned(), label(value), n)).collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    out
}

/// The search for cases with `value` in `facet`.
fn search_href(set: impl FnOnce(&mut SearchParams)) -> String {
    let mut params = SearchParams::default();
    set(&mut params);
    params.href()
}

pub fn page(visit: &Visit, overview: &OverviewPage) -> impl IntoView + use<> {
    let (ui, t, o) = (visit.ui, texts(visit.ui), overview_texts(visit.ui));
    let number = move |n: u64| format_number(n as f64, ui);
    let cases = &overview.cases;
    let countries =
        tally(cases.iter().flat_map(|c| c.countries.iter().map(String::as_str)), |id| overview.vocabulary.label(id));
    let from = cases.iter().map(|c| c.start).min().unwrap_or(overview.this_year);
    let to = cases.iter().map(|c| c.end.unwrap_or(overview.this_year)).max().unwrap_or(overview.this_year).max(from);
    let intro = o
        .intro
        .replace("{n}", &number(cases.len() as u64))
        .replace("{c}", &number(countries.len() as u64))
        .replace("{from}", &from.to_string())
        .replace("{to}", &to.to_string());

    let head = Head { title: o.title.into(), description: intro.clone(), noindex: false };
    let main = view! {
        <article class="overview">
            <h1>{o.title}</h1>
            <p class="intro">{intro}</p>
            {map(ui, o, &countries)}
            {timeline(o, t.ongoing, overview, from, to)}
            <section aria-labelledby="counts-heading">
                <h2 id="counts-heading">{o.counts_heading}</h2>
                <div class="tallies">
                    {bars(t.facet_theme, tally(cases.iter().flat_map(|c| c.themes.iter().map(String::as_str)), |id| overview.vocabulary.label(id)), ui, |p, v| p.theme = vec![v.to_owned()])}
                    {bars(t.facet_audience, tally(cases.iter().flat_map(|c| c.audiences.iter().map(String::as_str)), |id| overview.vocabulary.label(id)), ui, |p, v| p.audience = vec![v.to_owned()])}
                    {bars(t.facet_org_type, tally(cases.iter().map(|c| c.org_type.as_str()), |id| overview.vocabulary.label(id)), ui, |p, v| p.org_type = vec![v.to_owned()])}
                    {bars(o.funders, tally(cases.iter().flat_map(|c| c.funders.iter().map(String::as_str)), str::to_owned), ui, |_, _| ())}
                    {bars(t.facet_lang, tally(cases.iter().flat_map(|c| c.langs.iter().map(|l| l.code())), |code| code.parse::<Lang>().map_or_else(|_| code.to_owned(), |l| l.native_name().to_owned())), ui, |p, v| p.lang = v.parse().into_iter().collect())}
                </div>
            </section>
        </article>
    };
    document(visit, Islands::Reader, head, (), main)
}

/// The map: every country of the frame, those with cases shaded by their number, each a link to
/// its cases with the number on it; then the same as a table, with the countries beyond the frame.
fn map(ui: Lang, o: &'static OverviewTexts, countries: &[(String, String, u64)]) -> impl IntoView + use<> {
    let most = countries.iter().map(|c| c.2).max().unwrap_or(1);
    let mut shapes = Vec::new();
    let mut labels = Vec::new();
    let mut drawn = std::collections::HashSet::new();
    for line in OUTLINES.lines() {
        let mut parts = line.splitn(4, ' ');
        let (Some(code), Some(x), Some(y), Some(path)) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        match countries.iter().find(|c| c.0 == code) {
            None => shapes.push(view! { <path class="land" d=path.to_owned()/> }.into_any()),
            Some((code, label, n)) => {
                drawn.insert(code.clone());
                // Four shades, by the share of the largest count: the largest is always the darkest.
                let shade = (4 * n).div_ceil(most).clamp(1, 4);
                let name = o.country_cases.replace("{country}", label).replace("{n}", &format_number(*n as f64, ui));
                let href = search_href(|p| p.country = vec![code.clone()]);
                shapes.push(
                    view! {
                        <a href=href.clone() aria-label=name.clone()>
                            <title>{name.clone()}</title>
                            <path class=format!("has-cases shade-{shade}") d=path.to_owned()/>
                        </a>
                    }
                    .into_any(),
                );
                if let (Ok(x), Ok(y)) = (x.parse::<i32>(), y.parse::<i32>()) {
                    labels.push(view! {
                        <g class="map-count" aria-hidden="true">
                            <circle cx=x cy=y r="11"/>
                            <text x=x y=y dy="0.35em">{n.to_string()}</text>
                        </g>
                    });
                }
            }
        }
    }
    let elsewhere: Vec<_> = countries.iter().filter(|c| !drawn.contains(&c.0)).cloned().collect();
    let rows = countries
        .iter()
        .map(|(code, label, n)| {
            let href = search_href(|p| p.country = vec![code.clone()]);
            view! { <tr><th scope="row"><a href=href>{label.clone()}</a></th><td>{format_number(*n as f64, ui)}</td></tr> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="map-heading">
            <h2 id="map-heading">{o.map_heading}</h2>
            <figure class="map">
                <svg viewBox=format!("0 0 {MAP_WIDTH} {MAP_HEIGHT}") role="group" aria-label=o.map_label>
                    {shapes}
                    {labels}
                </svg>
                <figcaption>{o.map_credit}</figcaption>
            </figure>
            {(!elsewhere.is_empty()).then(|| view! {
                <p>{o.map_elsewhere} ": "
                    {elsewhere.into_iter().enumerate().map(|(i, (code, label, n))| view! {
                        {(i > 0).then_some(", ")}
                        <a href=search_href(|p| p.country = vec![code.clone()])>{label}</a> {format!(" ({n})")}
                    }).collect_view()}
                </p>
            })}
            <details class="as-table">
                <summary>{o.as_table}</summary>
                <table>
                    <thead><tr><th scope="col">{o.country}</th><th scope="col">{o.cases}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </section>
    }
}

/// The timeline: one bar a case from its first to its last year (open-ended, fading out, while
/// it runs), or past [`TIMELINE_CASES`] the number running each year; then the same as a table.
fn timeline(
    o: &'static OverviewTexts,
    ongoing: &'static str,
    overview: &OverviewPage,
    from: u16,
    to: u16,
) -> impl IntoView + use<> {
    const LEFT: u32 = 8;
    const WIDTH: u32 = 624;
    const ROW: u32 = 30;
    const AXIS: u32 = 24;
    let span = u32::from(to - from) + 1;
    let x = move |year: u16| LEFT + (u32::from(year - from) * WIDTH) / span;
    let ticks = (from..=to)
        .filter(|year| span <= 12 || year % 5 == 0)
        .map(|year| {
            view! {
                <g class="tick">
                    <line x1=x(year) x2=x(year) y1="0" y2="100%"/>
                    <text x=x(year) + 2 y="14">{year.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let cases = &overview.cases;
    let chart = if cases.len() <= TIMELINE_CASES {
        let height = AXIS + ROW * cases.len() as u32;
        let rows = cases
            .iter()
            .enumerate()
            .map(|(i, case)| {
                let y = AXIS + ROW * i as u32;
                let end = case.end.unwrap_or(overview.this_year).max(case.start);
                let (left, right) = (x(case.start), x(end) + WIDTH / span);
                let years = match case.end {
                    Some(end) if end != case.start => format!("{}–{end}", case.start),
                    Some(_) => case.start.to_string(),
                    None => format!("{}–", case.start),
                };
                // The years first, so that a long title runs off the chart's edge rather than
                // them; the link's name is its whole visible text (a cut title would not match it).
                let name = format!("{years} · {}", case.title);
                view! {
                    <a href=format!("/case/{}", case.slug)>
                        <title>{name.clone()}</title>
                        <rect class=if case.end.is_none() { "bar ongoing" } else { "bar" } x=left y=y + 15 width=right - left height="9" rx="2"/>
                        <text x=LEFT y=y + 12>{name}</text>
                    </a>
                }
            })
            .collect_view();
        view! {
            <svg viewBox=format!("0 0 640 {height}") class="timeline" role="group" aria-label=o.timeline_label>
                {ticks}
                {rows}
            </svg>
        }
        .into_any()
    } else {
        let running = running_per_year(overview, from, to);
        let most = running.iter().map(|r| r.1).max().unwrap_or(1).max(1);
        let bars = running
            .iter()
            .map(|&(year, n)| {
                let height = (n * 160).div_ceil(most) as u32;
                view! {
                    <rect class="bar" x=x(year) + 1 y=AXIS + 160 - height width=(WIDTH / span).saturating_sub(2).max(1) height=height>
                        <title>{format!("{year}: {n}")}</title>
                    </rect>
                }
            })
            .collect_view();
        view! {
            <p>{o.timeline_per_year}</p>
            <svg viewBox=format!("0 0 640 {}", AXIS + 164) class="timeline" aria-hidden="true">
                {ticks}
                {bars}
            </svg>
        }
        .into_any()
    };
    let table = if cases.len() <= TIMELINE_CASES {
        let rows = cases
            .iter()
            .map(|case| {
                let end = case.end.map_or_else(|| ongoing.to_owned(), |end| end.to_string());
                view! {
                    <tr>
                        <th scope="row"><a href=format!("/case/{}", case.slug)>{case.title.clone()}</a></th>
                        <td>{case.start.to_string()}</td>
                        <td>{end}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table>
                <thead><tr><th scope="col">{o.case}</th><th scope="col">{o.from}</th><th scope="col">{o.to}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    } else {
        let rows = running_per_year(overview, from, to)
            .into_iter()
            .map(|(year, n)| view! { <tr><th scope="row">{year.to_string()}</th><td>{n.to_string()}</td></tr> })
            .collect_view();
        view! {
            <table>
                <thead><tr><th scope="col">{o.year}</th><th scope="col">{o.cases}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{o.timeline_heading}</h2>
            {chart}
            <details class="as-table">
                <summary>{o.as_table}</summary>
                {table}
            </details>
        </section>
    }
}

/// How many cases ran in each year from `from` to `to`.
fn running_per_year(overview: &OverviewPage, from: u16, to: u16) -> Vec<(u16, u64)> {
    let mut counts = vec![0u64; usize::from(to - from) + 1];
    for case in &overview.cases {
        let end = case.end.unwrap_or(overview.this_year).max(case.start).min(to);
        for year in case.start.max(from)..=end {
            counts[usize::from(year - from)] += 1;
        }
    }
    (from..=to).zip(counts).collect()
}

/// One tally as a list of bars: each value (a link to its cases where the search can filter by
/// it), its count as text, and a bar as wide as its share of the largest count. The bar is
/// decoration; the text says it all.
fn bars<F: Fn(&mut SearchParams, &str)>(
    heading: &'static str,
    values: Vec<(String, String, u64)>,
    ui: Lang,
    filter: F,
) -> impl IntoView + use<F> {
    let most = values.iter().map(|v| v.2).max().unwrap_or(1).max(1);
    let items = values
        .into_iter()
        .map(|(value, label, n)| {
            let mut params = SearchParams::default();
            filter(&mut params, &value);
            let name = if params.has_filters() {
                view! { <a href=params.href()>{label}</a> }.into_any()
            } else {
                view! { <span>{label}</span> }.into_any()
            };
            let width = (n * 100).div_ceil(most);
            view! {
                <li>
                    <span class="name">{name}</span>
                    <span class="n">{format_number(n as f64, ui)}</span>
                    <svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect width=width height="8"/>
                    </svg>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="tally">
            <h3>{heading}</h3>
            <ul>{items}</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outline_line_has_a_code_a_label_and_a_path() {
        for line in OUTLINES.lines() {
            let parts: Vec<&str> = line.splitn(4, ' ').collect();
            assert_eq!(parts.len(), 4, "{line}");
            assert!(parts[0].len() == 2 && parts[0].chars().all(|c| c.is_ascii_uppercase()), "{line}");
            assert!(parts[3].starts_with('M') && parts[3].ends_with('z'), "{}", parts[0]);
        }
        for code in ["RO", "MD", "UA", "GR", "IT", "PT", "DK", "GB"] {
            assert!(OUTLINES.lines().any(|line| line.starts_with(&format!("{code} "))), "{code} is not on the map");
        }
    }

    #[test]
    fn a_case_counts_in_every_year_it_ran_and_an_ongoing_one_up_to_this_year() {
        let case = |start, end| OverviewCase {
            slug: String::new(),
            title: String::new(),
            countries: vec![],
            themes: vec![],
            audiences: vec![],
            org_type: String::new(),
            funders: vec![],
            langs: vec![],
            start,
            end,
        };
        let overview = OverviewPage {
            vocabulary: VocabularyView::default(),
            cases: vec![case(2019, Some(2021)), case(2020, None)],
            this_year: 2022,
        };
        assert_eq!(running_per_year(&overview, 2019, 2022), vec![(2019, 1), (2020, 2), (2021, 2), (2022, 1)]);
    }
}
