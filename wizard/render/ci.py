"""``check`` results in the formats CI systems read: GitHub annotations, SARIF 2.1.0 and JUnit XML.

SARIF and JUnit are built with maintained libraries for their formats (``sarif-pydantic``, the
SARIF 2.1.0 object model; ``junitparser``) rather than by hand, and both are imported only when
asked for, so ``check`` in text or JSON never pays for them. Every failure code is one rule
(SARIF, described by ``Code.description``) or one failed case (JUnit) on the attestation file it
concerns; an attestation that passes is a passed case. Text from attestations is escaped as for
the terminal (``one_line``): a CI log or dashboard is no place for control characters a pull
request chose.
"""

from __future__ import annotations

from wizard.render.check_table import summary
from wizard.render.escape import one_line
from wizard.trust.codes import Code
from wizard.trust.report import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/OWNER/authready#signing-and-the-ci-gate"


def _gh_data(text: str) -> str:
    """GitHub workflow-command message text: %, CR and LF encoded (control characters already escaped)."""
    return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: list[Report], warnings: list[str]) -> str:
    """GitHub Actions workflow commands: each failure an ``::error`` on its file, expiring ones ``::warning``."""
    lines = [f"::warning title=authready::{_gh_data(w)}" for w in warnings]
    for r in reports:
        for p in r.problems:
            lines.append(f"::error file={_gh_prop(p.file)},title={_gh_prop(f'authready {p.code}')}::{_gh_data(p.message)}")
        if r.ok and r.expiring:
            lines.append(f"::warning file={_gh_prop(r.display)},title=authready {Code.EXPIRING_SOON}::{_gh_data(r.notes[-1])}")
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


def render_sarif(reports: list[Report], version: str) -> str:
    """A SARIF log: one run, one rule per failure code, one result per problem (and per expiring attestation)."""
    from sarif_pydantic import (  # type: ignore[import-untyped]  # sarif-pydantic ships no py.typed marker
        ArtifactLocation,
        Level,
        Location,
        Message,
        PhysicalLocation,
        Region,
        ReportingDescriptor,
        Result,
        Run,
        Sarif,
        Tool,
        ToolDriver,
    )

    def where(path: str) -> list[Location]:
        return [Location(physical_location=PhysicalLocation(
            artifact_location=ArtifactLocation(uri=path), region=Region(start_line=1)))]

    def rule(code: Code) -> ReportingDescriptor:
        return ReportingDescriptor(id=str(code), short_description=Message(text=f"authready check failure: {code}"),
                                   full_description=Message(text=code.description))

    rules: dict[Code, ReportingDescriptor] = {}
    results: list[Result] = []
    for r in reports:
        for p in r.problems:
            rules.setdefault(p.code, rule(p.code))
            results.append(Result(rule_id=str(p.code), level=Level.ERROR, message=Message(text=one_line(p.message)),
                                  locations=where(one_line(p.file))))
        if r.ok and r.expiring:
            rules.setdefault(Code.EXPIRING_SOON, rule(Code.EXPIRING_SOON))
            results.append(Result(rule_id=str(Code.EXPIRING_SOON), level=Level.WARNING,
                                  message=Message(text=one_line(r.notes[-1])), locations=where(one_line(r.display))))
    log = Sarif(
        schema_uri=SARIF_SCHEMA,
        runs=[Run(tool=Tool(driver=ToolDriver(name="authready", version=version, information_uri=INFO_URI,
                                              rules=list(rules.values()))),
                  results=results)],
    )
    return str(log.model_dump_json(by_alias=True, exclude_none=True, indent=2)) + "\n"


def render_junit(reports: list[Report]) -> str:
    """JUnit XML: one suite, one case per attestation; a failing one lists its problems."""
    from junitparser import Failure, JUnitXml, TestCase, TestSuite

    suite = TestSuite("authready check")
    for r in reports:
        case = TestCase(one_line(r.display), classname="authready.attestations")
        if not r.ok:
            first = r.problems[0]
            failure = Failure(one_line(first.message), type_=str(first.code))
            failure.text = "\n".join(one_line(p.line()) for p in r.problems)
            case.result = [failure]
        suite.add_testcase(case)
    xml = JUnitXml()
    xml.add_testsuite(suite)
    out: bytes = xml.tostring()  # type: ignore[no-untyped-call]  # junitparser leaves tostring unannotated
    return out.decode("utf-8") + "\n"
