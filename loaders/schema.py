"""The dataset format: one table ("kind") per kind of record, and what each column means.

A dataset is a folder with ``manifest.yaml`` and one ``<kind>.csv`` per kind below (or one
XLSX workbook with one sheet per kind, or one YAML file with one list per kind). This module
is the single description of that format: the loaders validate against it, the triples are
made from it and docs/data-format.md is generated from it.

Column types:

- ``id``: the record's identifier, unique across the whole dataset (letters, digits, ``-_./``);
- ``text``: free text in the dataset's main language; ``text_en``: the same in English;
- ``str``: a code or name that has no language (a locator, a unit, a code);
- ``date``: ``2017-02-28``, ``2017-02`` or ``2017`` (also ``28.02.2017``);
- ``int`` / ``decimal``: numbers (decimal comma and spaces as thousand separators accepted);
- ``bool``: ``ja``/``nei``, ``yes``/``no``, ``true``/``false``, ``1``/``0``;
- ``enum``: one of the listed values;
- ``ref`` / ``refs``: the id of one (or several, separated by ``|``) records of the listed
  kinds; ``sdg:<code>`` names a UN SDG goal, target or indicator by its official code.

Every kind also has ``source`` (a ``sources`` id), ``locator`` (where in it, e.g. ``L1857``)
and ``note`` columns, added by :func:`_kind`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of a kind: its name, type, ontology property and documentation."""

    name: str
    type: str
    prop: str | None = None
    required: bool = False
    targets: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    doc: str = ""
    inverse: bool = False
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Kind:
    """A kind of record: a CSV file, the class of its records and its columns."""

    name: str
    cls: str
    segment: str
    columns: tuple[Column, ...]
    doc: str
    key: tuple[str, ...] = ()
    class_by: tuple[str, dict[str, str]] | None = None
    acyclic: tuple[str, ...] = ()
    direct: tuple[str, str, str] | None = None
    by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({c.name: c for c in self.columns})

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def has_id(self) -> bool:
        return "id" in self.by_name


def C(name: str, type: str, prop: str | None = None, doc: str = "", **kw) -> Column:
    if type.startswith(("ref:", "refs:")):
        kind, _, targets = type.partition(":")
        return Column(name, kind, prop, targets=tuple(targets.split(",")), doc=doc, **kw)
    if type.startswith("enum:"):
        return Column(name, "enum", prop, values=tuple(type[5:].split(",")), doc=doc, **kw)
    return Column(name, type, prop, doc=doc, **kw)


def ID(doc: str = "Identifier, unique in the dataset.") -> Column:
    return Column("id", "id", "dct:identifier", required=True, doc=doc)


def _kind(name: str, cls: str, segment: str, doc: str, *cols: Column, **kw) -> Kind:
    common = (
        C(
            "source",
            "ref:sources",
            "prov:wasDerivedFrom",
            "Source document of this row.",
            required=True,
        ),
        C(
            "locator",
            "str",
            "locator",
            "Where in the source: page, line or slide (e.g. L1857-1865).",
        ),
        C("note", "text", "skos:editorialNote", "Remark on this row, e.g. a conflicting reading."),
    )
    return Kind(name, cls, segment, tuple(cols) + common, doc, **kw)


PROJECTS = ("projects",)
AGENTS = ("bodies", "people", "organizations", "projects")
ANY = (
    "projects", "bodies", "organizations", "people", "systems", "domains", "mandates",
    "mandate_items", "decisions", "milestones", "plans", "actions", "local_goals", "kpis",
    "sources", "phases", "risks", "budget_lines", "change_events", "posts",
)  # fmt: skip
ANY_REF = ",".join(ANY)

STATUS_TIME = ("Foran plan", "På plan", "Mindre forsinkelser",
               "Mindre forsinkelse som kan tas igjen", "Forsinket")  # fmt: skip
STATUS_BUDGET = ("Under budsjett", "På budsjett", "Mindre overskridelser", "Vet ikke",
                 "Over budsjett")  # fmt: skip
STATUS_RISK = ("Lav", "Medium", "Høy")
STATUS_GAIN = ("Foran plan", "På plan", "Ikke påbegynt", "Mindre forsinkelser", "Forsinket")
PHASES = ("Idé", "Konsept", "Planlegge", "Gjennomføre", "Avslutte", "Realisere")
EVIDENCE = "enum:explicit,implied"

KINDS: tuple[Kind, ...] = (
    _kind(
        "sources", "SourceDocument", "source",
        "Source documents every row cites (slide decks, reports, articles, registers).",
        ID(), C("title", "text", "dct:title", "Title as written.", required=True),
        C("doc_type", "enum:slides,report,article,transcript,register,export,web,other",
          "documentType", "What kind of document."),
        C("issued", "date", "dct:issued", "When it was issued (as precise as known)."),
        C("file", "str", "fileName", "File name of the source, if kept."),
        C("description", "text", "dct:description", "What the document holds."),
    ),
    _kind(
        "organizations", "Organization", "org",
        "Municipalities, companies, inter-municipal cooperations, state bodies and ICT units.",
        ID(), C("name", "text", "skos:prefLabel", "Name as written.", required=True),
        C("name_en", "text_en", "skos:prefLabel", "Name in English."),
        C("type", "enum:municipality,county,company,inter_municipal,ict_unit,state,association,group,other",
          None, "Kind of organisation; chooses its class.", required=True),
        C("org_form", "enum:kommune,fylkeskommune,IKS,KL27,vertskommune,AS,samkommune,kommunal_virksomhet,statlig,annet",
          "organisationForm", "Legal or organisational form (IKS, kommuneloven §27, vertskommune, AS, samkommune, ...)."),
        C("part_of", "ref:organizations", "org:subOrganizationOf", "The organisation this one is a unit of."),
        C("valid_from", "date", "validFrom", "Founded / in force from."),
        C("valid_to", "date", "validTo", "Ended / in force to."),
        C("homepage", "str", "foaf:homepage", "Web address."),
        C("description", "text", "dct:description", "Short description."),
        class_by=("type", {"municipality": "Municipality", "county": "County", "company": "Company",
                           "inter_municipal": "InterMunicipalCooperation", "ict_unit": "OrganizationalUnit",
                           "state": "StateAgency", "association": "Organization", "group": "Organization",
                           "other": "Organization"}),
    ),
    _kind(
        "municipality_numbers", "MunicipalityNumber", "knr",
        "Kommunenummer with validity: a renumbering is not a new organisation.",
        C("municipality", "ref:organizations", "identifies", "The municipality.", required=True),
        C("number", "str", "skos:notation", "The four-digit kommunenummer.", required=True),
        C("valid_from", "date", "validFrom", "First day the number is valid."),
        C("valid_to", "date", "validTo", "Last day the number is valid."),
        key=("municipality", "number"),
    ),
    _kind(
        "change_events", "ChangeEvent", "event",
        "Mergers, dissolutions, withdrawals and transfers of activity.",
        ID(), C("title", "text", "skos:prefLabel", "What happened.", required=True),
        C("type", "enum:merger,dissolution,withdrawal,transfer,establishment,renumbering",
          "eventType", "Kind of change.", required=True),
        C("date", "date", "date", "When it takes (or took) effect."),
        C("date_text", "text", "dateText", "The date as the source gives it, if vague (e.g. 'frem mot 2019/2020')."),
        C("original", "refs:organizations", "org:originalOrganization", "Organisations before the change."),
        C("resulting", "refs:organizations,projects", "org:resultingOrganization", "Organisations (or programme) after it."),
        C("decided_by", "ref:bodies,organizations", "decidedBy", "Who decided it."),
        C("description", "text", "dct:description", "Details."),
    ),
    _kind(
        "ownerships", "Ownership", "ownership",
        "Who owns, is a member of or is a customer of a company or cooperation.",
        C("owner", "ref:organizations", "owner", "The owner or member.", required=True),
        C("company", "ref:organizations", "ownedOrganization", "The company or cooperation.", required=True),
        C("role", "enum:owner,customer,owner_customer,member,host,representative", "ownershipRole",
          "Owner, customer, both, member, host municipality or owners' representative.", required=True),
        C("share", "decimal", "share", "Ownership share in percent.", lo=0, hi=100),
        C("valid_from", "date", "validFrom", "From."),
        C("valid_to", "date", "validTo", "To."),
        key=("owner", "company", "role"),
        direct=("owner", "hasStakeIn", "company"),
    ),
    _kind(
        "operations", "ICTOperation", "operation",
        "Who runs ICT (operations, services) for whom, and when.",
        C("operator", "ref:organizations,bodies", "operator", "Who operates.", required=True),
        C("customer", "ref:organizations", "customer", "For whom.", required=True),
        C("service", "text", "skos:prefLabel", "What is delivered.", required=True),
        C("valid_from", "date", "validFrom", "From."),
        C("valid_to", "date", "validTo", "To."),
        C("date_text", "text", "dateText", "Dates as the source gives them."),
        key=("operator", "customer", "service"),
        direct=("operator", "operatesFor", "customer"),
    ),
    _kind(
        "bodies", "GovernanceBody", "body",
        "Political and administrative bodies, boards, groups and forums of the programme.",
        ID(), C("name", "text", "skos:prefLabel", "Name as written.", required=True),
        C("name_en", "text_en", "skos:prefLabel", "Name in English."),
        C("type", "enum:kommunestyre,fellesnemnd,gruppelederforum,politisk_styring,psu,programledelse,"
                  "programkontor,prosjektstyre,styringsgruppe,prosjektgruppe,arbeidsgruppe,portefoljeforum,"
                  "portefoljestyre,ledergruppe,analyseteam,sekretariat,tjenesteomrade,annet",
          "bodyType", "Kind of body.", required=True),
        C("level", "enum:politisk,administrativ,partssammensatt,prosjekt,stotte", "bodyLevel",
          "Political, administrative, joint (partssammensatt), project or support level."),
        C("part_of", "ref:bodies,organizations,projects", "org:subOrganizationOf", "Body, organisation or project it belongs to."),
        C("composition", "text", "composition", "Who sits in it, as the source says."),
        C("description", "text", "dct:description", "Role and tasks."),
        C("valid_from", "date", "validFrom", "From."),
        C("valid_to", "date", "validTo", "To."),
    ),
    _kind(
        "reporting_lines", "ReportingLine", "reporting",
        "Who reports to whom (bodies, projects, people). Reporting lines may not form a cycle.",
        C("from", "ref:bodies,projects,people,organizations", "reporter", "The one who reports.", required=True),
        C("to", "ref:bodies,projects,people,organizations", "reportingTarget", "The one reported to.", required=True),
        C("valid_from", "date", "validFrom", "From."),
        C("valid_to", "date", "validTo", "To."),
        key=("from", "to"),
        acyclic=("from", "to"),
        direct=("from", "org:reportsTo", "to"),
    ),
    _kind(
        "people", "Person", "person",
        "Named people with a role in the programme.",
        ID(), C("name", "text", "foaf:name", "Full name.", required=True),
        C("title", "text", "jobTitle", "Job title (e.g. Rådmann)."),
        C("organization", "ref:organizations", "worksFor", "Employer."),
    ),
    _kind(
        "posts", "Post", "post",
        "Positions (rådmann, direktør, ...) that exist independently of who holds them.",
        ID(), C("title", "text", "skos:prefLabel", "Name of the post.", required=True),
        C("organization", "ref:organizations,bodies", "org:postIn", "Organisation the post is in."),
        C("holder", "ref:people", "org:heldBy", "Who holds it."),
        C("valid_from", "date", "validFrom", "From."),
        C("valid_to", "date", "validTo", "To."),
    ),
    _kind(
        "memberships", "Membership", "membership",
        "Who is member, leader, owner or leader of a body or project, and in which role.",
        C("member", "ref:people,bodies,organizations,posts", "org:member", "Person (or body) that is a member.", required=True),
        C("organization", "ref:bodies,projects,organizations", "org:organization", "Body or project.", required=True),
        C("role", "enum:leder,nestleder,medlem,prosjektleder,prosjekteier,programeier,tillitsvalgt,"
                  "verneombud,sekretar,koordinator,deltaker,representant",
          "roleCode", "Role.", required=True),
        C("role_text", "text", "roleText", "Role as written in the source."),
        C("valid_from", "date", "validFrom", "From."),
        C("valid_to", "date", "validTo", "To."),
        key=("member", "organization", "role"),
        direct=("member", "org:memberOf", "organization"),
    ),
    _kind(
        "projects", "Project", "project",
        "The programme, its projects and sub-projects, and other initiatives.",
        ID(), C("code", "str", "skos:notation", "Project code as used in the programme (A1/1, A/P 3)."),
        C("title", "text", "skos:prefLabel", "Title as written.", required=True),
        C("title_en", "text_en", "skos:prefLabel", "Title in English."),
        C("alt_titles", "text", "skos:altLabel", "Other titles in the sources, separated by |."),
        C("type", "enum:program,project,subproject,initiative,study,task", None,
          "Programme, project, sub-project, other initiative, external study or task.", required=True),
        C("category", "str", "projectCategory", "Category as in the portfolio (ADM, A/P, 2018, ...)."),
        C("parent", "ref:projects", "partOf", "Parent project or programme."),
        C("owner", "ref:bodies,people,organizations", "projectOwner", "Owner (prosjekteier / programeier)."),
        C("leader", "ref:people,bodies", "projectLeader", "Leader (prosjektleder)."),
        C("steering_body", "ref:bodies", "steeringBody", "Steering group or project board."),
        C("goal", "text", "goalText", "Målsetning / goal text."),
        C("phase", "enum:" + ",".join(PHASES), "phase", "Current phase (Prosjektportalen)."),
        C("service_area", "text", "serviceArea", "Tjenesteområde."),
        C("start", "date", "startDate", "Start date."),
        C("end", "date", "endDate", "End date."),
        C("description", "text", "dct:description", "What the project does."),
        class_by=("type", {"program": "Program", "project": "Project", "subproject": "SubProject",
                           "initiative": "Project", "study": "Study", "task": "Task"}),
        acyclic=("id", "parent"),
    ),
    _kind(
        "project_goals", "ProjectGoal", "goal",
        "Effektmål, resultatmål, success criteria and purposes of a project or programme.",
        ID(), C("project", "ref:projects", "goalOf", "Project.", required=True),
        C("type", "enum:effektmal,resultatmal,suksesskriterium,malsetning,hovedformal", "goalType",
          "Kind of goal.", required=True),
        C("text", "text", "skos:prefLabel", "The goal as written.", required=True),
        C("seq", "int", "order", "Order within the project."),
    ),
    _kind(
        "status_reports", "StatusReport", "status",
        "Dated status of a project (Prosjektportalen's status fields).",
        C("project", "ref:projects", "statusOf", "Project.", required=True),
        C("date", "date", "date", "Date of the report (sist endret).", required=True),
        C("status_time", "enum:" + ",".join(STATUS_TIME), "statusTime", "Status tid / fremdrift."),
        C("status_risk", "enum:" + ",".join(STATUS_RISK), "statusRisk", "Status risiko."),
        C("status_budget", "enum:" + ",".join(STATUS_BUDGET), "statusBudget", "Status budsjett / økonomi."),
        C("status_gain", "enum:" + ",".join(STATUS_GAIN), "statusGain", "Status gevinst."),
        C("phase", "enum:" + ",".join(PHASES), "phase", "Phase at the time."),
        C("comment", "text", "comment", "Status comment."),
        key=("project", "date", "source"),
    ),
    _kind(
        "mandates", "Mandate", "mandate",
        "Project mandates (prosjektmandat): what a project is asked to do, by whom and when.",
        ID(), C("project", "refs:projects", "mandateOf", "Project(s) the mandate is for.", required=True),
        C("title", "text", "skos:prefLabel", "Title.", required=True),
        C("decided_by", "ref:bodies,people,organizations", "decidedBy", "Who decided it."),
        C("decided_on", "date", "decidedOn", "When."),
        C("status", "text", "mandateStatus", "Draft, adopted, ... as written."),
    ),
    _kind(
        "mandate_items", "MandateItem", "item",
        "Tasks and deliverables of a mandate, in order.",
        ID(), C("mandate", "ref:mandates", "itemOf", "Mandate.", required=True),
        C("type", "enum:task,deliverable,principle,decision", None, "Task, deliverable, principle or decision.",
          required=True),
        C("text", "text", "skos:prefLabel", "The item as written.", required=True),
        C("seq", "int", "order", "Order."),
        C("due", "date", "dueDate", "Due date."),
        C("due_text", "text", "dateText", "Due as written (e.g. 'Ferdig april/mai 2017')."),
        class_by=("type", {"task": "MandateItem", "deliverable": "Deliverable",
                           "principle": "MandateItem", "decision": "MandateItem"}),
    ),
    _kind(
        "dependencies", "Dependency", "dependency",
        "Qualified dependencies: 'from' depends on (needs input from, waits for) 'to'. "
        "Each row also gives a direct dependsOn edge for path queries.",
        ID(), C("from", "ref:" + ANY_REF, "dependent", "The one that depends.", required=True),
        C("to", "ref:" + ANY_REF + ",sdg", "dependee", "The one depended on.", required=True),
        C("type", "enum:depends_on,supplies,refers_to,cooperates,feeds,precedes,waits_for,mandated_by,"
                  "decided_via,reports_via,funded_by,guided_by,continues,implements,overlaps,requested_by",
          "dependencyType", "Kind of dependency.", required=True),
        C("criticality", "enum:primary,high,normal,low", "criticality", "How critical (primary = main dependency)."),
        C("evidence", EVIDENCE, "evidence", "Stated in the source (explicit) or reasoned from it (implied).",
          required=True),
        C("lag_weeks", "decimal", "lagWeeks", "Weeks 'from' needs after 'to' delivers (for what-if)."),
        C("rationale", "text", "rationale", "The wording that justifies it.", required=True),
        direct=("from", "dependsOn", "to"),
    ),
    _kind(
        "project_links", "ProjectLink", "link",
        "Links from a project to systems, companies, bodies or documents it concerns.",
        C("project", "ref:projects", "linkFrom", "Project.", required=True),
        C("target", "ref:" + ANY_REF, "linkTo", "What it concerns.", required=True),
        C("type", "enum:uses,delivers,affects,decides,concerns,supplies,owns_topic,reports_to",
          "linkType", "Kind of link.", required=True),
        C("evidence", EVIDENCE, "evidence", "Explicit or implied."),
        C("rationale", "text", "rationale", "Wording that justifies it."),
        key=("project", "target", "type"),
        direct=("project", "concerns", "target"),
    ),
    _kind(
        "decisions", "Decision", "decision",
        "Decisions and decision points: who decided what, when.",
        ID(), C("title", "text", "skos:prefLabel", "What was decided.", required=True),
        C("type", "enum:decision,decision_point", None, "Decision or planned decision point.", required=True),
        C("body", "ref:bodies,people,organizations", "decidedBy", "Who decides."),
        C("date", "date", "date", "When."),
        C("about", "refs:" + ANY_REF, "about", "What it is about."),
        C("outcome", "text", "outcome", "Outcome, as written."),
        class_by=("type", {"decision": "Decision", "decision_point": "DecisionPoint"}),
    ),
    _kind(
        "phases", "Phase", "phase",
        "Phases of a project or programme with start and end.",
        ID(), C("project", "ref:projects", "phaseOf", "Project.", required=True),
        C("title", "text", "skos:prefLabel", "Name of the phase.", required=True),
        C("seq", "int", "order", "Order."),
        C("start", "date", "startDate", "Start."),
        C("end", "date", "endDate", "End."),
        C("description", "text", "dct:description", "Content."),
    ),
    _kind(
        "milestones", "Milestone", "milestone",
        "Milestones, deadlines and launches, with their dates.",
        ID(), C("title", "text", "skos:prefLabel", "Milestone.", required=True),
        C("project", "ref:projects", "milestoneOf", "Project (or programme)."),
        C("date", "date", "date", "Date.", required=True),
        C("type", "enum:milestone,deadline,launch,meeting,decision_point", "milestoneType", "Kind."),
        C("deliverable", "ref:mandate_items", "marks", "Deliverable it marks."),
        C("status", "text", "milestoneStatus", "Status (done, planned ...)."),
    ),
    _kind(
        "systems", "System", "system",
        "ICT systems and platforms (products) with their vendor.",
        ID(), C("name", "text", "skos:prefLabel", "System name as written.", required=True),
        C("vendor", "str", "vendor", "Vendor / product owner."),
        C("category", "text", "systemCategory", "What it is used for."),
        C("description", "text", "dct:description", "Details."),
    ),
    _kind(
        "domains", "SystemDomain", "domain",
        "System domains (delområder) within service areas (tjenesteområder).",
        ID(), C("name", "text", "skos:prefLabel", "Delområde as written.", required=True),
        C("service_area", "text", "serviceArea", "Tjenesteområde."),
        C("parent", "ref:domains", "skos:broader", "Broader domain."),
    ),
    _kind(
        "system_usages", "SystemUsage", "usage",
        "Which municipality uses which system in which domain.",
        C("municipality", "ref:organizations", "user", "Municipality.", required=True),
        C("system", "ref:systems", "usesSystem", "System.", required=True),
        C("domain", "ref:domains", "inDomain", "Domain.", required=True),
        C("users", "int", "userCount", "Number of users."),
        C("contract_end", "date", "contractEnd", "End of contract."),
        key=("municipality", "system", "domain"),
        direct=("municipality", "usesSystem", "system"),
    ),
    _kind(
        "evaluations", "SystemEvaluation", "evaluation",
        "Evaluation of a system in a municipality's register: availability, maturity scores, status.",
        C("system", "ref:systems", "evaluates", "System.", required=True),
        C("municipality", "ref:organizations", "evaluatedFor", "Whose register.", required=True),
        C("availability", "enum:Lav,Middels,Høyt,Meget høyt,Fare for liv og helse", "availabilityRequirement",
          "Krav til tilgjengelighet."),
        C("maturity_tasks", "int", "maturityTasks", "Modenhet – dekker oppgavebehov (1–5).", lo=1, hi=5),
        C("maturity_functions", "int", "maturityFunctions", "Modenhet – funksjoner (1–5).", lo=1, hi=5),
        C("maturity_technology", "int", "maturityTechnology", "Modenhet – teknologi (1–5).", lo=1, hi=5),
        C("maturity_dataflow", "int", "maturityDataflow", "Modenhet – dataflyt (1–5).", lo=1, hi=5),
        C("status", "enum:Green,Yellow,Red", "evaluationStatus", "Status."),
        C("computed_status", "enum:Green,Yellow,Red", "computedStatus", "BeregnetStatus."),
        C("score", "decimal", "score", "The number in the 'Bør fases ut?' column."),
        C("users", "int", "userCount", "Antall brukere."),
        C("phase_out", "bool", "phaseOut", "Bør fases ut? as yes/no, when given."),
        key=("system", "municipality", "source"),
    ),
    _kind(
        "system_choices", "SystemChoice", "choice",
        "The system chosen (or pending) for the new municipality per domain, and why.",
        C("domain", "ref:domains", "choiceFor", "Domain.", required=True),
        C("system", "refs:systems", "chosenSystem", "Chosen system(s); empty while pending."),
        C("decision", "enum:chosen,continued,procurement,pending", "decisionStatus", "State of the choice.",
          required=True),
        C("reason", "text", "rationale", "Reason, as written.", required=True),
        C("replaces", "refs:systems", "replaces", "Systems to be phased out by this choice."),
        C("decided_by", "ref:bodies", "decidedBy", "Body that recommends or decides."),
        C("date", "date", "date", "As of."),
        key=("domain", "source"),
    ),
    _kind(
        "local_goals", "LocalGoal", "localgoal",
        "Local goals, priority areas (satsingsområder), gain areas and the municipal significance of a goal.",
        ID(), C("title", "text", "skos:prefLabel", "As written.", required=True),
        C("title_en", "text_en", "skos:prefLabel", "In English."),
        C("type", "enum:priority_area,local_goal,gain_area,significance,service_priority,digital_priority",
          "goalType", "Kind.", required=True),
        C("parent", "ref:local_goals", "skos:broader", "Broader goal."),
        C("owner", "ref:projects,bodies,organizations", "goalOwner", "Project or body responsible."),
        C("sdg", "refs:sdg", "skos:broadMatch", "UN SDG goals or targets it localises."),
        C("evidence", EVIDENCE, "evidence", "Whether the SDG link is stated or interpreted."),
        C("description", "text", "dct:description", "Details."),
    ),
    _kind(
        "target_links", "TargetPriority", "priority",
        "UN SDG targets prioritised locally, with the code as written and the local significance.",
        C("target", "ref:sdg", "target", "Official UN code (sdg:3.a).", required=True),
        C("code_as_written", "str", "codeAsWritten", "The code as the source writes it (3.9a)."),
        C("local_goal", "ref:local_goals", "localGoal", "Local goal it serves.", required=True),
        C("evidence", EVIDENCE, "evidence", "Explicit, or implied (an interpreted code)."),
        key=("target", "local_goal"),
        direct=("local_goal", "skos:broadMatch", "target"),
    ),
    _kind(
        "plans", "Plan", "plan",
        "Strategies and plans (kommuneplan, strategiplaner, handlingsprogram).",
        ID(), C("title", "text", "skos:prefLabel", "Title.", required=True),
        C("type", "enum:kommuneplan,strategi,temaplan,handlingsprogram,styringsdokument,plan", "planType",
          "Kind.", required=True),
        C("project", "ref:projects", "responsibleProject", "Project that makes it."),
        C("local_goals", "refs:local_goals", "servesGoal", "Local goals it serves."),
        C("period", "str", "period", "Period (2020-2024)."),
    ),
    _kind(
        "actions", "Action", "action",
        "Actions (tiltak) that realise a plan or goal, carried out by a project.",
        ID(), C("title", "text", "skos:prefLabel", "Action.", required=True),
        C("project", "ref:projects", "actionOf", "Project carrying it out."),
        C("plan", "ref:plans", "inPlan", "Plan it belongs to."),
        C("local_goals", "refs:local_goals", "servesGoal", "Local goals it serves."),
        C("description", "text", "dct:description", "Details."),
    ),
    _kind(
        "kpis", "KPI", "kpi",
        "Key performance indicators with unit and statistics source.",
        ID(), C("title", "text", "skos:prefLabel", "As written.", required=True),
        C("unit", "str", "unit", "Unit (%, count, NOK ...)."),
        C("group", "text", "kpiGroup", "Group of KPIs."),
        C("stat_source", "text", "statisticsSource", "Where the numbers come from (NKOM, Difi, SSB Kostra)."),
        C("measures", "refs:local_goals,project_goals,actions", "measures", "Goal or action it measures."),
        C("project", "ref:projects", "kpiOf", "Project responsible."),
        C("sdg", "refs:sdg", "indicatorFor", "SDG targets or indicators it relates to."),
    ),
    _kind(
        "measurements", "Measurement", "measurement",
        "Values of a KPI: per area (municipality), year, and whether baseline, actual or target.",
        C("kpi", "ref:kpis", "kpi", "KPI.", required=True),
        C("area", "ref:organizations", "refArea", "Municipality or comparison group.", required=True),
        C("year", "int", "year", "Year.", required=True),
        C("type", "enum:baseline,actual,target", "measurementType", "Baseline, actual or target.", required=True),
        C("value", "decimal", "value", "Value; empty when the source has none ('??')."),
        C("value_text", "str", "valueText", "The value as written (e.g. '??', '41,5 %')."),
        key=("kpi", "area", "year", "type"),
    ),
    _kind(
        "budget_lines", "BudgetLine", "budget",
        "Budget and cost lines: amount per organisation, year and kind, and who funds what.",
        ID(), C("title", "text", "skos:prefLabel", "Line as written.", required=True),
        C("organization", "ref:organizations", "budgetOf", "Whose budget."),
        C("project", "ref:projects", "funds", "Project it funds."),
        C("funder", "ref:organizations", "funder", "Who pays (e.g. KMD)."),
        C("year", "str", "period", "Year or period (2017, 2016-2017)."),
        C("type", "enum:drift,investering,tilskudd,forbruk,kostnad,inntekt", "budgetType", "Kind.",
          required=True),
        C("amount", "decimal", "amount", "Amount.", required=True),
        C("currency", "str", "currency", "Currency and scale (NOK, NOK 1000)."),
    ),
    _kind(
        "risks", "Risk", "risk",
        "Risks with likelihood and consequence (1–4) before and after measures.",
        ID(), C("title", "text", "skos:prefLabel", "Risk as written.", required=True),
        C("project", "ref:projects", "riskOf", "Project (or programme) it threatens."),
        C("likelihood_before", "int", "likelihoodBefore", "Sannsynlighet before measures (1–4).", lo=1, hi=4),
        C("consequence_before", "int", "consequenceBefore", "Konsekvens before measures (1–4).", lo=1, hi=4),
        C("likelihood_after", "int", "likelihoodAfter", "Sannsynlighet after measures (1–4).", lo=1, hi=4),
        C("consequence_after", "int", "consequenceAfter", "Konsekvens after measures (1–4).", lo=1, hi=4),
        C("measures", "text", "riskMeasures", "Measures (tiltak)."),
        C("status", "text", "riskStatus", "Status as written."),
    ),
    _kind(
        "interactions", "Interaction", "interaction",
        "How one SDG target or local goal affects another, on the Nilsson scale -3..+3.",
        C("from", "ref:sdg,local_goals", "interactionFrom", "Target or goal that acts.", required=True),
        C("to", "ref:sdg,local_goals", "interactionTo", "Target or goal affected.", required=True),
        C("score", "int", "score", "-3 cancelling ... +3 indivisible.", required=True, lo=-3, hi=3),
        C("rationale", "text", "rationale", "Why.", required=True),
        C("assessor", "str", "assessor", "Who assessed it.", required=True),
        C("date", "date", "date", "When.", required=True),
        key=("from", "to", "assessor"),
        direct=("from", "interactsWith", "to"),
    ),
    _kind(
        "ambiguities", "Ambiguity", "ambiguity",
        "Where sources disagree: both readings, and which one the dataset uses.",
        ID(), C("subject", "refs:" + ANY_REF, "about", "What the disagreement is about."),
        C("title", "text", "skos:prefLabel", "The question.", required=True),
        C("readings", "text", "readings", "The readings, with their sources, separated by |.", required=True),
        C("chosen", "text", "chosenReading", "Which reading the dataset uses, and why."),
    ),
)  # fmt: skip

KIND = {k.name: k for k in KINDS}
