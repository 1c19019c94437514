"""axe-core (npm, pinned in package.json, copied by `make vendor`) run inside a Playwright page."""

from __future__ import annotations

from tests.conftest import ROOT

AXE = ROOT / "tests" / "e2e" / "vendor" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def findings(page, context: str = "document") -> list[str]:
    """Every axe violation on the page as one readable line per element; [] when clean."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `make vendor`")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async ([context, tags]) => {
             const found = await axe.run(context === "document" ? document : context, {
               runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
             });
             const why = (n) => n.failureSummary.split("\\n").slice(1).join(" ").trim();
             return found.violations.flatMap((v) => v.nodes.map((n) =>
               `${v.id} (${v.impact}) ${n.target.join(" ")}: ${why(n)}`));
           }""",
        [context, TAGS],
    )
    return list(result)


def assert_clean(page, name: str) -> None:
    found = findings(page)
    assert found == [], f"axe on {name}:\n" + "\n".join(found)
