"""Demo news and events, drawn only from the facts of the seed page (seeds/sse-ilo-page.txt).

Where the seed gives no exact date, none is invented: the Durban conference is known by its
month (February 2019, stored as its first day with a "month" precision) and the first SSE
Academy by its year (Turin, 2010: "year" precision); pages then show only what is known.
Running it again changes nothing.
"""

import datetime
import zoneinfo

from django.utils import timezone

from academies.models import Edition
from news.models import DatePrecision, Event, EventKind, NewsItem, Status, Tag
from publications.models import Publication

LANGUAGES = ["en", "fr", "es", "pt", "it"]

TAGS = {
    "ilo": {"en": "ILO", "fr": "OIT", "es": "OIT", "pt": "OIT", "it": "OIL"},
    "sse-academy": {"en": "SSE Academy", "fr": "Académie ESS", "es": "Academia ESS", "pt": "Academia ESS", "it": "Accademia ESS"},
    "untfsse": {"en": "UNTFSSE", "fr": "UNTFSSE", "es": "UNTFSSE", "pt": "UNTFSSE", "it": "UNTFSSE"},
    "collective-brain": {"en": "Collective Brain", "fr": "Cerveau collectif", "es": "Cerebro Colectivo", "pt": "Cérebro Coletivo", "it": "Cervello collettivo"},
}  # fmt: skip

_RYDER_QUOTE = {
    "en": "“Social and solidarity economy organizations are well positioned to become an essential part of the tool kit for achieving the 2030 Agenda for Sustainable Development in general and for better localizing the SDGs in particular. Building on their value-driven and human-centred approaches, they can help build a new economy strives for social justice and decent work.”",
    "fr": "« Les organisations de l’économie sociale et solidaire sont bien placées pour devenir un élément essentiel de la boîte à outils permettant de réaliser le Programme de développement durable à l’horizon 2030 en général, et de mieux localiser les ODD en particulier. En s’appuyant sur leurs approches fondées sur des valeurs et centrées sur l’humain, elles peuvent contribuer à bâtir une nouvelle économie qui aspire à la justice sociale et au travail décent. »",
    "es": "«Las organizaciones de la economía social y solidaria están bien posicionadas para convertirse en una parte esencial del conjunto de herramientas para alcanzar la Agenda 2030 para el Desarrollo Sostenible en general y para localizar mejor los ODS en particular. Sobre la base de sus enfoques guiados por valores y centrados en las personas, pueden contribuir a construir una nueva economía que aspire a la justicia social y al trabajo decente.»",
    "pt": "«As organizações da economia social e solidária estão bem posicionadas para se tornarem uma parte essencial do conjunto de instrumentos para alcançar a Agenda 2030 para o Desenvolvimento Sustentável em geral e para melhor localizar os ODS em particular. Partindo das suas abordagens assentes em valores e centradas no ser humano, podem ajudar a construir uma nova economia que aspire à justiça social e ao trabalho digno.»",
    "it": "«Le organizzazioni dell’economia sociale e solidale sono ben posizionate per diventare una componente essenziale degli strumenti per realizzare l’Agenda 2030 per lo sviluppo sostenibile in generale e per localizzare meglio gli OSS in particolare. Facendo leva sui loro approcci fondati sui valori e incentrati sulla persona, possono contribuire a costruire una nuova economia che persegua la giustizia sociale e il lavoro dignitoso.»",
}  # fmt: skip

_UNOFFICIAL = {
    "en": "",
    "fr": "\n\n*Traduction non officielle de la citation.*",
    "es": "\n\n*Traducción no oficial de la cita.*",
    "pt": "\n\n*Tradução não oficial da citação.*",
    "it": "\n\n*Traduzione non ufficiale della citazione.*",
}

# Each item: slug, tags, related publication slugs, related edition numbers, a fixed
# publication time (None: when first seeded) and its texts in every language.
NEWS = [
    {
        "slug": "ilo-director-general-sse-durban-2019",
        "published_at": datetime.datetime(2019, 2, 1, tzinfo=datetime.UTC),
        "tags": ["ilo"],
        "publications": ["sse-and-the-future-of-work", "public-policies-sse-south-africa"],
        "editions": [],
        "title": {
            "en": "The ILO Director-General on the social and solidarity economy in Durban",
            "fr": "Le Directeur général de l’OIT sur l’économie sociale et solidaire à Durban",
            "es": "El Director General de la OIT sobre la economía social y solidaria en Durban",
            "pt": "O Diretor-Geral da OIT sobre a economia social e solidária em Durban",
            "it": "Il Direttore generale dell’OIL sull’economia sociale e solidale a Durban",
        },
        "summary": {
            "en": "In February 2019, at the Social Economy National Consultation Conference in Durban, South Africa, ILO Director-General Guy Ryder reflected on the role of SSE organizations in the changing world of work.",
            "fr": "En février 2019, lors de la Conférence de consultation nationale sur l’économie sociale à Durban, en Afrique du Sud, le Directeur général de l’OIT, Guy Ryder, a évoqué le rôle des organisations de l’ESS dans un monde du travail en mutation.",
            "es": "En febrero de 2019, en la Conferencia Nacional de Consulta sobre Economía Social celebrada en Durban (Sudáfrica), el Director General de la OIT, Guy Ryder, reflexionó sobre el papel de las organizaciones de la ESS en un mundo del trabajo en transformación.",
            "pt": "Em fevereiro de 2019, na Conferência de Consulta Nacional sobre Economia Social, em Durban, na África do Sul, o Diretor-Geral da OIT, Guy Ryder, refletiu sobre o papel das organizações da ESS num mundo do trabalho em mudança.",
            "it": "Nel febbraio 2019, alla Conferenza nazionale di consultazione sull’economia sociale di Durban, in Sudafrica, il Direttore generale dell’OIL Guy Ryder si è soffermato sul ruolo delle organizzazioni dell’ESS in un mondo del lavoro in trasformazione.",
        },
        "body": {
            "en": "In February 2019, at the Social Economy National Consultation Conference held in Durban, South Africa, the ILO Director-General Guy Ryder reflected on the relevance of SSE organizations and their value-driven, human-centred approaches in addressing the challenges in the changing world of work:\n\n> {quote}\n\n— Guy Ryder, ILO Director-General{note}",
            "fr": "En février 2019, lors de la Conférence de consultation nationale sur l’économie sociale tenue à Durban, en Afrique du Sud, le Directeur général de l’OIT, Guy Ryder, a évoqué la pertinence des organisations de l’ESS et de leurs approches fondées sur des valeurs et centrées sur l’humain pour relever les défis d’un monde du travail en mutation :\n\n> {quote}\n\n— Guy Ryder, Directeur général de l’OIT{note}",
            "es": "En febrero de 2019, en la Conferencia Nacional de Consulta sobre Economía Social celebrada en Durban (Sudáfrica), el Director General de la OIT, Guy Ryder, reflexionó sobre la pertinencia de las organizaciones de la ESS y de sus enfoques basados en valores y centrados en las personas para afrontar los retos de un mundo del trabajo en transformación:\n\n> {quote}\n\n— Guy Ryder, Director General de la OIT{note}",
            "pt": "Em fevereiro de 2019, na Conferência de Consulta Nacional sobre Economia Social, realizada em Durban, na África do Sul, o Diretor-Geral da OIT, Guy Ryder, refletiu sobre a relevância das organizações da ESS e das suas abordagens assentes em valores e centradas no ser humano para enfrentar os desafios de um mundo do trabalho em mudança:\n\n> {quote}\n\n— Guy Ryder, Diretor-Geral da OIT{note}",
            "it": "Nel febbraio 2019, in occasione della Conferenza nazionale di consultazione sull’economia sociale tenutasi a Durban, in Sudafrica, il Direttore generale dell’OIL Guy Ryder si è soffermato sulla rilevanza delle organizzazioni dell’ESS e dei loro approcci fondati sui valori e incentrati sulla persona nell’affrontare le sfide di un mondo del lavoro in trasformazione:\n\n> {quote}\n\n— Guy Ryder, Direttore generale dell’OIL{note}",
        },
    },
    {
        "slug": "sse-academy-from-turin-2010-to-madrid",
        "published_at": None,
        "tags": ["sse-academy", "ilo"],
        "publications": [],
        "editions": [1, 11],
        "title": {
            "en": "The SSE Academy: from Turin 2010 to Madrid",
            "fr": "L’Académie ESS : de Turin 2010 à Madrid",
            "es": "La Academia ESS: de Turín 2010 a Madrid",
            "pt": "A Academia ESS: de Turim 2010 a Madrid",
            "it": "L’Accademia ESS: da Torino 2010 a Madrid",
        },
        "summary": {
            "en": "Since the first SSE Academy in Turin (Italy) in 2010, the ILO’s interregional training has gathered SSE practitioners and policymakers from all around the world, most recently in Madrid (Spain).",
            "fr": "Depuis la première Académie ESS à Turin (Italie) en 2010, la formation interrégionale de l’OIT a réuni des praticiens et des décideurs de l’ESS du monde entier, dernièrement à Madrid (Espagne).",
            "es": "Desde la primera Academia ESS en Turín (Italia) en 2010, la formación interregional de la OIT ha reunido a profesionales y responsables de políticas de la ESS de todo el mundo, la más reciente en Madrid (España).",
            "pt": "Desde a primeira Academia ESS, em Turim (Itália), em 2010, a formação inter-regional da OIT tem reunido profissionais e decisores políticos da ESS de todo o mundo, mais recentemente em Madrid (Espanha).",
            "it": "Dalla prima Accademia ESS a Torino (Italia) nel 2010, la formazione interregionale dell’OIL ha riunito operatori e decisori politici dell’ESS di tutto il mondo, più di recente a Madrid (Spagna).",
        },
        "body": {
            "en": "The SSE Academy is an interregional training opportunity gathering practitioners and policymakers from all around the world, to share their experiences, best practices and challenges from their work in the SSE. Organized together with the ITC-ILO, the training seeks to provide a better understanding of the concept of SSE, discuss the relevance of SSE as a development alternative and its relation to the ILO’s Decent Work Agenda, and further build and strengthen networks of SSE practitioners.\n\nThe first SSE Academy took place in **Turin (Italy) in 2010**. Since then, SSE Academies have taken place in:\n\n- Montreal (Canada)\n- Agadir (Morocco)\n- Campinas (Brazil)\n- Johannesburg (South Africa)\n- Puebla (Mexico)\n- San José (Costa Rica)\n- Seoul (Republic of Korea)\n- Luxembourg City (Luxembourg)\n- Turin (Italy)\n- Madrid (Spain)",
            "fr": "L’Académie ESS est une formation interrégionale qui rassemble des praticiens et des décideurs du monde entier afin qu’ils partagent leurs expériences, leurs bonnes pratiques et les défis rencontrés dans leur travail au sein de l’ESS. Organisée conjointement avec le CIF-OIT, la formation vise à mieux faire comprendre le concept d’ESS, à débattre de la pertinence de l’ESS en tant qu’alternative de développement et de son lien avec l’Agenda du travail décent de l’OIT, ainsi qu’à développer et à renforcer les réseaux de praticiens de l’ESS.\n\nLa première Académie ESS s’est tenue à **Turin (Italie) en 2010**. Depuis, des Académies ESS ont eu lieu à :\n\n- Montréal (Canada)\n- Agadir (Maroc)\n- Campinas (Brésil)\n- Johannesburg (Afrique du Sud)\n- Puebla (Mexique)\n- San José (Costa Rica)\n- Séoul (République de Corée)\n- Luxembourg (Luxembourg)\n- Turin (Italie)\n- Madrid (Espagne)",
            "es": "La Academia ESS es una oportunidad de formación interregional que reúne a profesionales y responsables de políticas de todo el mundo para compartir sus experiencias, buenas prácticas y desafíos derivados de su trabajo en la ESS. Organizada junto con el CIF-OIT, la formación busca proporcionar una mejor comprensión del concepto de ESS, debatir la pertinencia de la ESS como alternativa de desarrollo y su relación con el Programa de Trabajo Decente de la OIT, así como seguir construyendo y fortaleciendo las redes de profesionales de la ESS.\n\nLa primera Academia ESS se celebró en **Turín (Italia) en 2010**. Desde entonces, se han celebrado Academias ESS en:\n\n- Montreal (Canadá)\n- Agadir (Marruecos)\n- Campinas (Brasil)\n- Johannesburgo (Sudáfrica)\n- Puebla (México)\n- San José (Costa Rica)\n- Seúl (República de Corea)\n- Ciudad de Luxemburgo (Luxemburgo)\n- Turín (Italia)\n- Madrid (España)",
            "pt": "A Academia ESS é uma oportunidade de formação inter-regional que reúne profissionais e decisores políticos de todo o mundo para partilharem as suas experiências, boas práticas e desafios do seu trabalho na ESS. Organizada em conjunto com o CIF-OIT, a formação procura proporcionar uma melhor compreensão do conceito de ESS, debater a relevância da ESS enquanto alternativa de desenvolvimento e a sua relação com a Agenda do Trabalho Digno da OIT, bem como continuar a construir e a reforçar redes de profissionais da ESS.\n\nA primeira Academia ESS realizou-se em **Turim (Itália), em 2010**. Desde então, realizaram-se Academias ESS em:\n\n- Montreal (Canadá)\n- Agadir (Marrocos)\n- Campinas (Brasil)\n- Joanesburgo (África do Sul)\n- Puebla (México)\n- San José (Costa Rica)\n- Seul (República da Coreia)\n- Cidade do Luxemburgo (Luxemburgo)\n- Turim (Itália)\n- Madrid (Espanha)",
            "it": "L’Accademia ESS è un’occasione di formazione interregionale che riunisce operatori e decisori politici di tutto il mondo per condividere esperienze, buone pratiche e sfide legate al loro lavoro nell’ESS. Organizzata insieme al Centro internazionale di formazione dell’OIL (ITC-ILO), la formazione mira a far comprendere meglio il concetto di ESS, a discutere la rilevanza dell’ESS come alternativa di sviluppo e il suo rapporto con l’Agenda per il lavoro dignitoso dell’OIL, nonché a costruire e rafforzare ulteriormente le reti di operatori dell’ESS.\n\nLa prima Accademia ESS si è svolta a **Torino (Italia) nel 2010**. Da allora, le Accademie ESS si sono tenute a:\n\n- Montréal (Canada)\n- Agadir (Marocco)\n- Campinas (Brasile)\n- Johannesburg (Sudafrica)\n- Puebla (Messico)\n- San José (Costa Rica)\n- Seul (Repubblica di Corea)\n- Città di Lussemburgo (Lussemburgo)\n- Torino (Italia)\n- Madrid (Spagna)",
        },
    },
    {
        "slug": "untfsse-chaired-by-the-ilo",
        "published_at": None,
        "tags": ["untfsse", "ilo"],
        "publications": [],
        "editions": [],
        "title": {
            "en": "The UN Inter-Agency Task Force on the SSE, chaired by the ILO",
            "fr": "Le Groupe de travail interinstitutions des Nations Unies sur l’ESS, présidé par l’OIT",
            "es": "El Grupo de Trabajo Interinstitucional de las Naciones Unidas sobre la ESS, presidido por la OIT",
            "pt": "O Grupo de Trabalho Interagencial das Nações Unidas sobre a ESS, presidido pela OIT",
            "it": "La Task Force inter-agenzia delle Nazioni Unite sull’ESS, presieduta dall’OIL",
        },
        "summary": {
            "en": "Currently chaired by the ILO, the UNTFSSE has 18 UN agencies and the OECD as members and 13 civil society organizations as observers.",
            "fr": "Actuellement présidé par l’OIT, l’UNTFSSE compte parmi ses membres 18 organismes des Nations Unies et l’OCDE, ainsi que 13 organisations de la société civile ayant le statut d’observateur.",
            "es": "Actualmente presidido por la OIT, el UNTFSSE cuenta con 18 organismos de las Naciones Unidas y la OCDE como miembros, y con 13 organizaciones de la sociedad civil como observadoras.",
            "pt": "Atualmente presidido pela OIT, o UNTFSSE conta com 18 agências das Nações Unidas e a OCDE como membros e com 13 organizações da sociedade civil como observadoras.",
            "it": "Attualmente presieduta dall’OIL, l’UNTFSSE conta tra i suoi membri 18 agenzie delle Nazioni Unite e l’OCSE, oltre a 13 organizzazioni della società civile in qualità di osservatori.",
        },
        "body": {
            "en": "The United Nations Inter-Agency Task Force on the Social and Solidarity Economy (UNTFSSE) was established to raise the visibility of the SSE in international knowledge and policy circles, as it holds considerable promise for addressing the economic, social and environmental issues faced by today’s world.\n\nThe UNTFSSE works to support the SSE as a means of implementation of the Sustainable Development Goals (SDGs), acting as a hub for inter-agency coordination and knowledge sharing on how to replicate, scale up and build an enabling environment for SSE. It also serves as a conduit for civil society voices to interface with policy making.\n\nCurrently chaired by the ILO, the Task Force has **18 UN agencies and the OECD** as members and **13 civil society organizations** as observers.",
            "fr": "Le Groupe de travail interinstitutions des Nations Unies sur l’économie sociale et solidaire (UNTFSSE) a été créé pour accroître la visibilité de l’ESS dans les milieux internationaux de la recherche et des politiques publiques, car celle-ci offre des perspectives considérables pour répondre aux enjeux économiques, sociaux et environnementaux auxquels le monde d’aujourd’hui est confronté.\n\nL’UNTFSSE s’emploie à soutenir l’ESS en tant que moyen de mise en œuvre des objectifs de développement durable (ODD), en servant de plateforme de coordination interinstitutions et de partage des connaissances sur les moyens de reproduire l’ESS, de la développer à plus grande échelle et de créer un environnement qui lui soit favorable. Il sert également de relais permettant aux voix de la société civile de se faire entendre dans l’élaboration des politiques.\n\nActuellement présidé par l’OIT, le Groupe de travail compte parmi ses membres **18 organismes des Nations Unies et l’OCDE**, ainsi que **13 organisations de la société civile** ayant le statut d’observateur.",
            "es": "El Grupo de Trabajo Interinstitucional de las Naciones Unidas sobre Economía Social y Solidaria (UNTFSSE) se creó para dar mayor visibilidad a la ESS en los círculos internacionales del conocimiento y de las políticas, ya que esta ofrece grandes posibilidades para abordar los problemas económicos, sociales y ambientales a los que se enfrenta el mundo actual.\n\nEl UNTFSSE trabaja para apoyar la ESS como medio de implementación de los Objetivos de Desarrollo Sostenible (ODS), actuando como centro de coordinación interinstitucional y de intercambio de conocimientos sobre cómo replicar la ESS, ampliar su escala y crear un entorno propicio para ella. Sirve además de cauce para que las voces de la sociedad civil dialoguen con los responsables de la formulación de políticas.\n\nActualmente presidido por la OIT, el Grupo de Trabajo cuenta con **18 organismos de las Naciones Unidas y la OCDE** como miembros, y con **13 organizaciones de la sociedad civil** como observadoras.",
            "pt": "O Grupo de Trabalho Interagencial das Nações Unidas sobre Economia Social e Solidária (UNTFSSE) foi criado para dar maior visibilidade à ESS nos círculos internacionais do conhecimento e das políticas, uma vez que esta encerra um potencial considerável para dar resposta aos problemas económicos, sociais e ambientais com que o mundo atual se depara.\n\nO UNTFSSE trabalha para apoiar a ESS enquanto meio de implementação dos Objetivos de Desenvolvimento Sustentável (ODS), funcionando como um polo de coordenação interagencial e de partilha de conhecimentos sobre como replicar a ESS, aumentar a sua escala e criar um ambiente favorável ao seu desenvolvimento. Serve também de canal para que as vozes da sociedade civil possam interagir com a formulação de políticas.\n\nAtualmente presidido pela OIT, o Grupo de Trabalho conta com **18 agências das Nações Unidas e a OCDE** como membros e com **13 organizações da sociedade civil** como observadoras.",
            "it": "La Task Force inter-agenzia delle Nazioni Unite sull’economia sociale e solidale (UNTFSSE) è stata istituita per accrescere la visibilità dell’ESS negli ambienti internazionali della conoscenza e delle politiche, poiché l’ESS offre notevoli potenzialità per rispondere alle sfide economiche, sociali e ambientali del mondo di oggi.\n\nL’UNTFSSE opera per sostenere l’ESS come strumento di attuazione degli Obiettivi di sviluppo sostenibile (OSS), svolgendo il ruolo di polo per il coordinamento inter-agenzia e per la condivisione delle conoscenze su come replicare l’ESS, ampliarne la scala e creare un contesto favorevole al suo sviluppo. Funge inoltre da canale attraverso cui le voci della società civile possono interagire con i processi di elaborazione delle politiche.\n\nAttualmente presieduta dall’OIL, la Task Force conta tra i suoi membri **18 agenzie delle Nazioni Unite e l’OCSE**, oltre a **13 organizzazioni della società civile** in qualità di osservatori.",
        },
    },
    {
        "slug": "collective-brain-platform-launch",
        "published_at": None,
        "tags": ["collective-brain", "sse-academy"],
        "publications": [],
        "editions": [],
        "title": {
            "en": "The Collective Brain platform opens",
            "fr": "Ouverture de la plateforme du Cerveau collectif",
            "es": "Se abre la plataforma del Cerebro Colectivo",
            "pt": "Abre a plataforma do Cérebro Coletivo",
            "it": "Apre la piattaforma del Cervello collettivo",
        },
        "summary": {
            "en": "The Collective Brain is a multilingual online space for current, former and future SSE Academy participants and other SSE practitioners: a forum, documents and publications on the SSE, the SSE Academy Collections and news.",
            "fr": "Le Cerveau collectif est un espace en ligne multilingue pour les participants actuels, anciens et futurs de l’Académie ESS et les autres acteurs de l’ESS : un forum, des documents et publications sur l’ESS, les Collections de l’Académie ESS et des actualités.",
            "es": "El Cerebro Colectivo es un espacio en línea multilingüe para los participantes actuales, anteriores y futuros de la Academia ESS y otros actores de la ESS: un foro, documentos y publicaciones sobre la ESS, las Colecciones de la Academia ESS y noticias.",
            "pt": "O Cérebro Coletivo é um espaço online multilingue para os participantes atuais, antigos e futuros da Academia ESS e outros intervenientes da ESS: um fórum, documentos e publicações sobre a ESS, as Coleções da Academia ESS e notícias.",
            "it": "Il Cervello collettivo è uno spazio online multilingue per i partecipanti attuali, passati e futuri dell’Accademia ESS e per gli altri attori dell’ESS: un forum, documenti e pubblicazioni sull’ESS, le Collezioni dell’Accademia ESS e notizie.",
        },
        "body": {
            "en": "The Collective Brain is a virtual multilingual interactive space which aims to enrich the ILO Academy on Social and Solidarity Economy and to facilitate exchanges and cooperation beyond the face-to-face interactions during the Academy.\n\nIts main purpose is to allow current, former and future participants and other key players in the field of SSE to remain engaged, cooperate and deepen their knowledge through an online platform, in spite of geographical distances and language barriers.\n\nWhat you will find here:\n\n- a **forum**, available to all users;\n- various **documents and publications** on the SSE, along with the **SSE Academy Collections**;\n- **news** of the network.",
            "fr": "Le Cerveau collectif est un espace virtuel, multilingue et interactif qui vise à enrichir l’Académie de l’OIT sur l’économie sociale et solidaire et à faciliter les échanges et la coopération au-delà des interactions en présentiel pendant l’Académie.\n\nSon objectif principal est de permettre aux participants actuels, anciens et futurs ainsi qu’aux autres acteurs clés du domaine de l’ESS de rester mobilisés, de coopérer et d’approfondir leurs connaissances grâce à une plateforme en ligne, en dépit des distances géographiques et des barrières linguistiques.\n\nVous y trouverez :\n\n- un **forum**, accessible à tous les utilisateurs ;\n- divers **documents et publications** sur l’ESS, ainsi que les **Collections de l’Académie ESS** ;\n- les **actualités** du réseau.",
            "es": "El Cerebro Colectivo es un espacio virtual, multilingüe e interactivo que tiene como objetivo enriquecer la Academia de la OIT sobre Economía Social y Solidaria y facilitar los intercambios y la cooperación más allá de las interacciones presenciales durante la Academia.\n\nSu principal finalidad es permitir que los participantes actuales, anteriores y futuros, así como otros actores clave en el ámbito de la ESS, sigan comprometidos, cooperen y profundicen sus conocimientos a través de una plataforma en línea, a pesar de las distancias geográficas y las barreras lingüísticas.\n\nEncontrará aquí:\n\n- un **foro**, a disposición de todos los usuarios;\n- diversos **documentos y publicaciones** sobre la ESS, junto con las **Colecciones de la Academia ESS**;\n- las **noticias** de la red.",
            "pt": "O Cérebro Coletivo é um espaço virtual, multilingue e interativo que visa enriquecer a Academia da OIT sobre Economia Social e Solidária e facilitar o intercâmbio e a cooperação para além das interações presenciais durante a Academia.\n\nO seu principal objetivo é permitir que os participantes atuais, antigos e futuros, bem como outros intervenientes-chave no domínio da ESS, se mantenham envolvidos, cooperem e aprofundem os seus conhecimentos através de uma plataforma online, apesar das distâncias geográficas e das barreiras linguísticas.\n\nAqui encontrará:\n\n- um **fórum**, acessível a todos os utilizadores;\n- vários **documentos e publicações** sobre a ESS, bem como as **Coleções da Academia ESS**;\n- as **notícias** da rede.",
            "it": "Il Cervello collettivo è uno spazio virtuale, multilingue e interattivo che mira ad arricchire l’Accademia dell’OIL sull’economia sociale e solidale e a facilitare gli scambi e la cooperazione al di là delle interazioni in presenza durante l’Accademia.\n\nIl suo scopo principale è consentire ai partecipanti attuali, passati e futuri e ad altri attori chiave nel campo dell’ESS di restare coinvolti, cooperare e approfondire le proprie conoscenze attraverso una piattaforma online, nonostante le distanze geografiche e le barriere linguistiche.\n\nQui troverete:\n\n- un **forum**, a disposizione di tutti gli utenti;\n- diversi **documenti e pubblicazioni** sull’ESS, insieme alle **Collezioni dell’Accademia ESS**;\n- le **notizie** della rete.",
        },
    },
]  # fmt: skip

_JOHANNESBURG = zoneinfo.ZoneInfo("Africa/Johannesburg")
_ROME = zoneinfo.ZoneInfo("Europe/Rome")

# Past events the seed page dates: all day, with only the month or the year known.
EVENTS = [
    {
        "slug": "social-economy-national-consultation-conference-durban-2019",
        "kind": EventKind.CONFERENCE,
        "start": datetime.datetime(2019, 2, 1, 0, 0, tzinfo=_JOHANNESBURG),
        "end": datetime.datetime(2019, 2, 1, 23, 59, tzinfo=_JOHANNESBURG),
        "all_day": True,
        "date_precision": DatePrecision.MONTH,
        "time_zone": "Africa/Johannesburg",
        "edition": None,
        "title": {
            "en": "Social Economy National Consultation Conference, Durban",
            "fr": "Conférence de consultation nationale sur l’économie sociale, Durban",
            "es": "Conferencia Nacional de Consulta sobre Economía Social, Durban",
            "pt": "Conferência de Consulta Nacional sobre Economia Social, Durban",
            "it": "Conferenza nazionale di consultazione sull’economia sociale, Durban",
        },
        "place": {
            "en": "Durban, South Africa",
            "fr": "Durban, Afrique du Sud",
            "es": "Durban, Sudáfrica",
            "pt": "Durban, África do Sul",
            "it": "Durban, Sudafrica",
        },
        "description": {
            "en": "The Social Economy National Consultation Conference was held in Durban, South Africa, in February 2019. There, the ILO Director-General Guy Ryder reflected on the relevance of SSE organizations and their value-driven, human-centred approaches in addressing the challenges in the changing world of work.",
            "fr": "La Conférence de consultation nationale sur l’économie sociale s’est tenue à Durban, en Afrique du Sud, en février 2019. Le Directeur général de l’OIT, Guy Ryder, y a évoqué la pertinence des organisations de l’ESS et de leurs approches fondées sur des valeurs et centrées sur l’humain pour relever les défis d’un monde du travail en mutation.",
            "es": "La Conferencia Nacional de Consulta sobre Economía Social se celebró en Durban (Sudáfrica) en febrero de 2019. En ella, el Director General de la OIT, Guy Ryder, reflexionó sobre la pertinencia de las organizaciones de la ESS y de sus enfoques basados en valores y centrados en las personas para afrontar los retos de un mundo del trabajo en transformación.",
            "pt": "A Conferência de Consulta Nacional sobre Economia Social realizou-se em Durban, na África do Sul, em fevereiro de 2019. Nela, o Diretor-Geral da OIT, Guy Ryder, refletiu sobre a relevância das organizações da ESS e das suas abordagens assentes em valores e centradas no ser humano para enfrentar os desafios de um mundo do trabalho em mudança.",
            "it": "La Conferenza nazionale di consultazione sull’economia sociale si è tenuta a Durban, in Sudafrica, nel febbraio 2019. In quell’occasione il Direttore generale dell’OIL Guy Ryder si è soffermato sulla rilevanza delle organizzazioni dell’ESS e dei loro approcci fondati sui valori e incentrati sulla persona nell’affrontare le sfide di un mondo del lavoro in trasformazione.",
        },
    },
    {
        "slug": "first-sse-academy-turin-2010",
        "kind": EventKind.ACADEMY_SESSION,
        "start": datetime.datetime(2010, 1, 1, 0, 0, tzinfo=_ROME),
        "end": datetime.datetime(2010, 1, 1, 23, 59, tzinfo=_ROME),
        "all_day": True,
        "date_precision": DatePrecision.YEAR,
        "time_zone": "Europe/Rome",
        "edition": 1,
        "title": {
            "en": "The first SSE Academy, Turin (Italy)",
            "fr": "La première Académie ESS, Turin (Italie)",
            "es": "La primera Academia ESS, Turín (Italia)",
            "pt": "A primeira Academia ESS, Turim (Itália)",
            "it": "La prima Accademia ESS, Torino (Italia)",
        },
        "place": {
            "en": "Turin, Italy",
            "fr": "Turin, Italie",
            "es": "Turín, Italia",
            "pt": "Turim, Itália",
            "it": "Torino, Italia",
        },
        "description": {
            "en": "The first ILO Social and Solidarity Economy Academy took place in Turin (Italy) in 2010: an interregional training gathering SSE practitioners and policymakers from all around the world, organized together with the ITC-ILO.",
            "fr": "La première Académie de l’OIT sur l’économie sociale et solidaire s’est tenue à Turin (Italie) en 2010 : une formation interrégionale rassemblant des praticiens et des décideurs de l’ESS du monde entier, organisée conjointement avec le CIF-OIT.",
            "es": "La primera Academia de la OIT sobre Economía Social y Solidaria se celebró en Turín (Italia) en 2010: una formación interregional que reunió a profesionales y responsables de políticas de la ESS de todo el mundo, organizada junto con el CIF-OIT.",
            "pt": "A primeira Academia da OIT sobre Economia Social e Solidária realizou-se em Turim (Itália), em 2010: uma formação inter-regional que reuniu profissionais e decisores políticos da ESS de todo o mundo, organizada em conjunto com o CIF-OIT.",
            "it": "La prima Accademia dell’OIL sull’economia sociale e solidale si è svolta a Torino (Italia) nel 2010: una formazione interregionale che ha riunito operatori e decisori politici dell’ESS di tutto il mondo, organizzata insieme al Centro internazionale di formazione dell’OIL (ITC-ILO).",
        },
    },
]  # fmt: skip


def _translated(values: dict, field: str) -> dict:
    return {f"{field}_{code}": text for code, text in values.items()}


def _upsert(model, slug: str, values: dict, create_values: dict | None = None):
    """Create the row, or update it only where it differs (so timestamps stay put)."""
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        return model.objects.create(slug=slug, **values, **(create_values or {}))
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save()
    return obj


def _set_related(manager, objects) -> None:
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objects)


def _body(row: dict, language: str) -> str:
    return row["body"][language].format(quote=_RYDER_QUOTE[language], note=_UNOFFICIAL[language])


def seed_news() -> dict[str, list]:
    """Tags, news items and events of the demo; returns them by kind."""
    tags = {slug: _upsert(Tag, slug, _translated(names, "name")) for slug, names in TAGS.items()}
    editions = {edition.number: edition for edition in Edition.objects.all()}
    publications = {
        publication.slug: publication
        for publication in Publication.objects.filter(
            slug__in=[slug for row in NEWS for slug in row["publications"]]
        )
    }
    now = timezone.now().replace(microsecond=0)
    items = []
    for position, row in enumerate(NEWS):
        values = {
            "status": Status.PUBLISHED,
            **_translated(row["title"], "title"),
            **_translated(row["summary"], "summary"),
            **{f"body_{language}": _body(row, language) for language in LANGUAGES},
        }
        if row["published_at"]:
            values["published_at"] = row["published_at"]
            create_values = {}
        else:
            # Only when first seeded, a minute apart so that the list keeps this order.
            offset = datetime.timedelta(minutes=len(NEWS) - position)
            create_values = {"published_at": now - offset}
        item = _upsert(NewsItem, row["slug"], values, create_values)
        _set_related(item.tags, [tags[slug] for slug in row["tags"]])
        _set_related(
            item.publications,
            [publications[slug] for slug in row["publications"] if slug in publications],
        )
        _set_related(
            item.editions, [editions[number] for number in row["editions"] if number in editions]
        )
        items.append(item)
    events = []
    for row in EVENTS:
        values = {
            "status": Status.PUBLISHED,
            "kind": row["kind"],
            "start": row["start"],
            "end": row["end"],
            "all_day": row["all_day"],
            "date_precision": row["date_precision"],
            "time_zone": row["time_zone"],
            "edition": editions.get(row["edition"]) if row["edition"] else None,
            **_translated(row["title"], "title"),
            **_translated(row["place"], "place"),
            **_translated(row["description"], "description"),
        }
        events.append(_upsert(Event, row["slug"], values))
    return {"tags": list(tags.values()), "news": items, "events": events}
