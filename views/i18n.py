"""Every user interface string of the app, in Norwegian Bokmål and English: ONE table.

``t(key, **values)`` looks a key up in :data:`STRINGS` in the language chosen in the sidebar
(``st.session_state["w_lang"]``) and fills in ``{placeholders}``. Texts from data are never
in this table; they come from the graph in the chosen language where the data has it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LANGUAGE_NAMES = {"nb": "Norsk bokmål", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    # -- app and sidebar ------------------------------------------------------------------
    "sidebar.language": {"nb": "Språk", "en": "Language"},
    "sidebar.dataset": {"nb": "Datasett", "en": "Dataset"},
    "sidebar.dataset.help": {
        "nb": "Den medfølgende grafen, eller et datasett du har lastet opp i denne økten (bare du ser det).",
        "en": "The bundled graph, or a dataset you uploaded in this session (only you can see it).",
    },
    "sidebar.settings": {"nb": "Innstillinger", "en": "Settings"},
    "sidebar.max_nodes": {
        "nb": "Største antall noder i en graf",
        "en": "Most nodes shown in a graph",
    },
    "sidebar.max_nodes.help": {
        "nb": "Større grafer slås sammen per prosjekt, organ eller delområde.",
        "en": "Larger graphs are folded by project, body or domain.",
    },
    "sidebar.footer": {
        "nb": "Kommunegraf · {lang} · skrivebeskyttet",
        "en": "Kommunegraf · {lang} · read-only",
    },
    "dataset.bundled": {"nb": "Nye Asker (medfølgende)", "en": "Nye Asker (bundled)"},
    "dataset.shared": {"nb": "Felles graf på tjeneren", "en": "Shared graph on the server"},
    "build.running": {
        "nb": "Bygger grafen fra data/nye-asker (første gang) …",
        "en": "Building the graph from data/nye-asker (first run) …",
    },
    "build.done": {"nb": "Grafen er bygget", "en": "The graph is built"},
    "build.failed": {
        "nb": "Kunne ikke bygge grafen fra data/nye-asker:",
        "en": "Could not build the graph from data/nye-asker:",
    },
    "page.overview": {"nb": "Oversikt", "en": "Overview"},
    "page.explorer": {"nb": "Avhengigheter", "en": "Dependencies"},
    "page.impact": {"nb": "Konsekvenser", "en": "Impact"},
    "page.governance": {"nb": "Styring", "en": "Governance"},
    "page.ict": {"nb": "IKT-portefølje", "en": "ICT portfolio"},
    "page.sdg": {"nb": "Bærekraftsmål", "en": "SDG traceability"},
    "page.console": {"nb": "Spørringer", "en": "Query console"},
    "page.data": {"nb": "Data", "en": "Data"},
    "yes": {"nb": "ja", "en": "yes"},
    "no": {"nb": "nei", "en": "no"},
    "download.csv": {"nb": "Last ned CSV", "en": "Download CSV"},
    "download.json": {"nb": "Last ned JSON", "en": "Download JSON"},
    # -- graphs ---------------------------------------------------------------------------
    "graph.layout": {"nb": "Oppsett", "en": "Layout"},
    "graph.layout.auto": {"nb": "Automatisk", "en": "Automatic"},
    "graph.layout.hierarchical": {"nb": "Hierarkisk", "en": "Hierarchical"},
    "graph.layout.force": {"nb": "Fritt (kraft)", "en": "Free (force)"},
    "graph.fit": {"nb": "Tilpass", "en": "Fit"},
    "graph.search": {"nb": "Finn en node", "en": "Find a node"},
    "graph.expanded": {
        "nb": "{n} {n:nabo|naboer} lagt til",
        "en": "{n} {n:neighbour|neighbours} added",
    },
    "graph.notFound": {"nb": "Ingen node passer", "en": "No node matches"},
    "graph.edge.plain": {"nb": "relasjon", "en": "relation"},
    "graph.edge.dashed": {
        "nb": "indirekte (viser til, styrt av)",
        "en": "indirect (refers to, guided by)",
    },
    "graph.edge.high": {"nb": "høy kritikalitet", "en": "high criticality"},
    "graph.edge.primary": {"nb": "primær kritikalitet", "en": "primary criticality"},
    "graph.dblclick": {
        "nb": "Dobbeltklikk en node for å vise naboene",
        "en": "Double-click a node to show its neighbours",
    },
    "graph.empty": {"nb": "Ingenting å tegne.", "en": "Nothing to draw."},
    "graph.help": {
        "nb": "{nodes} {nodes:node|noder}, {edges} {edges:lenke|lenker}. Hold musen over en node eller lenke for detaljer; dra for å flytte, rull for å zoome.",
        "en": "{nodes} {nodes:node|nodes}, {edges} {edges:link|links}. Hover a node or link for details; drag to move, scroll to zoom.",
    },
    "graph.aggregated": {
        "nb": "Grafen har {before} {before:node|noder}, over grensen på {limit}: den er slått sammen til {after} {after:gruppe|grupper} (per prosjekt, organ, delområde eller type). Tallet i parentes er antall noder i gruppen. Snevre inn utvalget eller øk grensen under Innstillinger.",
        "en": "The graph has {before} nodes, over the limit of {limit}: it is folded into {after} groups (by project, body, domain or kind). The number in brackets is the group's size. Narrow the selection or raise the limit under Settings.",
    },
    "group.programme": {"nb": "Program", "en": "Programme"},
    "group.project": {"nb": "Prosjekt", "en": "Project"},
    "group.body": {"nb": "Organ", "en": "Body"},
    "group.person": {"nb": "Person/stilling", "en": "Person/post"},
    "group.organization": {"nb": "Organisasjon", "en": "Organisation"},
    "group.system": {"nb": "System", "en": "System"},
    "group.domain": {"nb": "Delområde", "en": "Domain"},
    "group.sdg": {"nb": "Bærekraftsmål", "en": "SDG"},
    "group.goal": {"nb": "Mål", "en": "Goal"},
    "group.plan": {"nb": "Plan", "en": "Plan"},
    "group.action": {"nb": "Tiltak", "en": "Action"},
    "group.kpi": {"nb": "KPI", "en": "KPI"},
    "group.milestone": {"nb": "Milepæl/fase", "en": "Milestone/phase"},
    "group.mandate": {"nb": "Mandat", "en": "Mandate"},
    "group.decision": {"nb": "Beslutning/hendelse", "en": "Decision/event"},
    "group.source": {"nb": "Kilde", "en": "Source"},
    "group.other": {"nb": "Annet", "en": "Other"},
    # -- overview -------------------------------------------------------------------------
    "overview.title": {"nb": "Oversikt", "en": "Overview"},
    "overview.questions": {
        "nb": "Vanlige spørsmål – ett klikk",
        "en": "Common questions – one click",
    },
    "overview.q.depends": {
        "nb": "Hva avhenger {project} av?",
        "en": "What does {project} depend on?",
    },
    "overview.q.decides": {
        "nb": "Hvem bestemmer over {project}?",
        "en": "Who decides over {project}?",
    },
    "overview.q.late": {
        "nb": "Hva ryker hvis {project} blir {weeks} {weeks:uke|uker} forsinket?",
        "en": "What breaks if {project} is {weeks} weeks late?",
    },
    "overview.counts": {"nb": "I grafen", "en": "In the graph"},
    "count.projects": {"nb": "Prosjekter", "en": "Projects"},
    "count.bodies": {"nb": "Organer", "en": "Bodies"},
    "count.people": {"nb": "Personer", "en": "People"},
    "count.organizations": {"nb": "Organisasjoner", "en": "Organisations"},
    "count.systems": {"nb": "IKT-systemer", "en": "ICT systems"},
    "count.dependencies": {"nb": "Avhengigheter", "en": "Dependencies"},
    "count.milestones": {"nb": "Milepæler", "en": "Milestones"},
    "count.local_goals": {"nb": "Lokale mål", "en": "Local goals"},
    "count.sdg_targets": {"nb": "FN-mål med lokal kobling", "en": "UN goals/targets linked"},
    "count.kpis": {"nb": "KPI-er", "en": "KPIs"},
    "overview.status": {"nb": "Siste status per prosjekt", "en": "Latest status per project"},
    "overview.status.none": {
        "nb": "Ingen statusrapporter i datasettet.",
        "en": "No status reports in the dataset.",
    },
    "overview.status.legend": {
        "nb": "Farger som i Prosjektportalen: ● grønn = i rute, ▲ gul = avvik, ■ rød = alvorlig. Teksten står alltid i cellen.",
        "en": "Colours as in Prosjektportalen: ● green = on track, ▲ amber = deviation, ■ red = serious. The text is always in the cell.",
    },
    "overview.milestones": {"nb": "Kommende milepæler", "en": "Upcoming milestones"},
    "overview.asof": {"nb": "Fra og med dato", "en": "From date"},
    "overview.asof.help": {
        "nb": "Standard er datoen for siste statusrapport i dataene (dataene er historiske).",
        "en": "The default is the date of the latest status report in the data (the data is historical).",
    },
    "overview.milestones.count": {
        "nb": "{n} {n:milepæl|milepæler} fra {date}.",
        "en": "{n} {n:milestone|milestones} from {date}.",
    },
    "overview.milestones.star": {
        "nb": "★ = milepæl for programmet som helhet.",
        "en": "★ = a milestone of the programme as a whole.",
    },
    "overview.quality": {"nb": "Datakvalitet (SHACL)", "en": "Data quality (SHACL)"},
    "overview.quality.running": {
        "nb": "Kontrollerer grafen mot SHACL-reglene …",
        "en": "Checking the graph against the SHACL shapes …",
    },
    "ict.municipalities": {"nb": "Kommuner i tabellen", "en": "Municipalities in the table"},
    "ict.municipalities.help": {
        "nb": "{n} {n:kommune|kommuner} bruker systemer; velg hvilke som vises side om side.",
        "en": "{n} municipalities use systems; choose which are shown side by side.",
    },
    "overview.quality.large": {
        "nb": "Grafen har {n} {n:trippel|tripler}: SHACL-kontrollen kan ta flere minutter, så den kjøres når du ber om det (resultatet huskes for denne versjonen av grafen).",
        "en": "The graph has {n} triples: the SHACL check can take minutes, so it runs when you ask (the result is kept for this version of the graph).",
    },
    "overview.quality.run": {"nb": "Kjør SHACL-kontrollen", "en": "Run the SHACL check"},
    "overview.quality.ok": {"nb": "Ingen brudd på SHACL-reglene.", "en": "No SHACL violations."},
    "overview.quality.found": {
        "nb": "{n} {n:merknad|merknader} fra SHACL-kontrollen:",
        "en": "{n} {n:finding|findings} from the SHACL check:",
    },
    "mstype.milestone": {"nb": "milepæl", "en": "milestone"},
    "mstype.deadline": {"nb": "frist", "en": "deadline"},
    "mstype.launch": {"nb": "lansering", "en": "launch"},
    "mstype.meeting": {"nb": "møte", "en": "meeting"},
    "mstype.decision_point": {"nb": "beslutningspunkt", "en": "decision point"},
    # Prosjektportalen status values (the data keeps the Norwegian value)
    "status.Foran plan": {"nb": "Foran plan", "en": "Ahead of plan"},
    "status.På plan": {"nb": "På plan", "en": "On plan"},
    "status.Mindre forsinkelser": {"nb": "Mindre forsinkelser", "en": "Minor delays"},
    "status.Mindre forsinkelse som kan tas igjen": {
        "nb": "Mindre forsinkelse som kan tas igjen",
        "en": "Minor delay that can be recovered",
    },
    "status.Forsinket": {"nb": "Forsinket", "en": "Delayed"},
    "status.Under budsjett": {"nb": "Under budsjett", "en": "Under budget"},
    "status.På budsjett": {"nb": "På budsjett", "en": "On budget"},
    "status.Mindre overskridelser": {"nb": "Mindre overskridelser", "en": "Minor overruns"},
    "status.Vet ikke": {"nb": "Vet ikke", "en": "Unknown"},
    "status.Over budsjett": {"nb": "Over budsjett", "en": "Over budget"},
    "status.Lav": {"nb": "Lav", "en": "Low"},
    "status.Medium": {"nb": "Medium", "en": "Medium"},
    "status.Høy": {"nb": "Høy", "en": "High"},
    "status.Ikke påbegynt": {"nb": "Ikke påbegynt", "en": "Not started"},
    "status.Bedre enn spesifikasjon": {
        "nb": "Bedre enn spesifikasjon",
        "en": "Better than specified",
    },
    "status.Ihht. spesifikasjon": {"nb": "Ihht. spesifikasjon", "en": "As specified"},
    "status.Mindre avvik fra spesifikasjon": {
        "nb": "Mindre avvik fra spesifikasjon",
        "en": "Minor deviation from the specification",
    },
    "status.Større avvik fra spesifikasjon": {
        "nb": "Større avvik fra spesifikasjon",
        "en": "Major deviation from the specification",
    },
    "status.Green": {"nb": "Grønn", "en": "Green"},
    "status.Yellow": {"nb": "Gul", "en": "Yellow"},
    "status.Red": {"nb": "Rød", "en": "Red"},
    # -- table headings -------------------------------------------------------------------
    "col.code": {"nb": "Kode", "en": "Code"},
    "col.project": {"nb": "Prosjekt", "en": "Project"},
    "col.reported": {"nb": "Rapportert", "en": "Reported"},
    "col.phase": {"nb": "Fase", "en": "Phase"},
    "col.status_time": {"nb": "Fremdrift", "en": "Schedule"},
    "col.status_budget": {"nb": "Økonomi", "en": "Budget"},
    "col.status_risk": {"nb": "Risiko", "en": "Risk"},
    "col.status_gain": {"nb": "Gevinst", "en": "Benefits"},
    "col.previous": {"nb": "Forrige (fremdrift)", "en": "Previous (schedule)"},
    "col.date": {"nb": "Dato", "en": "Date"},
    "col.milestone": {"nb": "Milepæl", "en": "Milestone"},
    "col.owner_project": {"nb": "Prosjekt", "en": "Project"},
    "col.type": {"nb": "Type", "en": "Type"},
    "col.status": {"nb": "Status", "en": "Status"},
    "col.severity": {"nb": "Alvor", "en": "Severity"},
    "col.file": {"nb": "Fil", "en": "File"},
    "col.row": {"nb": "Rad", "en": "Row"},
    "col.column": {"nb": "Kolonne", "en": "Column"},
    "col.focus": {"nb": "Node", "en": "Node"},
    "col.path": {"nb": "Sti", "en": "Path"},
    "col.message": {"nb": "Melding", "en": "Message"},
    "col.value": {"nb": "Verdi", "en": "Value"},
    "col.name": {"nb": "Navn", "en": "Name"},
    "col.kind": {"nb": "Type", "en": "Kind"},
    "col.depth": {"nb": "Ledd", "en": "Depth"},
    "col.from": {"nb": "Fra", "en": "From"},
    "col.to": {"nb": "Til", "en": "To"},
    "col.relation": {"nb": "Relasjon", "en": "Relation"},
    "col.criticality": {"nb": "Kritikalitet", "en": "Criticality"},
    "overview.conflicts": {"nb": "Der dokumentene er uenige", "en": "Where the documents disagree"},
    "overview.conflicts.none": {
        "nb": "Ingen kildekonflikter er registrert.",
        "en": "No conflicts between sources are recorded.",
    },
    "overview.conflicts.help": {
        "nb": "{n} steder der kildene gir ulike lesninger: hver lesning med kilden, og hva grafen bruker.",
        "en": "{n} places where the sources give different readings: each reading with its source, and what the graph uses.",
    },
    "col.id": {"nb": "Id", "en": "Id"},
    "col.question": {"nb": "Spørsmål", "en": "Question"},
    "col.reading": {"nb": "Lesning", "en": "Reading"},
    "col.graph_uses": {"nb": "Grafen bruker", "en": "The graph uses"},
    "explorer.stated_only": {"nb": "Bare uttalte fakta", "en": "Stated facts only"},
    "explorer.stated_only.help": {
        "nb": "Skjul koblinger som er tolket fra dokumentene eller hentet utenfra (f.eks. SSB).",
        "en": "Hide links interpreted from the documents or taken from outside them (e.g. SSB).",
    },
    "certainty.stated": {"nb": "uttalt", "en": "stated"},
    "certainty.interpreted": {"nb": "tolket", "en": "interpreted"},
    "certainty.external": {"nb": "ekstern", "en": "external"},
    "col.certainty": {
        "nb": "Sikkerhet (uttalt / tolket / ekstern)",
        "en": "Certainty (stated / interpreted / external)",
    },
    "col.rationale": {"nb": "Begrunnelse (sitat)", "en": "Rationale (quote)"},
    "col.source": {"nb": "Kilde", "en": "Source"},
    "col.document": {"nb": "Dokument", "en": "Document"},
    "col.seq": {"nb": "Nr.", "en": "No."},
    "col.item": {"nb": "Punkt", "en": "Item"},
    "col.due": {"nb": "Frist", "en": "Due"},
    "col.body": {"nb": "Organ", "en": "Body"},
    "col.service_area": {"nb": "Tjenesteområde", "en": "Service area"},
    "col.domain": {"nb": "Delområde", "en": "Domain"},
    "col.chosen": {"nb": "Valgt for nye Asker", "en": "Chosen for the new municipality"},
    "col.decision": {"nb": "Beslutning", "en": "Decision"},
    "col.reason": {"nb": "Begrunnelse", "en": "Reason"},
    "col.system": {"nb": "System", "en": "System"},
    "col.municipality": {"nb": "Kommune", "en": "Municipality"},
    "col.availability": {"nb": "Krav til tilgjengelighet", "en": "Availability requirement"},
    "col.m_tasks": {"nb": "Modenhet: oppgaver", "en": "Maturity: tasks"},
    "col.m_functions": {"nb": "Modenhet: funksjoner", "en": "Maturity: functions"},
    "col.m_technology": {"nb": "Modenhet: teknologi", "en": "Maturity: technology"},
    "col.m_dataflow": {"nb": "Modenhet: dataflyt", "en": "Maturity: data flow"},
    "col.computed_status": {"nb": "Beregnet status", "en": "Computed status"},
    "col.score": {"nb": "Poeng", "en": "Score"},
    "col.phase_out": {"nb": "Bør fases ut?", "en": "Phase out?"},
    "col.replaced_by": {"nb": "Erstattes av", "en": "Replaced by"},
    "col.used_by": {"nb": "Brukes av", "en": "Used by"},
    "col.operated_by": {"nb": "Driftes av", "en": "Operated by"},
    "col.operator": {"nb": "Driftsleverandør", "en": "Operator"},
    "col.customer": {"nb": "For", "en": "For"},
    "col.service": {"nb": "Tjeneste", "en": "Service"},
    "col.from_date": {"nb": "Fra", "en": "From"},
    "col.to_date": {"nb": "Til", "en": "To"},
    "col.wind_down": {"nb": "Endring / avvikling", "en": "Change / wind-down"},
    "col.company": {"nb": "Selskap", "en": "Company"},
    "col.form": {"nb": "Organisasjonsform", "en": "Form"},
    "col.target": {"nb": "Mål/delmål", "en": "Goal/target"},
    "col.local_goal": {"nb": "Lokalt mål", "en": "Local goal"},
    "col.plan_action": {"nb": "Plan / tiltak", "en": "Plan / action"},
    "col.kpi": {"nb": "KPI", "en": "KPI"},
    "col.values": {"nb": "Verdier (område år type=verdi)", "en": "Values (area year type=value)"},
    "col.code_as_written": {"nb": "Kode i dokumentet", "en": "Code as written"},
    "col.served": {
        "nb": "Tjent (tiltak eller plan med prosjekt)",
        "en": "Served (action or plan with a project)",
    },
    "col.goal": {"nb": "Hovedmål", "en": "Goal"},
    "col.total": {"nb": "Sum", "en": "Total"},
    "col.meaning": {"nb": "Betydning", "en": "Meaning"},
    "col.projects_from": {"nb": "Prosjekter (fra)", "en": "Projects (from)"},
    "col.projects_to": {"nb": "Prosjekter (til)", "en": "Projects (to)"},
    "col.assessor": {"nb": "Vurdert av", "en": "Assessor"},
    # -- dependency explorer --------------------------------------------------------------
    "explorer.title": {"nb": "Avhengigheter", "en": "Dependency explorer"},
    "explorer.intro": {
        "nb": "Velg prosjekter og retning: oppstrøms er det prosjektet avhenger av, nedstrøms er det som avhenger av prosjektet. Hver lenke har begrunnelse og kilde.",
        "en": "Choose projects and a direction: upstream is what the project depends on, downstream is what depends on it. Every link has a rationale and a source.",
    },
    "explorer.projects": {"nb": "Prosjekter", "en": "Projects"},
    "explorer.projects.placeholder": {
        "nb": "Velg ett eller flere prosjekter",
        "en": "Choose one or more projects",
    },
    "explorer.direction": {"nb": "Retning", "en": "Direction"},
    "explorer.direction.up": {"nb": "Avhenger av", "en": "Depends on"},
    "explorer.direction.down": {"nb": "Avhengige", "en": "Dependents"},
    "explorer.direction.both": {"nb": "Begge", "en": "Both"},
    "explorer.depth": {"nb": "Dybde", "en": "Depth"},
    "explorer.direction.help": {
        "nb": "Avhenger av = oppstrøms (det prosjektet trenger); avhengige = nedstrøms (det som trenger prosjektet).",
        "en": "Depends on = upstream (what the project needs); dependents = downstream (what needs the project).",
    },
    "explorer.depth.help": {
        "nb": "1 = bare direkte avhengigheter; høyere tall tar med indirekte.",
        "en": "1 = direct dependencies only; higher numbers add indirect ones.",
    },
    "explorer.relations": {"nb": "Relasjonstyper", "en": "Relation kinds"},
    "explorer.relations.help": {
        "nb": "Avhengigheter er standard; legg til struktur, styring, systemer, mål eller planer for å se mer.",
        "en": "Dependencies by default; add structure, governance, systems, goals or plans to see more.",
    },
    "explorer.pick": {"nb": "Velg minst ett prosjekt.", "en": "Choose at least one project."},
    "explorer.none": {
        "nb": "Ingen lenker av valgte typer fra {projects}.",
        "en": "No links of the chosen kinds from {projects}.",
    },
    "explorer.summary.up": {
        "nb": "**{projects}** avhenger av **{n}** {n:node|noder} (se tabellen).",
        "en": "**{projects}** depends on **{n}** {n:node|nodes} (see the table).",
    },
    "explorer.summary.down": {
        "nb": "**{n}** {n:node|noder} avhenger av **{projects}**.",
        "en": "**{n}** {n:node depends|nodes depend} on **{projects}**.",
    },
    "explorer.summary.both": {
        "nb": "**{n}** {n:node henger|noder henger} sammen med **{projects}** i begge retninger.",
        "en": "**{n}** {n:node is|nodes are} linked to **{projects}** in either direction.",
    },
    "explorer.reached": {"nb": "Funnet", "en": "Reached"},
    "explorer.links": {
        "nb": "Lenkene i grafen ({n}) med sti og kilde",
        "en": "The links in the graph ({n}) with path and source",
    },
    "family.depends": {"nb": "Avhengigheter", "en": "Dependencies"},
    "family.structure": {"nb": "Struktur (del av)", "en": "Structure (part of)"},
    "family.governance": {"nb": "Styring", "en": "Governance"},
    "family.concerns": {"nb": "Systemer og selskaper", "en": "Systems and companies"},
    "family.goals": {"nb": "Mål, planer og tiltak", "en": "Goals, plans and actions"},
    "family.plans": {"nb": "Milepæler, mandat, risiko", "en": "Milestones, mandate, risk"},
    "crit.primary": {"nb": "viktigste", "en": "primary"},
    "crit.high": {"nb": "høy", "en": "high"},
    "crit.normal": {"nb": "normal", "en": "normal"},
    "crit.low": {"nb": "lav", "en": "low"},
    # -- impact ---------------------------------------------------------------------------
    "impact.title": {"nb": "Konsekvenser og hva-hvis", "en": "Impact and what-if"},
    "impact.intro": {
        "nb": "Hva berøres hvis noe blir forsinket eller borte? Hvert treff viser stien som forklarer det.",
        "en": "What is affected if something is late or gone? Each hit shows the path that explains it.",
    },
    "impact.example.slip": {
        "nb": "Eksempel: {project} blir {weeks} {weeks:uke|uker} forsinket",
        "en": "Example: {project} slips {weeks} weeks",
    },
    "impact.example.off": {
        "nb": "Eksempel: {system} slås av",
        "en": "Example: {system} is switched off",
    },
    "impact.mode": {"nb": "Scenario", "en": "Scenario"},
    "impact.mode.slip": {"nb": "Prosjekt blir forsinket", "en": "A project slips"},
    "impact.mode.switch_off": {"nb": "System slås av", "en": "A system is switched off"},
    "impact.mode.impact": {
        "nb": "Alt som avhenger av en node",
        "en": "Everything that depends on a node",
    },
    "impact.project": {"nb": "Prosjekt", "en": "Project"},
    "impact.weeks": {"nb": "Uker forsinket", "en": "Weeks late"},
    "impact.system": {"nb": "System", "en": "System"},
    "impact.node": {"nb": "Node", "en": "Node"},
    "impact.node.help": {
        "nb": "Prosjekt, system, selskap, organ, bærekraftsmål …",
        "en": "Project, system, company, body, SDG target …",
    },
    "impact.asof": {"nb": "I dag (for dataene)", "en": "Today (for the data)"},
    "impact.asof.help": {
        "nb": "Milepæler før denne datoen og milepæler som er ferdige regnes ikke som i fare.",
        "en": "Milestones before this date and milestones already done are not counted as at risk.",
    },
    "impact.pick": {"nb": "Velg en node.", "en": "Choose a node."},
    "impact.summary.node": {
        "nb": "**{n}** {n:node|noder} avhenger direkte eller indirekte av **{node}**.",
        "en": "**{n}** {n:node depends|nodes depend} directly or indirectly on **{node}**.",
    },
    "impact.summary.slip": {
        "nb": "Hvis **{node}** blir **{weeks}** {weeks:uke|uker} forsinket, forsinkes **{n}** andre, og **{m}** {m:åpen milepæl|åpne milepæler} er i fare.",
        "en": "If **{node}** slips **{weeks}** weeks, **{n}** others are delayed and **{m}** open milestones are at risk.",
    },
    "impact.summary.off": {
        "nb": "Hvis **{node}** slås av, berøres **{n}** {n:node|noder}, og **{m}** {m:åpen milepæl|åpne milepæler} er i fare.",
        "en": "If **{node}** is switched off, **{n}** nodes are affected and **{m}** open milestones are at risk.",
    },
    "impact.programme.late": {
        "nb": "Programmets milepæl «{title}» ({date}) er i fare: {weeks} {weeks:uke|uker} for sent → {new}. Sti: {path}",
        "en": "The programme milestone «{title}» ({date}) is at risk: {weeks} weeks late → {new}. Path: {path}",
    },
    "impact.milestones": {"nb": "Milepæler i fare ({n})", "en": "Milestones at risk ({n})"},
    "impact.milestones.none": {
        "nb": "Ingen åpne milepæler etter {date} er i fare.",
        "en": "No open milestones after {date} are at risk.",
    },
    "impact.assumed.help": {
        "nb": "«Antatt»: uten sluttdato i dataene antas hele forsinkelsen å forplante seg.",
        "en": "“Assumed”: with no end date in the data, the whole delay is assumed to carry over.",
    },
    "impact.delays": {"nb": "Forsinkelser ({n})", "en": "Delays ({n})"},
    "impact.graph": {"nb": "Graf over det som berøres", "en": "Graph of what is affected"},
    "impact.graph.whatif": {"nb": "Hvordan konsekvensen sprer seg", "en": "How the effect spreads"},
    "impact.ranked": {
        "nb": "Rangert: direkte først, så etter styrke ({n})",
        "en": "Ranked: direct first, then by strength ({n})",
    },
    "impact.shown": {
        "nb": "Viser de {shown} første av {n} treff.",
        "en": "Showing the first {shown} of {n} rows.",
    },
    "impact.more": {"nb": "Vis {n} til", "en": "Show {n} more"},
    "impact.every": {"nb": "Vis alle", "en": "Show all"},
    "impact.weak": {"nb": "Vis svake treff", "en": "Show weak rows"},
    "impact.weak.help": {
        "nb": "Også treff med så svak sti at de ellers utelates.",
        "en": "Also rows whose path is so weak that they are otherwise left out.",
    },
    "impact.left_out": {
        "nb": "{n} svakere treff er utelatt (styrke under {min}). Kryss av for «Vis svake treff» for å se dem.",
        "en": "{n} weaker rows are left out (strength below {min}). Tick «Show weak rows» to see them.",
    },
    "impact.interpreted.help": {
        "nb": "«Tolket» og * i stien: minst ett ledd er en tolkning av kilden, ikke sagt uttrykkelig der.",
        "en": "«Interpreted» and * in the path: at least one hop is an interpretation of the source, not stated in it.",
    },
    "impact.who": {
        "nb": "Hvem må handle: eier, styre og den som beslutter, for hver milepæl som blir for sen.",
        "en": "Who must act: owner, board and the body that decides, for each milestone that becomes late.",
    },
    "impact.timeline": {"nb": "Tidslinje og kritisk sti", "en": "Timeline and critical path"},
    "impact.timeline.help": {
        "nb": "Prosjekter som stolper og milepæler som ruter; stiplede piler viser hva som venter på hva. Rødt er det forsinkelsen legger til.",
        "en": "Projects as bars and milestones as diamonds; dashed arrows show what waits for what. Red is what the slip adds.",
    },
    "impact.timeline.limited": {
        "nb": "Tidslinjen har {n} {n:prosjekt eller milepæl|prosjekter og milepæler}; her vises {shown} av dem: den kritiske linjen og det forsinkelsen flytter.",
        "en": "The timeline has {n} {n:project or milestone|projects and milestones}; shown here are {shown} of them: the critical path and what the slip moves.",
    },
    "impact.timeline.moved": {
        "nb": "Bare det som flyttes og det det venter på",
        "en": "Only what moves and what it waits for",
    },
    "impact.timeline.before": {"nb": "Plan", "en": "Plan"},
    "impact.timeline.none": {
        "nb": "Ingen daterte prosjekter eller milepæler å vise.",
        "en": "No dated projects or milestones to show.",
    },
    "impact.critical": {"nb": "Kritisk sti", "en": "Critical path"},
    "impact.critical.milestone": {"nb": "Milepæl", "en": "Milestone"},
    "impact.critical.help": {
        "nb": "Kjeden av avhengigheter som bestemmer milepælens dato; rapportering og programmedlemskap teller ikke. Kjeden er uthevet i tidslinjen.",
        "en": "The chain of dependencies that decides the milestone's date; reporting and programme membership do not count. The chain is highlighted in the timeline.",
    },
    "impact.critical.none": {
        "nb": "Ingen avhengigheter bestemmer denne milepælens dato.",
        "en": "No dependencies decide this milestone's date.",
    },
    # -- governance -----------------------------------------------------------------------
    "gov.title": {"nb": "Styring", "en": "Governance"},
    "gov.intro": {
        "nb": "Hvem eier, styrer og bestemmer over prosjektene, og hvem rapporterer til hvem.",
        "en": "Who owns, steers and decides over the projects, and who reports to whom.",
    },
    "gov.section": {"nb": "Visning", "en": "View"},
    "gov.section.project": {
        "nb": "Ansvarskjede for et prosjekt",
        "en": "Accountability of a project",
    },
    "gov.section.chart": {"nb": "Organer og rapportering", "en": "Bodies and reporting lines"},
    "gov.section.raci": {"nb": "Ansvarsmatrise", "en": "Responsibility matrix"},
    "gov.project": {"nb": "Prosjekt", "en": "Project"},
    "gov.chain": {"nb": "Ansvarskjede", "en": "Accountability chain"},
    "gov.chain.none": {
        "nb": "Ingen eier, leder eller styringsgruppe er registrert.",
        "en": "No owner, leader or steering body is recorded.",
    },
    "gov.above": {"nb": "Organene over prosjektet", "en": "The bodies above the project"},
    "gov.level": {"nb": "nivå {n}", "en": "level {n}"},
    "gov.mandate": {"nb": "Mandat", "en": "Mandate"},
    "gov.mandate.none": {
        "nb": "Ingen mandat er registrert for prosjektet.",
        "en": "No mandate is recorded for the project.",
    },
    "gov.decided_by": {"nb": "Vedtatt av", "en": "Decided by"},
    "gov.decided_on": {"nb": "Dato", "en": "Date"},
    "gov.status": {"nb": "Status", "en": "Status"},
    "gov.deliverable": {"nb": "leveranse", "en": "deliverable"},
    "gov.task": {"nb": "oppgave", "en": "task"},
    "gov.with_projects": {"nb": "Vis prosjekter", "en": "Show projects"},
    "gov.with_people": {"nb": "Vis personer", "en": "Show people"},
    "gov.chart": {"nb": "Organer og rapporteringslinjer", "en": "Bodies and reporting lines"},
    "gov.chart.help": {
        "nb": "Øverst: kommunestyrene og fellesnemnda. Pilene peker oppover mot den det rapporteres til.",
        "en": "At the top: the municipal councils and the joint committee. Arrows point up to whom is reported to.",
    },
    "gov.unconnected": {
        "nb": "{n} {n:organ|organer} uten registrert rapporteringslinje eller tilknytning vises ikke: {names}.",
        "en": "{n} bodies with no recorded reporting line or affiliation are not shown: {names}.",
    },
    "gov.raci.none": {"nb": "Ingen roller å vise.", "en": "No roles to show."},
    "gov.raci.help": {
        "nb": "Rader: organer. Kolonner: prosjekter. Cellen viser hvilken rolle organet har for prosjektet.",
        "en": "Rows: bodies. Columns: projects. A cell shows the body's role for the project.",
    },
    "role.owner": {"nb": "Eier", "en": "Owner"},
    "role.leader": {"nb": "Leder", "en": "Leader"},
    "role.steering_body": {"nb": "Styringsgruppe / prosjektstyre", "en": "Steering body"},
    "role.steering_member": {
        "nb": "Medlemmer av styringsgruppen",
        "en": "Members of the steering body",
    },
    "role.mandate": {"nb": "Mandat", "en": "Mandate"},
    "role.mandate_decided_by": {"nb": "Mandatet vedtatt av", "en": "Mandate decided by"},
    "raci.owner": {"nb": "eier", "en": "owner"},
    "raci.owner.help": {"nb": "prosjekteier (ansvarlig)", "en": "project owner (accountable)"},
    "raci.steering": {"nb": "styrer", "en": "steers"},
    "raci.steering.help": {
        "nb": "styringsgruppe eller prosjektstyre",
        "en": "steering group or project board",
    },
    "raci.leader": {"nb": "leder", "en": "leads"},
    "raci.leader.help": {
        "nb": "leder prosjektet (utfører)",
        "en": "leads the project (responsible)",
    },
    "raci.reports_to": {"nb": "mottar rapport", "en": "reported to"},
    "raci.reports_to.help": {
        "nb": "prosjektet rapporterer hit (informeres)",
        "en": "the project reports here (informed)",
    },
    "raci.group": {"nb": "gruppe", "en": "group"},
    "raci.group.help": {
        "nb": "organ i prosjektet (arbeids-/prosjektgruppe)",
        "en": "a body inside the project (working or project group)",
    },
    "raci.mandate": {"nb": "ga mandat", "en": "mandate"},
    "raci.mandate.help": {"nb": "vedtok prosjektets mandat", "en": "decided the project's mandate"},
    "raci.decides": {"nb": "beslutter", "en": "decides"},
    "raci.decides.help": {
        "nb": "beslutning eller beslutningspunkt om prosjektet",
        "en": "a decision or decision point about the project",
    },
    # -- ICT ------------------------------------------------------------------------------
    "ict.title": {"nb": "IKT-portefølje", "en": "ICT portfolio"},
    "ict.intro": {
        "nb": "Systemene hver kommune brukte per delområde, systemet som er valgt for den nye kommunen (✓), og hva som fases ut.",
        "en": "The systems each municipality used per domain, the system chosen for the new municipality (✓), and what is phased out.",
    },
    "ict.none": {"nb": "Ingen IKT-systemer i datasettet.", "en": "No ICT systems in the dataset."},
    "ict.municipalities.empty": {
        "nb": "Velg minst én kommune for å se systemene og evalueringene deres.",
        "en": "Choose at least one municipality to see its systems and evaluations.",
    },
    "ict.mark": {"nb": "Marker et system", "en": "Mark a system"},
    "ict.mark.help": {
        "nb": "Cellene der systemet står, markeres gult i matrisen.",
        "en": "The cells that hold the system are marked yellow in the matrix.",
    },
    "ict.chosen_for": {
        "nb": "**{system}** er valgt for «{domain}» (beslutning: {decision}; av {by}, {date}): «{reason}»",
        "en": "**{system}** is chosen for «{domain}» (decision: {decision}; by {by}, {date}): «{reason}»",
    },
    "ict.replaced_in": {
        "nb": "**{system}** fases ut i {domains}.",
        "en": "**{system}** is phased out in {domains}.",
    },
    "ict.used_by": {
        "nb": "**{system}** brukes i dag av: {where}.",
        "en": "**{system}** is used today by: {where}.",
    },
    "ict.not_in_portfolio": {
        "nb": "{system} er ikke i porteføljen.",
        "en": "{system} is not in the portfolio.",
    },
    "ict.matrix": {"nb": "Delområde × kommune", "en": "Domain × municipality"},
    "ict.matrix.help": {
        "nb": "✓ = valgt for nye Asker. Gult = systemet du har markert. Grønt = valgt system i bruk.",
        "en": "✓ = chosen for the new municipality. Yellow = the system you marked. Green = a chosen system in use.",
    },
    "ict.evaluations": {"nb": "Evaluering av systemene", "en": "System evaluations"},
    "ict.evaluations.none": {
        "nb": "Ingen evalueringer i datasettet.",
        "en": "No evaluations in the dataset.",
    },
    "ict.evaluations.help": {
        "nb": "Modenhet 1–5 per dimensjon; poengene er tallet i kolonnen «Bør fases ut?» i kilden.",
        "en": "Maturity 1–5 per dimension; the score is the number in the source's «Bør fases ut?» column.",
    },
    "picker.search": {"nb": "Søk blant {n}", "en": "Search among {n}"},
    "picker.search.placeholder": {
        "nb": "skriv en del av navnet eller koden",
        "en": "type part of the name or the code",
    },
    "picker.more": {
        "nb": "Viser {m} av {n} treff: skriv mer i søket for å finne resten.",
        "en": "Showing {m} of {n} matches: type more in the search to find the rest.",
    },
    "picker.none": {"nb": "Ingen treff for «{q}».", "en": "No match for «{q}»."},
    "ict.evaluations.chosen": {
        "nb": "Viser evalueringene for {n} {n:kommune|kommuner} som er valgt i tabellen over.",
        "en": "Showing the evaluations of the {n} {n:municipality|municipalities} chosen for the table above.",
    },
    "ict.phase_out": {"nb": "Systemer som fases ut", "en": "Systems to phase out"},
    "ict.phase_out.none": {
        "nb": "Ingen systemer er merket for utfasing.",
        "en": "No systems are marked for phase-out.",
    },
    "ict.operators": {
        "nb": "Drift (IKS og IKT-enheter) og avvikling",
        "en": "Operators (IKS and ICT units) and wind-down",
    },
    "ict.companies": {
        "nb": "Selskaper og IKS per kommune (lagret spørring «companies»)",
        "en": "Companies and IKS per municipality (named query «companies»)",
    },
    "ict.companies.none": {
        "nb": "Ingen selskaper i datasettet.",
        "en": "No companies in the dataset.",
    },
    "decision.chosen": {"nb": "valgt", "en": "chosen"},
    "decision.continued": {"nb": "videreføres", "en": "continued"},
    "decision.procurement": {"nb": "anskaffelse", "en": "procurement"},
    "decision.pending": {"nb": "ikke avklart", "en": "pending"},
    "ownrole.owner": {"nb": "eier", "en": "owner"},
    "ownrole.customer": {"nb": "kunde", "en": "customer"},
    "ownrole.owner_customer": {"nb": "eier og kunde", "en": "owner and customer"},
    "ownrole.member": {"nb": "medlem", "en": "member"},
    "ownrole.host": {"nb": "vertskommune", "en": "host municipality"},
    "ownrole.representative": {"nb": "eierrepresentant", "en": "owners' representative"},
    "ownrole.served_by": {"nb": "driftes av", "en": "served by"},
    # -- SDG ------------------------------------------------------------------------------
    "sdg.title": {"nb": "Bærekraftsmål – sporbarhet", "en": "SDG traceability"},
    "sdg.intro": {
        "nb": "Fra FNs mål og delmål til lokale mål, planer, tiltak, prosjekter og KPI-er – og tilbake.",
        "en": "From the UN goals and targets to local goals, plans, actions, projects and KPIs – and back.",
    },
    "sdg.section": {"nb": "Visning", "en": "View"},
    "sdg.section.down": {"nb": "Fra mål ned til tiltak", "en": "From goal down to actions"},
    "sdg.section.up": {"nb": "Fra prosjekt opp til mål", "en": "From project up to goals"},
    "sdg.section.coverage": {
        "nb": "Dekning 17 mål × prosjekter",
        "en": "Coverage 17 goals × projects",
    },
    "sdg.section.gaps": {"nb": "Hull", "en": "Gaps"},
    "sdg.section.interactions": {"nb": "Samspill (−3..+3)", "en": "Interactions (−3..+3)"},
    "sdg.none": {"nb": "Ingen bærekraftsmål i datasettet.", "en": "No SDGs in the dataset."},
    "sdg.target": {"nb": "Mål eller delmål", "en": "Goal or target"},
    "sdg.target.help": {
        "nb": "De 17 hovedmålene og delmålene som et lokalt mål viser til.",
        "en": "The 17 goals and the targets a local goal points to.",
    },
    "sdg.down.none": {
        "nb": "Ingen lokale mål viser til {target}.",
        "en": "No local goal points to {target}.",
    },
    "sdg.down.summary": {
        "nb": "**{target}**: {goals} {goals:lokalt mål|lokale mål}, {projects} {projects:prosjekt|prosjekter}.",
        "en": "**{target}**: {goals} {goals:local goal|local goals}, {projects} {projects:project|projects}.",
    },
    "sdg.project": {"nb": "Prosjekt", "en": "Project"},
    "sdg.up.none": {
        "nb": "{project} er ikke koblet til noe bærekraftsmål (gjennom lokale mål, planer eller tiltak).",
        "en": "{project} is not linked to any SDG (through local goals, plans or actions).",
    },
    "sdg.up.summary": {
        "nb": "**{project}** bidrar til målene: {goals}.",
        "en": "**{project}** contributes to the goals: {goals}.",
    },
    "sdg.coverage.help": {
        "nb": "Antall koblinger fra prosjektets lokale mål, planer og tiltak til hvert av de 17 målene. Tom celle = ingen kobling.",
        "en": "Number of links from the project's local goals, plans and actions to each of the 17 goals. Empty cell = no link.",
    },
    "sdg.coverage.gaps": {
        "nb": "{n} av de 17 målene har ingen kobling til noe prosjekt.",
        "en": "{n} of the 17 goals have no link to any project.",
    },
    "sdg.gap.none": {"nb": "Ingen hull.", "en": "No gaps."},
    "sdg.interactions.empty": {
        "nb": "Ingen samspillsvurderinger er registrert ennå. Samspill beskriver hvordan ett mål påvirker et annet på skalaen −3 (motvirker) til +3 (uløselig knyttet), etter Nilsson m.fl. Legg dem inn i interactions.csv (fra, til, score, begrunnelse, vurdert av, dato) og last datasettet på nytt.",
        "en": "No interaction assessments are recorded yet. An interaction says how one goal affects another on the scale −3 (cancelling) to +3 (indivisible), after Nilsson et al. Add them to interactions.csv (from, to, score, rationale, assessor, date) and load the dataset again.",
    },
    "sdg.interactions.conflicts": {
        "nb": "{n} {n:målkonflikt|målkonflikter} (negativ verdi): prosjektene på hver side trekker mot hverandre.",
        "en": "{n} trade-offs (negative score): the projects on each side pull against each other.",
    },
    "sdg.interactions.matrix": {
        "nb": "Fra (rad) × til (kolonne)",
        "en": "From (row) × to (column)",
    },
    "nilsson.3": {"nb": "+3 uløselig knyttet", "en": "+3 indivisible"},
    "nilsson.2": {"nb": "+2 forsterker", "en": "+2 reinforcing"},
    "nilsson.1": {"nb": "+1 muliggjør", "en": "+1 enabling"},
    "nilsson.0": {"nb": "0 nøytral", "en": "0 consistent"},
    "nilsson.-1": {"nb": "−1 begrenser", "en": "−1 constraining"},
    "nilsson.-2": {"nb": "−2 motvirker", "en": "−2 counteracting"},
    "nilsson.-3": {"nb": "−3 utelukker", "en": "−3 cancelling"},
    # -- query console --------------------------------------------------------------------
    "console.title": {"nb": "Spørringer", "en": "Query console"},
    "console.intro": {
        "nb": "Skrivebeskyttet: bare lesespørringer, høyst {seconds} s og {rows} {rows:rad|rader}.",
        "en": "Read-only: read queries only, at most {seconds} s and {rows} rows.",
    },
    "console.section": {"nb": "Visning", "en": "View"},
    "console.section.named": {"nb": "Lagrede spørringer", "en": "Named queries"},
    "console.section.sparql": {"nb": "Skriv en spørring", "en": "Write a query"},
    "console.language": {"nb": "Spørrespråk", "en": "Query language"},
    "console.cypher.off": {
        "nb": "Cypher: ikke konfigurert (sett KG_NEO4J_URI for å koble til Neo4j).",
        "en": "Cypher: not configured (set KG_NEO4J_URI to connect to Neo4j).",
    },
    "console.cypher.no_backend": {
        "nb": "Cypher: KG_NEO4J_URI er satt ({uri}), men Neo4j-koblingen finnes ikke i denne versjonen.",
        "en": "Cypher: KG_NEO4J_URI is set ({uri}), but this version has no Neo4j backend.",
    },
    "console.cypher.on": {"nb": "Cypher mot {uri}", "en": "Cypher against {uri}"},
    "console.query": {"nb": "Spørring", "en": "Query"},
    "console.query.help": {
        "nb": "Prefiksene kg:, skos:, dct:, prov:, org:, foaf: og sdg: er forhåndsdefinert.",
        "en": "The prefixes kg:, skos:, dct:, prov:, org:, foaf: and sdg: are predefined.",
    },
    "console.query.help_cypher": {
        "nb": "Cypher mot Neo4j-databasen som «kg push» har fylt; bare lesespørringer.",
        "en": "Cypher against the Neo4j database that «kg push» filled; read queries only.",
    },
    "console.no_cypher": {
        "nb": "Denne spørringen finnes bare i SPARQL.",
        "en": "This query exists in SPARQL only.",
    },
    "console.run": {"nb": "Kjør", "en": "Run"},
    "console.running": {"nb": "Kjører …", "en": "Running …"},
    "console.error": {"nb": "Spørringen ble ikke kjørt:", "en": "The query was not run:"},
    "console.named": {"nb": "Lagret spørring", "en": "Named query"},
    "console.show_text": {"nb": "Vis spørreteksten", "en": "Show the query text"},
    "console.result": {"nb": "Resultat: {title}", "en": "Result: {title}"},
    "console.boolean": {"nb": "Svar: **{value}**", "en": "Answer: **{value}**"},
    "console.rows": {
        "nb": "{n} {n:rad|rader} på {seconds} s.",
        "en": "{n} {n:row|rows} in {seconds} s.",
    },
    "console.truncated": {
        "nb": "Svaret er kuttet ved {n} {n:rad|rader}.",
        "en": "The answer was cut at {n} rows.",
    },
    "console.view": {"nb": "Vis som", "en": "Show as"},
    "console.view.table": {"nb": "Tabell", "en": "Table"},
    "console.view.graph": {"nb": "Graf", "en": "Graph"},
    "console.graph.none": {
        "nb": "Resultatet har ingen noder å tegne (ingen IRI-er).",
        "en": "The result has no nodes to draw (no IRIs).",
    },
    "console.max_rows": {"nb": "Største antall rader", "en": "Most rows"},
    # -- data -----------------------------------------------------------------------------
    "data.title": {"nb": "Data", "en": "Data"},
    "data.current": {"nb": "Gjeldende datasett", "en": "Current dataset"},
    "data.dataset": {"nb": "Datasett", "en": "Dataset"},
    "data.triples": {"nb": "Tripler", "en": "Triples"},
    "data.nodes": {"nb": "Noder", "en": "Nodes"},
    "data.records": {"nb": "Poster (rader)", "en": "Records (rows)"},
    "data.upload": {"nb": "Last opp et datasett", "en": "Upload a dataset"},
    "data.upload.help": {
        "nb": "En mappe med CSV-filer og manifest.yaml som .zip, en .xlsx-arbeidsbok (ett ark per type), én CSV-fil med navnet til en posttype (for eksempel kilder.csv), eller RDF (.ttl, .nt, .jsonld). Høyst {mb} MB. Datasettet valideres helt før det lastes; bare du ser det, og det forsvinner når økten slutter.",
        "en": "A folder of CSV files with manifest.yaml as .zip, an .xlsx workbook (one sheet per kind), one CSV file named after a kind of record (for example sources.csv), or RDF (.ttl, .nt, .jsonld). At most {mb} MB. The dataset is validated completely before it is loaded; only you see it, and it is gone when the session ends.",
    },
    "data.upload.label": {"nb": "Velg fil", "en": "Choose a file"},
    "data.loaded": {
        "nb": "Lastet {file}: {records} {records:post|poster}, {triples} {triples:trippel|tripler} ({seconds} s). Det vises nå.",
        "en": "Loaded {file}: {records} records, {triples} triples ({seconds} s). It is shown now.",
    },
    "data.refused": {
        "nb": "{file} ble ikke lastet. Grafen er uendret: {current}.",
        "en": "{file} was not loaded. The graph is unchanged: {current}.",
    },
    "data.refused.help": {
        "nb": "Rad 1 er overskriftsraden. Rett feilene i filen og last den opp igjen.",
        "en": "Row 1 is the header row. Fix the problems in the file and upload it again.",
    },
    "data.datasets": {"nb": "Datasett i denne økten", "en": "Datasets in this session"},
    "data.datasets.help": {
        "nb": "Bytt mellom den medfølgende grafen og dine opplastinger.",
        "en": "Switch between the bundled graph and your uploads.",
    },
    "data.use": {"nb": "Bruk", "en": "Use"},
    "data.remove": {"nb": "Fjern", "en": "Remove"},
    "data.report": {"nb": "Valideringsrapport (SHACL)", "en": "Validation report (SHACL)"},
    "data.export": {"nb": "Eksporter grafen", "en": "Export the graph"},
    "data.export.help": {
        "nb": "Hele det gjeldende datasettet, som RDF.",
        "en": "The whole current dataset, as RDF.",
    },
    "export.portfolio": {"nb": "Prosjektportalen (Excel)", "en": "Prosjektportalen (Excel)"},
    "export.portfolio.help": {
        "nb": "Ett prosjekt per rad med Prosjektportalens standardkolonner og siste status i farger.",
        "en": "One project per row with Prosjektportalen's default columns and the latest status in colour.",
    },
    "export.archi": {"nb": "Archi (CSV, .zip)", "en": "Archi (CSV, .zip)"},
    "export.archi.help": {
        "nb": "elements.csv, relations.csv og properties.csv for Archis CSV-import.",
        "en": "elements.csv, relations.csv and properties.csv for Archi's CSV import.",
    },
    "export.graphml": {"nb": "GraphML (.graphml)", "en": "GraphML (.graphml)"},
    "export.graphml.help": {
        "nb": "Nodene og relasjonene for yEd, Gephi eller Cytoscape.",
        "en": "The nodes and relations for yEd, Gephi or Cytoscape.",
    },
    "export.turtle.help": {
        "nb": "Hele grafen som RDF (Turtle).",
        "en": "The whole graph as RDF (Turtle).",
    },
    "export.ntriples.help": {
        "nb": "Hele grafen som RDF (N-Triples).",
        "en": "The whole graph as RDF (N-Triples).",
    },
    "export.jsonld.help": {
        "nb": "Hele grafen som RDF (JSON-LD).",
        "en": "The whole graph as RDF (JSON-LD).",
    },
    "export.nquads.help": {
        "nb": "Hele grafen med navngitte grafer (N-Quads).",
        "en": "The whole graph with named graphs (N-Quads).",
    },
    "export.turtle": {"nb": "Turtle (.ttl)", "en": "Turtle (.ttl)"},
    "export.ntriples": {"nb": "N-Triples (.nt)", "en": "N-Triples (.nt)"},
    "export.jsonld": {"nb": "JSON-LD (.jsonld)", "en": "JSON-LD (.jsonld)"},
    "export.nquads": {"nb": "N-Quads (.nq)", "en": "N-Quads (.nq)"},
}

# Kinds of node (class names in the ontology) → their names.
_KINDS = {
    "Program": ("Program", "Programme"),
    "Project": ("Prosjekt", "Project"),
    "SubProject": ("Delprosjekt", "Sub-project"),
    "Study": ("Utredning", "Study"),
    "Task": ("Oppgave", "Task"),
    "GovernanceBody": ("Organ", "Governance body"),
    "Person": ("Person", "Person"),
    "Post": ("Stilling", "Post"),
    "Organization": ("Organisasjon", "Organisation"),
    "Municipality": ("Kommune", "Municipality"),
    "County": ("Fylkeskommune", "County"),
    "Company": ("Selskap", "Company"),
    "InterMunicipalCooperation": ("Interkommunalt samarbeid", "Inter-municipal cooperation"),
    "StateAgency": ("Statlig organ", "State agency"),
    "OrganizationalUnit": ("Enhet", "Organisational unit"),
    "ChangeEvent": ("Endring", "Change event"),
    "System": ("IKT-system", "ICT system"),
    "SystemDomain": ("Delområde", "System domain"),
    "SDGGoal": ("FN-hovedmål", "SDG goal"),
    "SDGTarget": ("FN-delmål", "SDG target"),
    "SDGIndicator": ("FN-indikator", "SDG indicator"),
    "LocalGoal": ("Lokalt mål", "Local goal"),
    "ProjectGoal": ("Prosjektmål", "Project goal"),
    "Plan": ("Plan", "Plan"),
    "Action": ("Tiltak", "Action"),
    "KPI": ("KPI", "KPI"),
    "Milestone": ("Milepæl", "Milestone"),
    "Phase": ("Fase", "Phase"),
    "Decision": ("Beslutning", "Decision"),
    "DecisionPoint": ("Beslutningspunkt", "Decision point"),
    "Mandate": ("Mandat", "Mandate"),
    "MandateItem": ("Mandatpunkt", "Mandate item"),
    "Deliverable": ("Leveranse", "Deliverable"),
    "SourceDocument": ("Kildedokument", "Source document"),
    "BudgetLine": ("Budsjettlinje", "Budget line"),
    "Risk": ("Risiko", "Risk"),
    "Ambiguity": ("Uklarhet i kildene", "Ambiguity"),
    "other": ("Annet", "Other"),
}
KIND_KEYS: dict[str, str] = {}
for _k, (_nb, _en) in _KINDS.items():
    KIND_KEYS[_k] = f"kind.{_k}"
    STRINGS[f"kind.{_k}"] = {"nb": _nb, "en": _en}

# Relations (predicates of the networkx view, dependency types, criticality) → how a link reads.
_RELATIONS = {
    "dependsOn": ("avhenger av", "depends on"),
    "partOf": ("del av", "part of"),
    "subOrganizationOf": ("under", "under"),
    "steeringBody": ("styres av", "steered by"),
    "projectOwner": ("eies av", "owned by"),
    "projectLeader": ("ledes av", "led by"),
    "reportsTo": ("rapporterer til", "reports to"),
    "mandateOf": ("mandat for", "mandate for"),
    "decidedBy": ("besluttet av", "decided by"),
    "memberOf": ("medlem av", "member of"),
    "concerns": ("gjelder", "concerns"),
    "usesSystem": ("bruker", "uses"),
    "hasStakeIn": ("eier / deltar i", "has a stake in"),
    "operatesFor": ("drifter for", "operates for"),
    "goalOf": ("mål for", "goal of"),
    "goalOwner": ("eies av", "owned by"),
    "servesGoal": ("tjener", "serves"),
    "actionOf": ("tiltak i", "action of"),
    "responsibleProject": ("ansvarlig prosjekt", "responsible project"),
    "broadMatch": ("bidrar til", "contributes to"),
    "kpiOf": ("KPI for", "KPI of"),
    "measures": ("måler", "measures"),
    "inPlan": ("i plan", "in plan"),
    "milestoneOf": ("milepæl for", "milestone of"),
    "phaseOf": ("fase av", "phase of"),
    "itemOf": ("punkt i", "item of"),
    "marks": ("markerer", "marks"),
    "riskOf": ("risiko for", "risk to"),
    "about": ("gjelder", "about"),
    "broader": ("under", "under"),
    "delays": ("forsinker", "delays"),
    "atRisk": ("setter i fare", "puts at risk"),
    "mandateDecidedBy": ("mandat vedtatt av", "mandate decided by"),
    "responsible": ("har ansvar for", "is responsible for"),
    "worksFor": ("arbeider i", "works for"),
    "heldBy": ("innehas av", "held by"),
    "postIn": ("stilling i", "post in"),
    "budgetOf": ("budsjett for", "budget of"),
    "funder": ("finansieres av", "funded by"),
    "funds": ("finansierer", "funds"),
    "originalOrganization": ("gjelder", "concerns"),
    "resultingOrganization": ("fører til", "results in"),
    "depends_on": ("avhenger av", "depends on"),
    "supplies": ("får leveranse fra", "is supplied by"),
    "refers_to": ("viser til", "refers to"),
    "cooperates": ("samarbeider med", "cooperates with"),
    "feeds": ("får input fra", "gets input from"),
    "precedes": ("kommer etter", "comes after"),
    "waits_for": ("venter på", "waits for"),
    "mandated_by": ("har mandat fra", "mandated by"),
    "decided_via": ("besluttes via", "decided via"),
    "reports_via": ("rapporterer via", "reports via"),
    "funded_by": ("finansieres av", "funded by"),
    "guided_by": ("styres av dokument", "guided by"),
    "continues": ("viderefører", "continues"),
    "implements": ("gjennomfører", "implements"),
    "overlaps": ("overlapper med", "overlaps"),
    "requested_by": ("bestilt av", "requested by"),
    "primary": ("viktigste", "primary"),
    "high": ("høy", "high"),
    "normal": ("normal", "normal"),
    "low": ("lav", "low"),
    "criticality": ("kritikalitet", "criticality"),
    "source": ("kilde", "source"),
    "interpreted": ("tolkning", "interpretation"),
    "external": ("ekstern kilde", "external source"),
}
RELATION_KEYS: dict[str, str] = {}
for _k, (_nb, _en) in _RELATIONS.items():
    RELATION_KEYS[_k] = f"rel.{_k}"
    STRINGS[f"rel.{_k}"] = {"nb": _nb, "en": _en}

# Result columns of the named queries (queries/*.rq) as the console and gap tables show them.
_QUERY_COLUMNS = {
    "action": ("Tiltak", "Action"),
    "affected": ("Berørt", "Affected"),
    "as_written": ("Slik det står", "As written"),
    "assessor": ("Vurdert av", "Assessed by"),
    "body": ("Organ", "Body"),
    "budget": ("Økonomi", "Budget"),
    "chosen": ("Valgt", "Chosen"),
    "code": ("Kode", "Code"),
    "company": ("Selskap", "Company"),
    "company_name": ("Selskapsnavn", "Company name"),
    "criticality": ("Kritikalitet", "Criticality"),
    "date": ("Dato", "Date"),
    "decision": ("Beslutning", "Decision"),
    "depth": ("Dybde", "Depth"),
    "domain": ("Delområde", "Domain"),
    "domain_name": ("Delområdenavn", "Domain name"),
    "events": ("Hendelser", "Events"),
    "form": ("Selskapsform", "Legal form"),
    "from": ("Fra", "From"),
    "gain": ("Gevinst", "Benefit"),
    "goal_code": ("Hovedmål", "Goal"),
    "in_use": ("I bruk", "In use"),
    "kind": ("Type", "Kind"),
    "kpi": ("KPI", "KPI"),
    "kpi_label": ("KPI-navn", "KPI name"),
    "label": ("Navn", "Name"),
    "local_goal": ("Lokalt mål", "Local goal"),
    "local_goal_label": ("Lokalt mål (navn)", "Local goal (name)"),
    "municipality": ("Kommune", "Municipality"),
    "municipality_name": ("Kommunenavn", "Municipality name"),
    "node": ("Node", "Node"),
    "operated_by": ("Driftes av", "Operated by"),
    "phase": ("Fase", "Phase"),
    "phase_out": ("Utfases", "Phased out"),
    "previous_date": ("Forrige dato", "Previous date"),
    "previous_phase": ("Forrige fase", "Previous phase"),
    "previous_time": ("Forrige fremdrift", "Previous schedule"),
    "project": ("Prosjekt", "Project"),
    "project_code": ("Prosjektkode", "Project code"),
    "project_from": ("Prosjekt fra", "Project from"),
    "project_to": ("Prosjekt til", "Project to"),
    "rationale": ("Begrunnelse", "Rationale"),
    "reason": ("Grunn", "Reason"),
    "relation": ("Relasjon", "Relation"),
    "risk": ("Risiko", "Risk"),
    "role": ("Rolle", "Role"),
    "score": ("Poeng", "Score"),
    "service_area": ("Tjenesteområde", "Service area"),
    "source": ("Kilde", "Source"),
    "step": ("Steg", "Step"),
    "step_label": ("Steg (navn)", "Step (name)"),
    "target": ("Delmål", "Target"),
    "target_code": ("Delmålskode", "Target code"),
    "target_label": ("Delmål (navn)", "Target (name)"),
    "time": ("Fremdrift", "Schedule"),
    "to": ("Til", "To"),
    "type": ("Type", "Type"),
    "values": ("Verdier", "Values"),
    "via": ("Via", "Via"),
}
for _k, (_nb, _en) in _QUERY_COLUMNS.items():
    STRINGS[f"qcol.{_k}"] = {"nb": _nb, "en": _en}

# -- history (views/history.py) ------------------------------------------------------------
STRINGS.update(
    {
        "page.history": {"nb": "Historikk", "en": "History"},
        "history.title": {"nb": "Historikk", "en": "History"},
        "history.intro": {
            "nb": "Status per prosjekt over tid i Prosjektportalens farger, og hva som er endret mellom to datoer. Hver innlasting og import lagrer et datert øyeblikksbilde.",
            "en": "Each project's status over time in Prosjektportalen's colours, and what changed between two dates. Every load and import keeps a dated snapshot.",
        },
        "history.no_store": {
            "nb": "Et opplastet datasett har ingen historikk: øyeblikksbildene lagres bare for den medfølgende grafen og importer med «kg import».",
            "en": "An uploaded dataset has no history: snapshots are kept only for the bundled graph and imports with «kg import».",
        },
        "history.none": {
            "nb": "Ingen øyeblikksbilder ennå. Last inn eller importer data først.",
            "en": "No snapshots yet. Load or import data first.",
        },
        "history.dataset": {"nb": "Datasett", "en": "Dataset"},
        "history.status": {"nb": "Status over tid", "en": "Status over time"},
        "history.no_status": {
            "nb": "Ingen statusrapporter i øyeblikksbildene av dette datasettet.",
            "en": "No status reports in this dataset's snapshots.",
        },
        "history.project": {"nb": "Prosjekt", "en": "Project"},
        "history.dimension": {"nb": "Status", "en": "Status"},
        "history.reported": {"nb": "rapportert {date}", "en": "reported {date}"},
        "history.strip.caption": {
            "nb": "Én celle per øyeblikksbilde ({n} {n:dato|datoer}): statusen den nyeste rapporten til og med den datoen ga.",
            "en": "One cell per snapshot ({n} {n:date|dates}): the status the newest report up to that date gave.",
        },
        "history.legend.green": {"nb": "Grønn: i rute", "en": "Green: on track"},
        "history.legend.amber": {"nb": "Gul: mindre avvik", "en": "Amber: minor deviation"},
        "history.legend.red": {"nb": "Rød: alvorlig avvik", "en": "Red: serious deviation"},
        "history.legend.grey": {
            "nb": "Grå: ingen status, eller ikke med i eksporten",
            "en": "Grey: no status, or not in the export",
        },
        "history.legend.before": {
            "nb": "Skravert: ikke rapportert ennå",
            "en": "Hatched: not reported yet",
        },
        "history.all": {
            "nb": "Alle prosjekter ({n})",
            "en": "All projects ({n})",
        },
        "history.diff": {"nb": "Endringer mellom to datoer", "en": "Changes between two dates"},
        "history.one_snapshot": {
            "nb": "Bare ett øyeblikksbilde ({date}): importer en nyere eksport for å se endringer.",
            "en": "Only one snapshot ({date}): import a newer export to see changes.",
        },
        "history.from": {"nb": "Fra dato", "en": "From date"},
        "history.to": {"nb": "Til dato", "en": "To date"},
        "history.only_project": {
            "nb": "Bare endringer i {project}",
            "en": "Only changes in {project}",
        },
        "history.diff.count": {
            "nb": "{n} {n:endring|endringer} fra {a} til {b}",
            "en": "{n} {n:change|changes} from {a} to {b}",
        },
        "history.edits": {
            "nb": "Endringer gjort i appen ({n})",
            "en": "Edits made in the app ({n})",
        },
        "history.edits.none": {
            "nb": "Ingen endringer gjort i appen ennå: verdiene kommer fra de innleste filene.",
            "en": "No edits made in the app yet: the values come from the loaded files.",
        },
        "history.edits.when": {"nb": "Tidspunkt (UTC)", "en": "When (UTC)"},
        "history.edits.who": {"nb": "Hvem", "en": "Who"},
        "history.edits.action": {"nb": "Handling", "en": "Action"},
        "history.edits.kind": {"nb": "Type", "en": "Kind"},
        "history.edits.key": {"nb": "Nøkkel", "en": "Key"},
        "history.edits.reason": {"nb": "Begrunnelse", "en": "Reason"},
        "history.edits.values": {"nb": "Endrede verdier", "en": "Changed values"},
        "history.edits.col.evidence": {"nb": "Belegg", "en": "Evidence"},
        "history.edits.col.locator": {"nb": "Hvor i kilden", "en": "Where in the source"},
        "history.edits.value.explicit": {"nb": "uttrykkelig", "en": "explicit"},
        "history.edits.value.implied": {"nb": "underforstått", "en": "implied"},
        "history.diff.large": {
            "nb": "Øyeblikksbildene er store ({gb} GB til sammen): å sammenligne dem kan ta "
            "minutter og mye minne, så det gjøres først når du ber om det.",
            "en": "The snapshots are large ({gb} GB together): comparing them can take minutes "
            "and much memory, so it is done only when you ask.",
        },
        "history.diff.ask": {"nb": "Sammenlign {a} og {b}", "en": "Compare {a} and {b}"},
        "history.diff.none": {
            "nb": "Ingen endringer mellom disse datoene.",
            "en": "No changes between these dates.",
        },
    }
)

STRINGS.update(
    {
        "mstatus.done": {"nb": "ferdig", "en": "done"},
        "mstatus.planned": {"nb": "planlagt", "en": "planned"},
        "mstatus.ongoing": {"nb": "pågår", "en": "ongoing"},
        "mstatus.late": {"nb": "forsinket", "en": "late"},
        "event.establishment": {"nb": "etablering", "en": "establishment"},
        "event.dissolution": {"nb": "avvikling", "en": "dissolution"},
        "event.withdrawal": {"nb": "uttreden", "en": "withdrawal"},
        "event.transfer": {"nb": "overføring", "en": "transfer"},
        "event.merger": {"nb": "sammenslåing", "en": "merger"},
        "event.renumbering": {"nb": "nytt kommunenummer", "en": "renumbering"},
        "event.renaming": {"nb": "navneendring", "en": "renaming"},
        "orgform.kommunal_virksomhet": {"nb": "kommunal virksomhet", "en": "municipal unit"},
        "orgform.IKS": {"nb": "IKS", "en": "IKS (inter-municipal company)"},
        "orgform.annet": {"nb": "annet", "en": "other"},
        "orgform.kommune": {"nb": "kommune", "en": "municipality"},
        "orgform.statlig": {"nb": "statlig", "en": "state"},
        "page.kpis": {"nb": "KPI, budsjett og risiko", "en": "KPIs, budgets and risks"},
        "kpis.title": {"nb": "KPI-er, budsjett og risiko", "en": "KPIs, budgets and risks"},
        "kpis.intro": {
            "nb": "Utgangspunkt, målinger og mål per kommune for hver KPI; budsjettlinjene med summer; risikoregisteret.",
            "en": "Baseline, measurements and target per municipality for each KPI; the budget lines with sums; the risk register.",
        },
        "kpis.section": {"nb": "Visning", "en": "View"},
        "kpis.section.kpis": {"nb": "KPI-er", "en": "KPIs"},
        "kpis.section.budget": {"nb": "Budsjett", "en": "Budget"},
        "kpis.section.risks": {"nb": "Risiko", "en": "Risks"},
        "kpis.none": {
            "nb": "Ingen KPI-målinger i datasettet.",
            "en": "No KPI measurements in the dataset.",
        },
        "kpis.kpi": {"nb": "KPI", "en": "KPI"},
        "kpis.unit": {"nb": "Enhet", "en": "Unit"},
        "kpis.goal": {"nb": "Måler", "en": "Measures"},
        "kpis.sdg": {"nb": "Bærekraftsmål", "en": "SDG"},
        "kpis.budget.none": {
            "nb": "Ingen budsjettlinjer i datasettet.",
            "en": "No budget lines in the dataset.",
        },
        "kpis.budget.sums": {"nb": "Summer per år og type", "en": "Sums per year and kind"},
        "kpis.budget.lines": {
            "nb": "{n} {n:budsjettlinje|budsjettlinjer}",
            "en": "{n} {n:budget line|budget lines}",
        },
        "kpis.risks.none": {"nb": "Ingen risikoer i datasettet.", "en": "No risks in the dataset."},
        "kpis.risks.count": {"nb": "{n} {n:risiko|risikoer}", "en": "{n} {n:risk|risks}"},
        "mtype.baseline": {"nb": "utgangspunkt", "en": "baseline"},
        "mtype.actual": {"nb": "måling", "en": "actual"},
        "mtype.target": {"nb": "mål", "en": "target"},
        "btype.drift": {"nb": "drift", "en": "operating"},
        "btype.investering": {"nb": "investering", "en": "investment"},
        "btype.tilskudd": {"nb": "tilskudd", "en": "grant"},
        "btype.forbruk": {"nb": "forbruk", "en": "spending"},
        "btype.kostnad": {"nb": "kostnad", "en": "cost"},
        "btype.inntekt": {"nb": "inntekt", "en": "income"},
        "col.year": {"nb": "År", "en": "Year"},
        "col.as_written": {"nb": "Slik det står", "en": "As written"},
        "col.amount": {"nb": "Beløp", "en": "Amount"},
        "col.currency": {"nb": "Valuta", "en": "Currency"},
        "col.risk": {"nb": "Risiko", "en": "Risk"},
        "col.before": {"nb": "Før tiltak", "en": "Before measures"},
        "col.after": {"nb": "Etter tiltak", "en": "After measures"},
        "col.measures": {"nb": "Tiltak", "en": "Measures"},
        "widget.choose": {"nb": "Velg", "en": "Choose an option"},
        "upload.button": {"nb": "Last opp", "en": "Upload"},
        "download.xlsx": {"nb": "Last ned Excel", "en": "Download Excel"},
        "download.csv.excel": {"nb": "Last ned CSV", "en": "Download CSV"},
        "table.page": {"nb": "Side (av {pages})", "en": "Page (of {pages})"},
        "table.rows": {
            "nb": "Viser rad {a}–{b} av {n}; nedlastingene under tabellen har alle radene.",
            "en": "Showing rows {a}–{b} of {n}; the downloads below the table have every row.",
        },
        "download.csv.excel.help": {
            "nb": "Semikolonseparert, UTF-8 med BOM og desimalkomma: åpnes rett i norsk Excel.",
            "en": "Semicolon separated, UTF-8 with BOM and decimal comma: opens directly in Norwegian Excel.",
        },
    }
)


def detect_language(locale: str | None) -> str:
    """nb for a Norwegian browser (nb, nn, no), en for any other; nb when nothing is known."""
    if not locale:
        return "nb"
    first = str(locale).split(",")[0].strip().lower()
    return "nb" if first[:2] in ("nb", "nn", "no") else "en"


_CHOSEN = threading.local()  # in_language(): a language for this thread outside any session


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """``t`` and ``lang`` in ``language`` in this thread, whatever a session chose: for what the
    warm-up makes in each language before anyone visits (views/warm.py)."""
    before = getattr(_CHOSEN, "language", None)
    _CHOSEN.language = language
    try:
        yield
    finally:
        _CHOSEN.language = before


def lang() -> str:
    """The language chosen in the sidebar (``nb`` or ``en``)."""
    chosen = getattr(_CHOSEN, "language", None)
    if chosen is not None:
        return chosen  # type: ignore[no-any-return]
    try:
        import streamlit as st

        value = st.session_state.get("w_lang", "nb")
    except Exception:  # outside a Streamlit run
        value = "nb"
    return value if value in LANGUAGE_NAMES else "nb"


_PLURAL = re.compile(r"\{(\w+):([^{}|]*)\|([^{}]*)\}")
_NUMBERS = {
    "n",
    "m",
    "count",
    "records",
    "triples",
    "nodes",
    "edges",
    "before",
    "after",
    "limit",
    "rows",
    "goals",
}


def plural_form(n: Any, language: str | None = None) -> str:
    """CLDR plural category of ``n`` (``one`` or ``other`` for nb and en), from Babel."""
    from babel import Locale

    try:
        x = abs(float(n))
        # 1.0 is "one" (Babel reads a float's visible decimals: 1.0 would be "other")
        return Locale.parse(language or lang()).plural_form(int(x) if x.is_integer() else x)
    except (TypeError, ValueError):
        return "other"


def number(value: Any, language: str | None = None) -> str:
    """A number in the UI locale (nb: ``1 234,5``; en: ``1,234.5``), by Babel."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=language or lang())


def fill(text: str, values: dict[str, Any], language: str) -> str:
    """``{name:one|other}`` chosen by ``values[name]``'s plural form, then ``{name}`` filled;
    counts (``n``, ``records`` …) written as numbers in the locale."""
    text = _PLURAL.sub(
        lambda m: (
            m.group(2) if plural_form(values.get(m.group(1)), language) == "one" else m.group(3)
        ),
        text,
    )
    shown = {
        k: number(v, language)
        if k in _NUMBERS and isinstance(v, int) and not isinstance(v, bool)
        else v
        for k, v in values.items()
    }
    return text.format(**shown) if values else text


from views.import_texts import TEXTS as _IMPORT_TEXTS  # noqa: E402 - the import section's texts

STRINGS.update(_IMPORT_TEXTS)


class _Translator:
    """``t(key, **values)``; ``t.has(key)`` says whether the table knows ``key``."""

    def __call__(self, key: str, **values: Any) -> str:
        entry = STRINGS.get(key)
        if entry is None:
            return key
        language = lang()
        text = entry.get(language) or entry.get("nb") or key
        return fill(text, values, language) if values else text

    def has(self, key: str) -> bool:
        return key in STRINGS

    def prefixed(self, prefix: str):
        """A format function for widget options: ``prefix + option`` looked up in the language
        of this run (bound now, so it gives the same text whenever Streamlit calls it)."""
        language = lang()

        def fmt(option: Any) -> str:
            entry = STRINGS.get(f"{prefix}{option}")
            return (entry.get(language) or entry.get("nb")) if entry else str(option)

        return fmt


t = _Translator()
