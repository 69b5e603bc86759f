"""``check`` results in the formats CI systems read: SARIF 2.1.0 and JUnit XML.

Both are built with maintained libraries for their formats (``sarif-pydantic``,
the SARIF 2.1.0 object model; ``junitparser``) rather than by hand, and both are
imported only when asked for, so ``check`` in text or JSON never pays for them.
Every failure code is one rule (SARIF) or one failed case (JUnit) on the
attestation file it concerns; an attestation that passes is a passed case.
Text from attestations is escaped as for the terminal (``check.clean``): a CI
dashboard is no place for control characters a pull request chose.
"""

from __future__ import annotations

from wizard.trust.gate import clean
from wizard.trust.verify import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/OWNER/authready#signing-and-the-ci-gate"


def render_sarif(reports: list[Report], version: str) -> str:
    """A SARIF log: one run, one rule per failure code, one result per problem (and per expiring attestation)."""
    from sarif_pydantic import (
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

    rules: dict[str, ReportingDescriptor] = {}
    results: list[Result] = []
    for r in reports:
        for p in r.problems:
            rules.setdefault(p.code, ReportingDescriptor(id=p.code, short_description=Message(text=_rule_text(p.code))))
            results.append(Result(rule_id=p.code, level=Level.ERROR, message=Message(text=clean(p.message)),
                                  locations=where(clean(p.file))))
        if r.ok and r.expiring:
            rules.setdefault("expiring-soon", ReportingDescriptor(
                id="expiring-soon", short_description=Message(text=_rule_text("expiring-soon"))))
            results.append(Result(rule_id="expiring-soon", level=Level.WARNING, message=Message(text=clean(r.notes[-1])),
                                  locations=where(clean(r.display))))
    log = Sarif(
        schema_uri=SARIF_SCHEMA,
        runs=[Run(tool=Tool(driver=ToolDriver(name="authready", version=version, information_uri=INFO_URI,
                                              rules=list(rules.values()))),
                  results=results)],
    )
    return log.model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n"


def render_junit(reports: list[Report]) -> str:
    """JUnit XML: one suite, one case per attestation; a failing one lists its problems."""
    from junitparser import Failure, JUnitXml, TestCase, TestSuite

    suite = TestSuite("authready check")
    for r in reports:
        case = TestCase(clean(r.display), classname="authready.attestations")
        if not r.ok:
            text = "\n".join(clean(p.line()) for p in r.problems)
            failure = Failure(clean(r.problems[0].message), type_=r.problems[0].code)
            failure.text = text
            case.result = [failure]
        suite.add_testcase(case)
    xml = JUnitXml()
    xml.add_testsuite(suite)
    return xml.tostring().decode("utf-8") + "\n"


def _rule_text(code: str) -> str:
    return f"authready check failure: {code}"
