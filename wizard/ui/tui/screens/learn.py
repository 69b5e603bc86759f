"""Learn mode: browse the whole policy without recording anything.

The left pane lists every question (by area), every finding (by severity) and
every end; the right pane shows the selected item in full: the help, the
references, where each choice leads and which findings it raises. A select-all
question says so, and how its walk is routed; an answer says when it stands
alone, caps the verdict or makes later questions moot, and a question says
which answers pass it without asking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wizard.policy.remediation import step_text
from wizard.ui.tui.text import join, literal, why_text
from wizard.ui.tui.widgets.choice import ChoiceLabel
from wizard.ui.tui.widgets.footer import KeyFooter
from wizard.ui.tui.widgets.verdict import SEVERITY_MARK

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.policy.tree import Choice, Question
    from wizard.policy.tree import Tree as PolicyTree


def leads_to(tree: PolicyTree, node: str) -> Text:
    """Where a choice goes: the next question's text, or the end's outcome."""
    if node in tree.question_map:
        return join("next: ", literal(tree.question_map[node].text))
    end = tree.end_map.get(node)
    if end is not None:
        return join("ends: ", Text(end.outcome.label, style="bold"), " — ", literal(end.summary))
    return join("leads to ", literal(node), " (missing)")


def answer_list(pairs: Sequence[tuple[Question, Choice]]) -> Text:
    """``• question → answer`` lines."""
    return Text("\n").join(join("• ", literal(q.text), " → ", literal(c.label, "italic")) for q, c in pairs)


def question_detail(tree: PolicyTree, qid: str) -> Text:
    """Everything about a question: text, why, references, and each choice's consequences."""
    q = tree.question_map[qid]
    out = Text()
    if q.area:
        out.append(literal(q.area.upper(), "bold"))
        out.append("\n")
    out.append(literal(q.text, "bold"))
    out.append(f"  [{q.id}]\n", style="dim")
    if q.many:
        out.append("Select all that apply: every selected answer raises its findings.\n", style="italic")
    out.append("\n")
    out.append("Why this matters\n", style="underline")
    out.append(why_text(q, tree))
    mooted_by = [(other, c) for other in tree.questions for c in other.choices if q.id in c.moots]
    if mooted_by:
        out.append("\n\nNot asked when\n", style="underline")
        out.append(answer_list(mooted_by))
        out.append("\n  then the walk goes on: ")
        out.append(leads_to(tree, q.next or ""))
    out.append("\n\nChoices\n", style="underline")
    if q.many:
        route = Text("The walk follows the first selected answer (in this order) with a route of its own",
                     style="italic")
        route.append(join("; else ", leads_to(tree, q.next)) if q.next else Text("."))
        out.append(route)
        out.append("\n")
    for i, c in enumerate(q.choices, 1):
        out.append(f"\n{i}. ", style="bold")
        out.append(literal(c.label, "bold"))
        if c.exclusive:
            out.append("  (stands alone: selecting it clears the others)", style="italic")
        if c.dont_know:
            out.append("  (can't explain: counts against readiness)", style="italic")
        out.append("\n   → ")
        out.append(leads_to(tree, q.route(c)) if not q.many or c.next else Text("no route of its own", "italic"))
        if c.cap is not None:
            out.append(f"\n   caps the verdict: at best {c.cap.label}", style="bold")
        for moot in c.moots:
            target = tree.question_map.get(moot)
            out.append("\n   makes moot (not asked): ")
            out.append(literal(target.text if target is not None else moot))
        for fid in c.raises:
            f = tree.finding_map.get(fid)
            out.append("\n   raises ")
            if f is None:
                out.append(literal(fid))
            else:
                out.append(SEVERITY_MARK[f.severity.value], style="bold")
                out.append(" ")
                out.append(literal(f.title))
    return out


def finding_detail(tree: PolicyTree, fid: str) -> Text:
    """A finding: severity, explanation, remediation, references, and which answers raise it."""
    f = tree.finding_map[fid]
    out = join(Text(SEVERITY_MARK[f.severity.value], style="bold"), " ", literal(f.title, "bold"))
    out.append(f"  [{f.id}]\n\n", style="dim")
    out.append(literal(f.explanation))
    if f.remediation:
        out.append("\n\nRemediation\n", style="underline")
        out.append(Text("\n").join(join("☐ ", literal(step_text(step))) for step in f.remediation))
    if f.refs:
        out.append("\n\nReferences\n", style="underline")
        out.append(Text("\n").join(
            join("• ", literal(r, "bold"), join(" — ", literal(tree.references[r])) if r in tree.references else "")
            for r in f.refs
        ))
    raised = [(q, c) for q in tree.questions for c in q.choices if fid in c.raises]
    out.append("\n\nRaised by\n", style="underline")
    if raised:
        out.append(answer_list(raised))
    else:
        out.append("no answer (unused finding)", style="italic")
    return out


def end_detail(tree: PolicyTree, eid: str) -> Text:
    """An end: the best outcome its path can give, its summary and the answers that reach it."""
    e = tree.end_map[eid]
    out = join(Text(e.outcome.label, style="bold"), f"  [{e.id}]\n\n", literal(e.summary))
    policy = tree.outcomes.get(e.outcome)
    if policy is not None:
        out.append(f"\n\nValid {policy.valid_days} days · needs {policy.required_signers} signer(s)")
    reached = [(q, c) for q in tree.questions for c in q.choices if q.route(c) == eid]
    out.append("\n\nReached from\n", style="underline")
    out.append(answer_list(reached))
    return out


class LearnScreen(Screen[None]):
    """A browser over the whole tree; nothing is recorded."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Switch pane"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, tree: PolicyTree) -> None:
        super().__init__()
        self.policy = tree
        """The tree being browsed."""

    def compose(self) -> ComposeResult:
        t = self.policy
        yield Static(join("authready · learn · ", literal(t.title), f" v{t.version}"), id="topbar")
        with Horizontal(id="learn-body"):
            yield OptionList(id="learn-tree")
            with VerticalScroll(id="learn-detail"):
                yield Static(id="detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        t = self.policy
        nav = self.query_one("#learn-tree", OptionList)
        # A list whose entries wrap: every question title is shown in full, however long.
        options: list[Option] = [Option(Text(f"Questions ({len(t.questions)})", style="bold"), disabled=True)]
        area = None
        for q in t.questions:
            if q.area and q.area != area:
                area = q.area
                options.append(Option(join(" ", literal(q.area.upper(), "bold dim")), disabled=True))
            options.append(Option(ChoiceLabel("", literal(q.text)), id=f"question:{q.id}"))
        options.append(Option(Text(f"Findings ({len(t.findings)})", style="bold"), disabled=True))
        for sev in ("blocker", "warning"):
            for f in t.findings:
                if f.severity.value == sev:
                    options.append(Option(ChoiceLabel(SEVERITY_MARK[sev].split()[0], literal(f.title)),
                                          id=f"finding:{f.id}"))
        options.append(Option(Text(f"Ends ({len(t.ends)})", style="bold"), disabled=True))
        for e in t.ends:
            options.append(Option(ChoiceLabel("", join(Text(e.outcome.label, style="bold"), ": ", literal(e.summary))),
                                  id=f"end:{e.id}"))
        nav.add_options(options)
        intro = join(literal(t.title, "bold"), f"  (tree {t.id} v{t.version})\n\n")
        if t.description:
            intro.append(literal(t.description))
            intro.append("\n\n")
        intro.append("Pick a question, finding or end on the left (↑↓, or the mouse) to see why it "
                      "matters, where each answer leads and which findings it raises. Nothing is recorded.")
        self.query_one("#detail", Static).update(intro)
        nav.focus()
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            nav.highlighted = first

    @on(OptionList.OptionHighlighted, "#learn-tree")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        ident = event.option.id
        if not ident:
            return
        kind, _, key = ident.partition(":")
        render = {"question": question_detail, "finding": finding_detail, "end": end_detail}[kind]
        self.query_one("#detail", Static).update(render(self.policy, key))
        self.query_one("#learn-detail", VerticalScroll).scroll_home(animate=False)
