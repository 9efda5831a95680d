//! Rights content shown on the public pages, per audience. Dutch, written for the reader's age.

/// One block of a rights page: a heading, paragraphs and an optional bullet list.
pub struct Section {
    pub heading: &'static str,
    pub paragraphs: &'static [&'static str],
    pub bullets: &'static [&'static str],
}

/// A rights page for one audience.
pub struct RightsPage {
    pub title: &'static str,
    pub intro: &'static str,
    pub sections: &'static [Section],
    /// Text of the button that leads to the request form.
    pub cta: &'static str,
}

// Sources: /work/shared/CONTEXT.md (seeds 000:742–780, 001:81, 003:155–158,
// 004:206, 004:318–322, 004:396–398, 004:505, 004:1780). What a Jeugdstem
// confidant does, that it is free, and the emergency numbers come from outside
// the seeds (jeugdstem.nl and the organisations themselves); check before launch.
// Plans that are not law yet (e.g. the guardianship evaluation report) are left out on purpose.

/// The page for children from about 7 to 11: short sentences, every hard word explained.
pub static UNDER_12: RightsPage = RightsPage {
    title: "Een vertrouwenspersoon: iemand voor jou",
    intro: "Woon jij in een pleeggezin? Dan mag jij een vertrouwenspersoon hebben. \
            Dat is iemand die naar jou luistert. Hier lees je hoe dat werkt.",
    sections: &[
        Section {
            heading: "Wat is een vertrouwenspersoon?",
            paragraphs: &[
                "Bij Jeugdstem werken vertrouwenspersonen. \
                 Zij werken niet voor je pleeggezin. \
                 Ook niet voor pleegzorg. \
                 Zij zijn er voor jou.",
                "Een vertrouwenspersoon doet dit:",
            ],
            bullets: &[
                "Hij of zij luistert naar jouw verhaal.",
                "Hij of zij vertelt het niet zomaar door.",
                "Hij of zij legt je rechten uit. Rechten zijn regels die elk kind beschermen.",
                "Hij of zij helpt jou zeggen wat jij vindt.",
                "Wil je een klacht geven? Dan helpt hij of zij. Een klacht is: zeggen dat iets niet goed gaat.",
            ],
        },
        Section {
            heading: "Jij beslist",
            paragraphs: &[
                "De vertrouwenspersoon neemt het niet van je over. \
                 Jullie bedenken samen wat je wilt doen.",
                "Het kost niets. Het is gratis.",
                "Je mag het zelf vragen. \
                 Je hoeft niet eerst je pleegouders te vragen. \
                 Ook niet iemand van pleegzorg.",
                "Ken je al iemand die je vertrouwt? \
                 Bijvoorbeeld je opa, je tante of je trainer? \
                 Die kan ook je vertrouwenspersoon zijn.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Blijft het geheim?",
            paragraphs: &[
                "Wat jij vertelt, blijft tussen jullie.",
                "Behalve als er iets gevaarlijks is. \
                 Gevaarlijk voor jou, of voor iemand anders. \
                 Dan moet de vertrouwenspersoon iets doen. \
                 Dat is om jou te beschermen.",
                "Maar eerst praat hij of zij met jou. \
                 Samen kijken jullie wie het moet weten.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Wat gebeurt er als je het formulier stuurt?",
            paragraphs: &[
                "Iemand van Jeugdstem leest jouw bericht. \
                 Dat is een echt mens.",
                "Die neemt contact met je op. \
                 Op de manier die jij kiest. \
                 En op een tijd die jij kiest.",
                "Is het heel dringend? \
                 Dan ben jij als eerste aan de beurt.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Jouw rechten als pleegkind",
            paragraphs: &["Deze rechten heb jij ook:"],
            bullets: &[
                "Je hebt het recht om veilig te zijn. Niemand mag je pijn doen.",
                "Mensen luisteren naar jou. En ze geloven je.",
                "Je pleegzorgbegeleider is de persoon van pleegzorg die jou helpt. \
                 Je mag met hem of haar praten zonder dat je pleegouders erbij zijn.",
                "Je mag je familie zien of spreken, als dat kan.",
                "Gaat er iets niet goed? Dan mag je een klacht geven. \
                 Iemand moet dan naar je klacht kijken.",
            ],
        },
        Section {
            heading: "Ben je nu in gevaar?",
            paragraphs: &["Wacht dan niet. Bel meteen."],
            bullets: &[
                "112: bel dit als je nu in gevaar bent.",
                "Veilig Thuis: 0800-2000. Gratis, dag en nacht.",
                "De Kindertelefoon: 0800-0432. Gratis. Je kunt ook chatten.",
            ],
        },
    ],
    cta: "Vraag een vertrouwenspersoon",
};

/// The page for young people from 12 to 17: direct, respectful and short.
pub static TWELVE_PLUS: RightsPage = RightsPage {
    title: "Een vertrouwenspersoon van Jeugdstem",
    intro: "Woon je in een pleeggezin? Dan heb je recht op een vertrouwenspersoon: \
            iemand die naast jou staat. Hier lees je wat die doet en hoe je er een vraagt.",
    sections: &[
        Section {
            heading: "Wat doet een vertrouwenspersoon?",
            paragraphs: &["Een vertrouwenspersoon van Jeugdstem is onafhankelijk. \
                 Hij of zij werkt niet voor je pleegzorgorganisatie, je jeugdbeschermer \
                 of je pleegouders, en is getraind om te luisteren, advies te geven \
                 en je te steunen als er iets speelt in de jeugdhulp."],
            bullets: &[
                "luistert naar jouw verhaal en houdt het voor zich (lees hieronder de grens)",
                "legt je rechten uit en hoe de jeugdhulp werkt",
                "helpt je om gehoord te worden, bijvoorbeeld door samen een gesprek voor te bereiden",
                "helpt je een klacht op te schrijven en te bespreken, als je dat wilt",
            ],
        },
        Section {
            heading: "Jij houdt de regie",
            paragraphs: &[
                "De vertrouwenspersoon neemt niets van je over. Jij beslist welke stappen je zet.",
                "Het is gratis. En je hebt geen toestemming nodig: niet van je pleegouders, \
                 niet van je pleegzorgbegeleider en niet van je jeugdbeschermer. \
                 Je mag het gewoon zelf vragen.",
                "Heb je liever iemand uit je eigen omgeving, zoals een tante, buurman of sportcoach? \
                 Ook zo iemand kan je vertrouwenspersoon zijn. Jij kiest mee wie dat wordt.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Wat blijft tussen jullie?",
            paragraphs: &[
                "Wat je vertelt, blijft tussen jou en de vertrouwenspersoon. \
                 Er is één grens: is iets gevaarlijk voor jou of voor een ander, \
                 dan moet de vertrouwenspersoon in actie komen. \
                 Hij of zij bespreekt dan eerst met jou wie het moet weten.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Wat gebeurt er na je aanvraag?",
            paragraphs: &[],
            bullets: &[
                "Een medewerker van Jeugdstem leest je aanvraag. Je voornaam of een bijnaam is genoeg.",
                "Die neemt contact met je op, op de manier en het moment dat jij hebt gekozen.",
                "Wil je niet dat er contact loopt via je pleegouders? Zeg het, dan gebeurt dat niet.",
                "Dringende aanvragen gaan voor.",
            ],
        },
        Section {
            heading: "Je rechten als pleegkind",
            paragraphs: &[],
            bullets: &[
                "Je hebt recht op een veilig thuis, zonder geweld, mishandeling of verwaarlozing.",
                "Je hebt recht om gehoord en geloofd te worden. Je hoort bij je zorgteam \
                 en je mag zelf om een overleg vragen.",
                "Je mag met je pleegzorgbegeleider praten zonder dat je pleegouders erbij zijn. \
                 Volgens de richtlijn Pleegzorg kan dat minstens drie keer per jaar.",
                "Je mag contact houden met je eigen familie, waar dat kan.",
                "Elke pleegzorgorganisatie heeft een klachtenregeling. \
                 Gaat er iets niet goed, dan mag je een klacht indienen.",
            ],
        },
        Section {
            heading: "Direct hulp nodig?",
            paragraphs: &["Ben je nu in gevaar? Bel meteen 112."],
            bullets: &[
                "112: als je nu in gevaar bent",
                "Veilig Thuis: 0800-2000, gratis en 24 uur per dag, 7 dagen per week",
                "De Kindertelefoon: 0800-0432, gratis; je kunt ook chatten",
            ],
        },
    ],
    cta: "Vraag een vertrouwenspersoon",
};

/// The page for foster parents: practical, warm, and clear that the child may go alone.
pub static FOSTER_PARENT: RightsPage = RightsPage {
    title: "Een vertrouwenspersoon voor je pleegkind, en voor jou",
    intro: "Elk pleegkind heeft recht op een vertrouwenspersoon. \
            Hier lees je wat dat is, wat jij kunt doen en hoe je zelf hulp vraagt.",
    sections: &[
        Section {
            heading: "Wat is een vertrouwenspersoon?",
            paragraphs: &[
                "Een professionele, onafhankelijke persoon die getraind is om te luisteren, \
                 advies te geven en te steunen bij problemen in de jeugdhulp. Jeugdstem doet \
                 dit werk landelijk, in opdracht van het ministerie van VWS. Het is gratis.",
            ],
            bullets: &[
                "luistert vertrouwelijk",
                "legt rechten uit en hoe de jeugdhulp werkt",
                "helpt om gehoord te worden en, als dat gewenst is, bij een klacht",
                "neemt niets over: de keuzes blijven bij wie hulp vraagt",
            ],
        },
        Section {
            heading: "Je pleegkind mag zelf contact opnemen",
            paragraphs: &[
                "Je pleegkind mag zelf een vertrouwenspersoon vragen, zonder toestemming \
                 van jou, de pleegzorgbegeleider of de jeugdbeschermer.",
                "Dat gaat niet over wantrouwen. Kinderen vertellen sommige dingen makkelijker \
                 aan iemand buiten het gezin, ook in een fijn pleeggezin. In een vragenlijst van \
                 de inspectie zei 1 op de 5 pleegkinderen de pleegzorgbegeleider nooit \
                 zonder pleegouder te spreken. \
                 Een eigen plek om te praten helpt je pleegkind, en daarmee jullie allebei.",
                "Ook iemand uit het eigen netwerk, zoals een tante of sportcoach, kan \
                 vertrouwenspersoon zijn. Zoek dat samen met je pleegkind uit.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Vertel het, en blijf het vertellen",
            paragraphs: &[
                "Pleegzorgorganisaties, gecertificeerde instellingen en gemeenten moeten \
                 kinderen en pleegouders volgens de wet over dit recht informeren. Dat gebeurt \
                 nog te weinig. Jij ziet je pleegkind elke dag, dus jouw woorden tellen.",
            ],
            bullets: &[
                "Vertel dat Jeugdstem bestaat en dat je pleegkind er zelf terechtkan.",
                "Zeg erbij dat het goed is als dat zonder jou gebeurt.",
                "Herhaal het af en toe, ook als er niets aan de hand is.",
            ],
        },
        Section {
            heading: "Wat blijft vertrouwelijk?",
            paragraphs: &[
                "Wat je pleegkind vertelt, blijft vertrouwelijk. De grens: is iets gevaarlijk \
                 voor het kind of voor anderen, dan moet de vertrouwenspersoon in actie komen. \
                 Die bespreekt dan eerst met het kind wie het moet weten.",
                "Jeugdstem neemt contact op zoals en wanneer je pleegkind dat kiest. \
                 Dringende aanvragen gaan voor. Berichten over de aanvraag gaan niet naar jou.",
            ],
            bullets: &[],
        },
        Section {
            heading: "Ook voor jou",
            paragraphs: &[
                "Ook als pleegouder kun je gratis bij een vertrouwenspersoon van Jeugdstem \
                 terecht, bijvoorbeeld als je vastloopt in het contact met pleegzorg of \
                 jeugdbescherming. Kies in het formulier dat je pleegouder bent.",
            ],
            bullets: &[],
        },
        Section {
            heading: "De rechten van je pleegkind, kort",
            paragraphs: &[],
            bullets: &[
                "veilig opgroeien, beschermd tegen geweld, mishandeling en verwaarlozing",
                "gehoord en geloofd worden, als deel van het zorgteam",
                "praten met de pleegzorgbegeleider zonder dat de pleegouders erbij zijn, \
                 volgens de richtlijn Pleegzorg minstens drie keer per jaar",
                "contact met de eigen familie waar dat kan",
                "een klachtenregeling bij elke pleegzorgorganisatie",
            ],
        },
        Section {
            heading: "Zorgen over veiligheid?",
            paragraphs: &[
                "Bij direct gevaar: bel 112. Zorgen over de veiligheid van een kind? \
                 Bel Veilig Thuis: 0800-2000, gratis en dag en nacht bereikbaar.",
            ],
            bullets: &[],
        },
    ],
    cta: "Vraag hulp van een vertrouwenspersoon",
};
